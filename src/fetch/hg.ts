// Mercurial sources: a clone whose working directory is at a changeset, tag or branch
// (default: the `default` branch). Checkout.revision is the full 40-hex changeset id.
import { dirname } from 'node:path';
import type { HgSource, Loc } from '../types.js';
import type { Fetcher, FetcherContext } from './fetcher.js';
import { buildBeside, causeOf, convergeSource, failed, listPaths, refMissing, targetState, type Outcome } from './vcs-common.js';
import {
  hgDefaultPath,
  hgLocation,
  hgRefProblem,
  hgRunner,
  hgUrlProblem,
  resolveHgRef,
  sameHgLocation,
  type HgResolved,
  type HgRunner,
} from './vcs-hg.js';

export const fetchHg: Fetcher<HgSource> = (source, ctx) => convergeSource(source, ctx, converge, 'WEFT_E_HG_IO');

interface Want {
  name: string;
  dir: string;
  url: string;
  /** What hg pulls from: the URL, or a plain path made absolute. */
  location: string;
  ref: string;
  /** Where the manifest writes `ref`; undefined when it is weft.lock's changeset. */
  refLoc?: Loc;
}

/** The ref is nowhere upstream: said at the manifest's `ref:` (or, for the lock's changeset, how to re-pin). */
function noRef(want: Want): Outcome {
  const o = failed('WEFT_E_HG_REF', `hg source ${want.name}: ${want.url} has no changeset, tag, bookmark or branch "${want.ref}"`);
  return refMissing(o, want.name, want.refLoc, `fix \`ref\` in the manifest: a branch, tag, bookmark or changeset upstream has (list them: hg branches, hg tags and hg bookmarks in a clone of ${want.url})`);
}

async function converge(source: HgSource, ctx: FetcherContext): Promise<Outcome> {
  const { name, url, dir } = source;
  const problem = hgUrlProblem(url);
  if (problem) return failed('WEFT_E_HG_UNSAFE', `hg source ${name}: refused URL ${url}: ${problem}`);
  const ref = source.revision ?? source.ref ?? 'default';
  const refProblem = hgRefProblem(ref);
  if (refProblem) return failed(refProblem.code, `hg source ${name}: refused ref "${ref}": ${refProblem.why}`);
  const want: Want = { name, dir, url, location: hgLocation(url, dirname(source.loc.file)), ref, ...(source.revision === undefined ? { refLoc: source.refLoc ?? source.loc } : {}) };
  const hg = hgRunner(ctx);
  const state = await targetState(dir, '.hg');
  if (state === 'occupied') {
    return failed(
      'WEFT_E_HG_TARGET',
      `hg source ${name}: ${dir} exists and is not a Mercurial clone; left as it is (move it away or set another path)`,
    );
  }
  if (state === 'repo') return update(want, ctx, hg);
  if (ctx.offline) {
    return failed('WEFT_E_OFFLINE', `hg source ${name}: no clone at ${dir} and it needs the network, which --offline forbids`);
  }
  return clone(want, ctx, hg);
}

async function clone(want: Want, ctx: FetcherContext, hg: HgRunner): Promise<Outcome> {
  const { name, dir, url, ref } = want;
  ctx.report({ name, phase: 'fetching' });
  let problem: Outcome | undefined;
  const resolved = await buildBeside(
    dir,
    async (into): Promise<HgResolved | undefined> => {
      const cl = await hg.run(['clone', '--noupdate', '--', want.location, into], 'network');
      if (cl.code !== 0) {
        problem = failed('WEFT_E_HG', `hg source ${name}: clone of ${url} failed`, causeOf(cl));
        return undefined;
      }
      const r = await resolveHgRef(hg, into, ref);
      if (!r) {
        problem = noRef(want);
        return undefined;
      }
      ctx.report({ name, phase: 'checkout' });
      const up = await hg.run(['update', '-R', into, '-r', r.node], 'disk');
      if (up.code !== 0) {
        problem = failed('WEFT_E_HG', `hg source ${name}: update to ${r.node.slice(0, 12)} failed`, causeOf(up));
        return undefined;
      }
      return r;
    },
    (r) => r !== undefined,
  );
  if (!resolved) return problem ?? failed('WEFT_E_HG', `hg source ${name}: clone of ${url} failed`);
  return { status: 'cloned', revision: resolved.node, branch: resolved.branch, message: `cloned at ${resolved.node.slice(0, 12)}` };
}

