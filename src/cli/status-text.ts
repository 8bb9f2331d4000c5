// `weft status` as aligned columns for people.

export interface StatusRow {
  name: string;
  kind: string;
  dir: string;
  ref: string | null;
  /** What weft.lock pins (commit, svn/hg revision, archive integrity); null without a lock entry that still matches the manifest. */
  locked: string | null;
  /** What weft last placed there (state.json). */
  recorded: string | null;
  revision: string | null;
  branch: string | null;
  dirty: number;
  untracked: number;
  ahead: number | null;
  behind: number | null;
  upstream: string | null;
  /** Commits on no remote, counted for a checkout moved from where weft put it that has no upstream (a detached HEAD, a branch never pushed). */
  unpushed?: number;
  missing: boolean;
  /** Not at the revision weft last placed there. */
  moved: boolean;
  /** Not at the revision weft.lock pins. */
  offLock: boolean;
  problem?: string;
  /** The branch was made active by weft switch: its own checkout, or the main one in place. */
  switched?: 'worktree' | 'in-place';
  /** Switched to its own checkout: the main checkout, left as it was, and the work in it. */
  main?: { dir: string; branch: string | null; dirty: number; untracked: number; ahead: number | null };
}

// Full commit ids are 40 characters of noise in a table; 12 stays unambiguous in practice.
const short = (rev: string | null): string => (rev === null ? '-' : /^[0-9a-f]{40,64}$/.test(rev) ? rev.slice(0, 12) : rev);

function stateText(r: StatusRow): string {
  if (r.missing) return 'missing';
  const parts: string[] = [];
  if (r.problem) parts.push(r.problem);
  if (r.moved) parts.push('moved');
  // Said only when the lock is what changed: after "moved" away from a locked revision the
  // LOCKED column says the rest, and `weft up` may rightly leave the user's commits alone.
  if (r.offLock && r.recorded !== r.locked) parts.push(r.moved ? 'not at lock' : 'not at lock (run weft up)');
  if (r.switched) parts.push(r.switched === 'worktree' ? 'switched (own checkout)' : 'switched in place');
  if (r.dirty > 0) parts.push(`${r.dirty} modified`);
  if (r.untracked > 0) parts.push(`${r.untracked} untracked`);
  if (r.ahead) parts.push(`ahead ${r.ahead}`);
  if (r.behind) parts.push(`behind ${r.behind}`);
  if (r.unpushed) parts.push(`${r.unpushed} commit${r.unpushed === 1 ? '' : 's'} on no remote`);
  // Work left in the main checkout is easy to forget while the environment points elsewhere.
  const m = r.main;
  const left = m ? [m.dirty > 0 ? `${m.dirty} modified` : '', m.untracked > 0 ? `${m.untracked} untracked` : '', m.ahead ? `ahead ${m.ahead}` : ''].filter(Boolean) : [];
  const text = parts.length ? parts.join(', ') : 'clean';
  return left.length ? `${text}; main checkout: ${left.join(', ')}` : text;
}

/** Work somewhere in this row's checkouts (the main one too, when switched away from it). */
export function hasWork(r: StatusRow): boolean {
  return r.dirty > 0 || r.untracked > 0 || (r.main !== undefined && (r.main.dirty > 0 || r.main.untracked > 0));
}

const paint = (on: boolean, code: string, text: string): string => (on ? `\x1b[${code}m${text}\x1b[0m` : text);

export function renderStatusTable(rows: StatusRow[], color: boolean): string {
  if (rows.length === 0) return 'no sources\n';
  // RECORDED (state.json) stays in --json: it equals LOCKED until weft.lock changes, and
  // then "not at lock" says so.
  const head = ['NAME', 'KIND', 'REF', 'LOCKED', 'CHECKED OUT', 'BRANCH', 'STATE'];
  const cells = rows.map((r) => [r.name, r.kind, r.ref ?? '-', short(r.locked), short(r.revision), r.branch ?? '-', stateText(r)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]): string => c.map((v, i) => (i === c.length - 1 ? v : v.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(head)];
  rows.forEach((r, i) => {
    const text = line(cells[i]!);
    const state = stateText(r);
    // Colour only the state column, so the alignment (computed on plain text) holds.
    const code = r.missing || r.problem ? '31' : state === 'clean' ? '32' : '33';
    out.push(color ? text.slice(0, text.length - state.length) + paint(true, code, state) : text);
  });
  return out.join('\n') + '\n';
}
