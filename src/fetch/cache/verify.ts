// `weft cache verify`: is every entry whole? Mirrors: git's own connectivity check (every
// ref reaches complete history), then every object file read back (verify-objects.ts).
// Archives: the download is not kept, so the recorded integrity cannot be re-hashed; the
// extracted tree is checked for what the extractor guarantees (only plain files and
// directories, no links, normalised modes) and against the file hashes recorded the
// first time verify saw it whole (archive-manifest.ts).
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Defaults } from '../../defaults.js';
import { runPool } from '../pool.js';
import type { ExecResult } from '../../exec.js';
import { redact } from '../../redact.js';
import { plural } from '../../words.js';
import { stderrDetail } from '../git/failure.js';
import { createGit } from '../git/run.js';
import { checkAgainstManifest } from './archive-manifest.js';
import { objectProblems } from './verify-objects.js';
import { describeEntry, entryRefs, type CacheEntry } from './entries.js';

export interface Verdict {
  entry: CacheEntry;
  /** Empty when the entry is whole. */
  problems: string[];
  /** An archive tree checked for the first time: its file hashes were recorded for later checks. */
  recorded?: boolean;
  /** Why the entry could not be checked at all: neither whole nor broken, and never removed. */
  unchecked?: string;
}

export interface VerifyContext {
  env: NodeJS.ProcessEnv;
  defaults: Defaults;
  jobs: number;
  signal?: AbortSignal;
}

/**
 * git refuses a repository another user owns (CVE-2022-24765; weft never widens
 * safe.directory). In a cache shared with a teammate that is their mirror, whole as far as
 * anyone can tell here: calling it broken made --repair delete it.
 */
const NOT_OURS = /detected dubious ownership in repository/;

async function verifyMirror(cacheDir: string, e: CacheEntry, ctx: VerifyContext): Promise<Omit<Verdict, 'entry'>> {
  for (const part of ['HEAD', 'objects', 'refs']) {
    if (!existsSync(join(e.path, part))) return { problems: [`not a complete git repository (no ${part})`] };
  }
  const git = createGit({ cacheDir, env: ctx.env, offline: true, defaults: ctx.defaults, signal: ctx.signal });
  const res = await git(['fsck', '--connectivity-only', '--no-dangling', '--no-progress'], { cwd: e.path, timeoutMs: ctx.defaults.gitTimeoutMs });
  if (res.code !== 0 && NOT_OURS.test(res.stderr)) {
    return { problems: [], unchecked: 'owned by another user; git reads only your own repositories (safe.directory), so its owner must check it' };
  }
  if (res.code !== 0) return { problems: fsckFindings(res) };
  return { problems: await objectProblems(git, e.path, ctx.defaults.gitTimeoutMs) };
}

const FSCK_LINES_SHOWN = 8;

/**
 * What a failed `git fsck` found. It prints missing and broken objects ("missing tree …",
 * "broken link from commit …") on stdout and read errors on stderr: both are the finding,
 * so both are shown, redacted, the first few of them.
 */
function fsckFindings(res: ExecResult): string[] {
  if (res.code === null) return stderrDetail(res).split('\n');
  const lines: string[] = [];
  for (const raw of redact(`${res.stdout}\n${res.stderr}`).split('\n')) {
    const l = raw.trim().replace(/\s+/g, ' ');
    if (!l || /^hint:/.test(l)) continue;
    // fsck writes "broken link from <commit>" and "to <tree>" on two lines: one finding.
    if (l.startsWith('to ') && lines.at(-1)?.startsWith('broken link from ')) lines[lines.length - 1] += ` ${l}`;
    // A damaged pack is named once per object git tried to read from it.
    else if (!lines.includes(l)) lines.push(l);
  }
  if (lines.length === 0) return [`git fsck exited with ${res.code}, saying nothing`];
  const more = lines.length - FSCK_LINES_SHOWN;
  return [...lines.slice(0, FSCK_LINES_SHOWN), ...(more > 0 ? [`… and ${plural(more, 'more line')} from git fsck`] : [])];
}

function verifyArchiveTree(root: string): string[] {
  const problems: string[] = [];
  let st;
  try {
    st = lstatSync(root);
  } catch {
    return ['missing'];
  }
  if (!st.isDirectory()) return ['not a directory'];
  const stack = [''];
  while (stack.length > 0 && problems.length < 10) {
    const rel = stack.pop()!;
    const abs = rel ? join(root, rel) : root;
    let names: string[];
    try {
      names = readdirSync(abs);
    } catch (err) {
      problems.push(`${rel || '.'}: unreadable (${(err as NodeJS.ErrnoException).code})`);
      continue;
    }
    for (const name of names) {
      const childRel = rel ? `${rel}/${name}` : name;
      const c = lstatSync(join(abs, name));
      const mode = c.mode & 0o7777;
      if (c.isDirectory()) {
        if (mode !== 0o755) problems.push(`${childRel}: directory mode ${mode.toString(8)}, weft writes 755`);
        stack.push(childRel);
      } else if (c.isFile()) {
        if (c.nlink > 1) problems.push(`${childRel}: hard link`);
        if (mode !== 0o644 && mode !== 0o755) problems.push(`${childRel}: file mode ${mode.toString(8)}, weft writes 644 or 755`);
      } else {
        problems.push(`${childRel}: ${c.isSymbolicLink() ? 'symlink' : 'special file'}`);
      }
    }
  }
  return problems;
}

/** Checks every entry; verdicts in listing order. */
export async function verifyCache(cacheDir: string, ctx: VerifyContext): Promise<Verdict[]> {
  const entries = entryRefs(cacheDir).map((r) => describeEntry(cacheDir, r));
  const found = await runPool(
    entries.map((e) => ({
      run: async (): Promise<Omit<Verdict, 'entry'>> => {
        if (e.kind === 'git') return verifyMirror(cacheDir, e, ctx);
        const problems = verifyArchiveTree(e.path);
        return problems.length > 0 ? { problems } : checkAgainstManifest(cacheDir, e, e.path);
      },
    })),
    { jobs: ctx.jobs, jobsPerHost: ctx.jobs, signal: ctx.signal },
  );
  return entries.map((entry, i) => ({ entry, ...(found[i] ?? { problems: ['not checked (interrupted)'] }) }));
}