async function update(want: Want, ctx: FetcherContext, hg: HgRunner): Promise<Outcome> {
  const { name, dir, url, ref } = want;
  const origin = await hgDefaultPath(dir);
  if (origin === undefined || !sameHgLocation(origin, want.location)) {
    return failed(
      'WEFT_E_HG_TARGET',
      `hg source ${name}: ${dir} is a clone of ${origin ?? 'an unknown source'}, not ${url}; left as it is (move it away or change the manifest)`,
    );
  }
  const currentRes = await hg.run(['log', '-R', dir, '-r', '.', '-T', '{node}'], 'local');
  const current = currentRes.stdout.trim();
  if (currentRes.code !== 0 || !/^[0-9a-f]{40}$/.test(current)) {
    return failed('WEFT_E_HG', `hg source ${name}: cannot read the working directory's changeset in ${dir}`, causeOf(currentRes));
  }
  let target = await resolveHgRef(hg, dir, ref);
  if (target && !target.floating && target.node === current) return { status: 'unchanged', revision: current };
  let offlineNote = '';
  if (!target || target.floating) {
    if (ctx.offline) {
      if (!target) return failed('WEFT_E_OFFLINE', `hg source ${name}: "${ref}" is not in ${dir}; pulling it needs the network, which --offline forbids`);
      offlineNote = 'offline: not pulled; ';
    } else {
      ctx.report({ name, phase: 'fetching' });
      const pull = await hg.run(['pull', '-R', dir, '--', want.location], 'network');
      if (pull.code !== 0) return failed('WEFT_E_HG', `hg source ${name}: pull from ${url} failed`, causeOf(pull));
      target = await resolveHgRef(hg, dir, ref);
      if (!target) return noRef(want);
    }
  }
  const branch = target.branch;
  if (target.node === current) {
    return { status: 'unchanged', revision: current, branch, ...(offlineNote ? { message: `${offlineNote}at ${current.slice(0, 12)}` } : {}) };
  }
  const work = await localWork(hg, dir);
  if ('status' in work) return work;
  // The user's own commits on top of what upstream has: left as they are, like a git branch
  // ahead; the lock and the state record upstream's changeset, never one only this clone has.
  const own = await ownCommitsAhead(hg, dir, target.node);
  if (own === undefined) return failed('WEFT_E_HG', `hg source ${name}: hg log failed in ${dir}`);
  if (own > 0) {
    return {
      status: 'unchanged',
      revision: current,
      branch,
      locked: target.node,
      message:
        `${offlineNote}${current.slice(0, 12)} is ${own} unpushed (draft) commit${own > 1 ? 's' : ''} of yours on top of ${target.node.slice(0, 12)}; ` +
        `left as is (the lock records ${target.node.slice(0, 12)}; push them for others to get them)`,
    };
  }
  const blocking = work.files.length + work.commits.length > 0;
  if (blocking && !ctx.force) {
    const what = [describeFiles(work), describeCommits(work)].filter(Boolean).join('; ');
    return {
      status: 'skipped',
      revision: current,
      branch,
      message:
        `${offlineNote}${what} in ${dir}; left at ${current.slice(0, 12)} instead of moving to ${target.node.slice(0, 12)} ` +
        'so nothing is lost. Commit and push, or shelve or revert them, then run again (--force discards uncommitted edits; unknown files are kept).',
    };
  }
  // --force: edits to tracked files are reverted (named first); unknown files stay, and so
  // do files only added (hg update --clean leaves them unknown), except one the new
  // changeset also has, which it replaces (named first too). Draft commits are never
  // destroyed, only no longer checked out.
  const edits = work.files.filter((f) => !/^[?A] /.test(f));
  const unknown = work.files.filter((f) => /^[?A] /.test(f)).map((f) => f.slice(2));
  let replaced: string[] = [];
  if (blocking && unknown.length) {
    const files = await hg.run(['files', '-R', dir, '-r', target.node, '-T', '{path}\n'], 'local');
    // hg files exits 1 for a changeset with no files.
    if (files.code !== 0 && files.code !== 1) return failed('WEFT_E_HG', `hg source ${name}: hg files failed in ${dir}`, causeOf(files));
    const has = new Set(files.stdout.split('\n'));
    replaced = unknown.filter((f) => has.has(f));
  }
  const kept = unknown.filter((f) => !replaced.includes(f));
  const lost = [
    ...(edits.length ? [`uncommitted changes: ${listPaths(edits)}`] : []),
    ...(replaced.length ? [`untracked files the new changeset has: ${listPaths(replaced)}`] : []),
  ];
  if (lost.length) ctx.report({ name, phase: 'discarding', message: `--force: ${lost.join('; ')}` });
  ctx.report({ name, phase: 'checkout' });
  // --check: refuse rather than merge if the working directory changed since we looked.
  const args = blocking ? ['update', '-R', dir, '--clean', '-r', target.node] : ['update', '-R', dir, '--check', '-r', target.node];
  const res = await hg.run(args, 'disk');
  if (res.code !== 0) {
    return failed('WEFT_E_HG', `hg source ${name}: hg update to ${target.node.slice(0, 12)} failed in ${dir}`, causeOf(res));
  }
  return {
    status: 'updated',
    revision: target.node,
    branch,
    message: [
      `${offlineNote}${current.slice(0, 12)} → ${target.node.slice(0, 12)}`,
      lost.length ? `discarded ${lost.join('; ')}` : '',
      kept.length ? `kept untracked: ${listPaths(kept)}` : '',
      work.commits.length ? `kept in the repository, no longer checked out: ${describeCommits(work)}` : '',
    ]
      .filter(Boolean)
      .join('; '),
  };
}

