// New checkouts' work trees written by one git process for many, not one each. On a
// warm `weft up` every new checkout's .git is made in node (materialize.ts) and then
// needed a `git read-tree -u` of its own: ~5 ms of CPU per source, most of it starting a
// process. Checkouts made side by side in one directory are written instead by a single
// `git read-tree -u` in a scratch repository that borrows their objects (alternates),
// whose tree has each new checkout's directory as an entry, pointing at that checkout's
// tree. Its index is then split into one index per checkout (index-file.ts): the files did
// not move within their directory, so the stat data git recorded is theirs.
//
// The trees are looked up, the top tree made and the work trees written by one shell job
// (three git commands), so it runs to the end on another core while node goes on making
// the next checkouts' .git: node is busy through that stretch and would answer each step
// late. Requests are sent in groups of BATCH as they arrive, the rest once node is idle.
// A lone request, and any group the one-process way cannot do (a name git would not take,
// a failing job, an index it cannot split), is written the one-process-per-checkout way,
// exactly as before.
import { writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { FetcherContext } from '../fetcher.js';
import { once } from '../once.js';
import { makeCacheScratch, removeScratch } from '../tmp.js';
import { parseIndex, subIndex } from './index-file.js';
import { quoted, type FsTraits } from './materialize.js';
import { gitScript, type Git } from './run.js';
import { userGitConfig } from './template.js';

/** Checkouts per job: enough to share a process's start, few enough to start early. */
const BATCH = 10;

interface Request {
  /** A new checkout (a scratch directory) whose .git is complete but has no index yet. */
  dir: string;
  commit: string;
  done: (ok: boolean) => void;
}

interface Queue {
  pending: Request[];
  /** A flush of what is pending is scheduled for when node is next idle. */
  flushing: boolean;
}

/**
 * Fills the index and work tree of the new checkout `dir` from `commit` (its HEAD), as
 * `git read-tree --reset -u HEAD` there would. False when git could not (an object gone
 * from the cache meanwhile, say): the caller then leaves it to git's clone.
 */
export async function writeCheckout(git: Git, ctx: FetcherContext, dir: string, commit: string, traits: FsTraits): Promise<boolean> {
  if ((await userGitConfig(git, ctx)).perRepoCheckout || !ctx.once || !plainName(basename(dir))) return readTree(git, dir);
  const parent = dirname(dir);
  const queue = await once(ctx, `git:checkout-queue:${parent}`, async (): Promise<Queue> => ({ pending: [], flushing: false }));
  const written = new Promise<boolean>((done) => {
    queue.pending.push({ dir, commit, done });
    if (queue.pending.length >= BATCH) void write(git, ctx, parent, queue.pending.splice(0), traits);
    else if (!queue.flushing) {
      queue.flushing = true;
      setImmediate(() => {
        queue.flushing = false;
        void write(git, ctx, parent, queue.pending.splice(0), traits);
      });
    }
  });
  // Meanwhile the pool starts other sources, whose checkouts join the next group.
  return ctx.park ? ctx.park(written) : written;
}

/** A directory name the job's tree can carry as is (git's mktree reads one per line). */
function plainName(name: string): boolean {
  return !/[\0-\x1f"\\]/.test(name);
}

async function write(git: Git, ctx: FetcherContext, parent: string, batch: Request[], traits: FsTraits): Promise<void> {
  if (batch.length === 0) return;
  if (batch.length > 1 && (await readTrees(ctx, parent, batch, traits).catch(() => false))) {
    for (const r of batch) r.done(true);
    return;
  }
  await Promise.all(batch.map(async (r) => r.done(await readTree(git, r.dir).catch(() => false))));
}

/** `git read-tree --reset -u HEAD` in `dir`; only its exit status is read. */
async function readTree(git: Git, dir: string): Promise<boolean> {
  return (await git(['read-tree', '--reset', '-u', 'HEAD'], { cwd: dir, output: false })).code === 0;
}

// One line (the run's forker takes an argument per line): $1 the scratch repository, $2
// the directory the checkouts are in, $3 this job's name, $4 the checkouts' object stores
// for GIT_ALTERNATE_OBJECT_DIRECTORIES, then `<commit>^{tree}` for each checkout. The
// checkouts' directory names are in $1/$3.names, one per line, in that order.
const SCRIPT = [
  'g=$1 w=$2 b=$3',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES=$4 GIT_INDEX_FILE=$1/$3.index',
  'export GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_INDEX_FILE',
  'shift 4',
  'git --git-dir="$g" rev-parse "$@" >"$g/$b.trees" || exit 3',
  'exec 3<"$g/$b.names"',
  `while IFS= read -r t; do IFS= read -r n <&3 || exit 4; printf '040000 tree %s\\t%s\\n' "$t" "$n"; done <"$g/$b.trees" >"$g/$b.top" || exit 4`,
  'top=$(git --git-dir="$g" mktree --missing <"$g/$b.top") || exit 5',
  'exec git --git-dir="$g" --work-tree="$w" read-tree --reset -u "$top"',
].join('; ');

/**
 * The run's scratch repository for checkouts on filesystems like `traits` (its objects are
 * the top trees; each job has its own files in it), made on first use, removed at the end.
 */
function scratchRepo(ctx: FetcherContext, traits: FsTraits): Promise<string | undefined> {
  return once(ctx, `git:checkout-batch:${traits.filemode}:${traits.symlinks}:${traits.ignorecase}`, async () => {
    const atRunEnd = ctx.atRunEnd;
    if (!atRunEnd) return undefined;
    const g = makeCacheScratch(ctx.cacheDir);
    atRunEnd(() => removeScratch(g));
    mkdirSync(join(g, 'objects'));
    mkdirSync(join(g, 'refs'));
    writeFileSync(join(g, 'HEAD'), 'ref: refs/heads/main\n');
    writeFileSync(join(g, 'config'), scratchConfig(ctx.cacheDir, traits));
    return g;
  });
}

let jobs = 0;

/** One job for all of `batch` (checkouts in `parent`); false when it could not be done this way. */
async function readTrees(ctx: FetcherContext, parent: string, batch: Request[], traits: FsTraits): Promise<boolean> {
  const g = await scratchRepo(ctx, traits);
  if (!g) return false;
  const b = `b${++jobs}`;
  writeFileSync(join(g, `${b}.names`), batch.map((r) => basename(r.dir)).join('\n') + '\n');
  const alternates = batch.map((r) => altPath(join(r.dir, '.git', 'objects'))).join(':');
  const res = await gitScript(ctx, SCRIPT, [g, parent, b, alternates, ...batch.map((r) => `${r.commit}^{tree}`)], { cwd: parent, output: false });
  if (res.code !== 0) return false;
  const index = parseIndex(readFileSync(join(g, `${b}.index`)));
  if (!index) return false;
  for (const r of batch) writeFileSync(join(r.dir, '.git', 'index'), subIndex(index, basename(r.dir)));
  return true;
}

/** A path as GIT_ALTERNATE_OBJECT_DIRECTORIES reads it: C-quoted when it has a ':' or a quote. */
function altPath(path: string): string {
  return /[:"\\]/.test(path) ? `"${path.replace(/[\\"]/g, (c) => `\\${c}`)}"` : path;
}

/**
 * The scratch repository's config: the new checkouts' core settings (the same filesystem),
 * git's safety settings for weft (run.ts passes them on the command line), and an index
 * of the plain shape index-file.ts splits.
 */
function scratchConfig(cacheDir: string, t: FsTraits): string {
  return [
    '[core]',
    '\trepositoryformatversion = 0',
    `\tfilemode = ${t.filemode}`,
    ...(t.symlinks ? [] : ['\tsymlinks = false']),
    ...(t.ignorecase ? ['\tignorecase = true'] : []),
    '\tbare = false',
    `\thooksPath = ${quoted(join(cacheDir, 'empty-hooks'))}`,
    '\tfsmonitor = false',
    '\tsplitIndex = false',
    '\tuntrackedCache = false',
    '[index]',
    '\tversion = 2',
    '\tskipHash = false',
    '\tsparse = false',
    '[protocol "ext"]',
    '\tallow = never',
    '[submodule]',
    '\trecurse = false',
    '',
  ].join('\n');
}