/**
 * How many changesets the working directory is ahead of `target` when all of them are
 * not public (the user's own, never pushed); 0 when it is not simply ahead, or any of
 * them is upstream's (then weft moves it as usual). Undefined when hg fails.
 */
async function ownCommitsAhead(hg: HgRunner, dir: string, target: string): Promise<number | undefined> {
  // `target` itself when it is an ancestor of the working directory, and every changeset
  // the working directory has that `target` does not.
  const res = await hg.run(['log', '-R', dir, '-r', `(ancestors(.) and ${target}) + only(., ${target})`, '-T', '{node} {phase}\n'], 'local');
  if (res.code !== 0) return undefined;
  const rows = res.stdout.split('\n').filter(Boolean).map((l) => l.split(' '));
  if (!rows.some(([node]) => node === target)) return 0;
  const ahead = rows.filter(([node]) => node !== target);
  return ahead.every(([, phase]) => phase !== 'public') ? ahead.length : 0;
}

interface LocalWork {
  /** `M path`, `? path`, … from hg status. */
  files: string[];
  /** `shortid first line` of changesets not public (draft or secret). */
  commits: string[];
}

/** What in a clone an update could bury: uncommitted or unknown files, and unpushed changesets. */
async function localWork(hg: HgRunner, dir: string): Promise<LocalWork | Outcome> {
  const st = await hg.run(['status', '-R', dir, '-mardu', '-T', '{status} {path}\n'], 'local');
  if (st.code !== 0) return failed('WEFT_E_HG', `hg status failed in ${dir}`, causeOf(st));
  const mine = await hg.run(['log', '-R', dir, '-r', 'not public()', '-T', '{node|short} {desc|firstline}\n'], 'local');
  if (mine.code !== 0) return failed('WEFT_E_HG', `hg log failed in ${dir}`, causeOf(mine));
  const lines = (text: string): string[] => text.split('\n').filter(Boolean);
  return { files: lines(st.stdout), commits: lines(mine.stdout) };
}

function describeFiles(w: LocalWork): string {
  return w.files.length ? `uncommitted changes: ${listPaths(w.files)}` : '';
}

function describeCommits(w: LocalWork): string {
  const n = w.commits.length;
  return n ? `${n} unpushed (draft) commit${n > 1 ? 's' : ''}: ${listPaths(w.commits, 3)}` : '';
}

