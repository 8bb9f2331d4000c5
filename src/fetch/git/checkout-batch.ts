// New checkouts' .git files and work trees written by one shell job for many, not by
// node and a git process each. On a warm `weft up` every new checkout was made by node
// (materialize.ts: a dozen directories and files) and then needed a `git read-tree -u` of
// its own: ~5 ms of CPU per source, most of it starting a process, and node's part on the
// main thread. Now node only links each checkout's objects (prepareGitDir); checkouts made
// side by side in one directory are queued and one job per group, on another core, writes
// the rest of their .git and fills their work trees with a single `git read-tree -u` in a
// scratch repository that borrows their objects (alternates), whose tree has each new
// checkout's directory as an entry, pointing at that checkout's tree. Its index is then
// split into one index per checkout (index-file.ts): the files did not move within their
// directory, so the stat data git recorded is theirs.
//
// The job runs to its end without node (which is busy with the next checkouts and would
// answer each step late). A group goes when BATCH checkouts wait, or once node is idle
// with no other source expected beside them: a source that will make a new checkout from
// a mirror already in the cache says so as it starts (expectCheckout), and leaves when it
// joins, turns to the network, or ends. So which sources share a group on a warm cache is
// decided by which are coming, not by how fast this machine happens to be.
// A lone checkout, and any group the job cannot do (a name git would not take, a job that
// fails, an index it cannot split), is written the old way: node writes the rest of the
// .git (again over whatever the job did) and each checkout gets its own read-tree.
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { deflateSync } from 'node:zlib';
import type { FetcherContext, Joining } from '../fetcher.js';
import { once, type RunOnce } from '../once.js';
import { makeCacheScratch, removeScratch } from '../tmp.js';
import { treeOfCommit } from './commit-tree.js';
import { parseIndex, subIndex } from './index-file.js';
import { quoted, writeGitDirFiles, type FsTraits, type GitDirFiles } from './materialize.js';
import { mirrorPath } from './mirror.js';
import { posixQuote as sh } from '../../shell/quote.js';
import { gitShellScript, type Git } from './run.js';
import { userGitConfig } from './template.js';

/** Checkouts per job at most: enough to share a process's start, few enough to start early. */
const BATCH = 10;

interface Request {
  /** A new checkout (a scratch directory) whose .git has its objects. */
  dir: string;
  commit: string;
  /** The rest of its .git: written by the job, or by node when the job cannot. */
  rest: GitDirFiles;
  done: (ok: boolean) => void;
}

interface Queue {
  parent: string;
  pending: Request[];
  /** Sources on their way to a new checkout here that have not joined yet. */
  expected: number;
  /** A send of what is pending is scheduled for when node is next idle. */
  flushing: boolean;
  /** What writes a group: the last joiner's git runner, context and filesystem traits. */
  writer?: { git: Git; ctx: FetcherContext; traits: FsTraits };
}

/** Each run's queues, one per directory new checkouts are made in. */
const runs = new WeakMap<RunOnce, Map<string, Queue>>();

function queueOf(run: RunOnce, parent: string): Queue {
  let queues = runs.get(run);
  if (!queues) runs.set(run, (queues = new Map()));
  let q = queues.get(parent);
  if (!q) queues.set(parent, (q = { parent, pending: [], expected: 0, flushing: false }));
  return q;
}

/**
 * Called as a git source starts, before its first wait: when `dir` is to be a new checkout
 * from a mirror already in the cache, its group is told to wait for it. The caller must
 * `leave()` when it will not join soon (it turns to the network) and when it ends; joining
 * leaves too. Undefined when nothing will wait.
 */
export function expectCheckout(ctx: FetcherContext, dir: string, url: string): Joining | undefined {
  if (!ctx.once || !existsSync(mirrorPath(ctx.cacheDir, url))) return undefined;
  const queue = queueOf(ctx.once, dirname(dir));
  queue.expected++;
  let left = false;
  return {
    leave: () => {
      if (left) return;
      left = true;
      queue.expected--;
      flushIfDue(queue);
    },
  };
}

/**
 * Sends what waits in `queue` when it fills a group, or when no source is expected here any
 * more; then a moment later (once node is idle), so a source back from the network at the
 * same time still joins.
 */
function flushIfDue(queue: Queue): void {
  const { pending, writer } = queue;
  if (!writer || pending.length === 0) return;
  if (pending.length >= BATCH) {
    void write(writer.git, writer.ctx, queue.parent, pending.splice(0, BATCH), writer.traits);
    flushIfDue(queue);
  } else if (queue.expected === 0 && !queue.flushing) {
    queue.flushing = true;
    setImmediate(() => {
      queue.flushing = false;
      if (queue.expected === 0) void write(writer.git, writer.ctx, queue.parent, pending.splice(0), writer.traits);
    });
  }
}

/**
 * Completes the new checkout `dir`: the rest of its .git, then its index and work tree
 * from `commit` (its HEAD), as `git read-tree --reset -u HEAD` there would. False when git
 * could not (an object gone from the cache meanwhile, say): the caller then leaves it to
 * git's clone.
 */
export async function writeCheckout(git: Git, ctx: FetcherContext, dir: string, commit: string, traits: FsTraits, rest: GitDirFiles): Promise<boolean> {
  const alone = (await userGitConfig(ctx)).perRepoCheckout || !ctx.once || !plainName(basename(dir));
  if (alone) {
    ctx.joining?.leave();
    return readTree(git, dir, rest);
  }
  const queue = queueOf(ctx.once!, dirname(dir));
  const written = new Promise<boolean>((done) => queue.pending.push({ dir, commit, rest, done }));
  queue.writer = { git, ctx, traits };
  // Parked, this source's slot starts the next sources, which say whether they are coming
  // here before this one leaves (and its group perhaps goes).
  const parked = ctx.park ? ctx.park(written) : written;
  ctx.joining?.leave();
  flushIfDue(queue);
  return parked;
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
  await Promise.all(batch.map(async (r) => r.done(await readTree(git, r.dir, r.rest).catch(() => false))));
}

/** The rest of the .git written by node, then `git read-tree --reset -u HEAD` in `dir`. */
async function readTree(git: Git, dir: string, rest: GitDirFiles): Promise<boolean> {
  writeGitDirFiles(rest);
  return (await git(['read-tree', '--reset', '-u', 'HEAD'], { cwd: dir, output: false })).code === 0;
}

/**
 * The job for `batch`, a shell script: the rest of each checkout's .git, then every work
 * tree written from `top` (the tree whose entries are the checkouts' directories), in the
 * scratch repository `g`. Without `top` (a commit node could not read), the job looks the
 * trees up and makes it first. The alternates are the checkouts' own object stores,
 * complete before the job starts.
 */
function jobScript(g: string, b: string, parent: string, batch: Request[], top: string | undefined): string {
  const lines = [`mkdir -p -- ${batch.flatMap((r) => r.rest.dirs).map(sh).join(' ')} || exit 2`];
  for (const r of batch) for (const [path, text] of r.rest.files) lines.push(`printf %s ${sh(text)} >${sh(path)} || exit 2`);
  lines.push(
    `g=${sh(g)} w=${sh(parent)} b=${sh(b)}`,
    `GIT_ALTERNATE_OBJECT_DIRECTORIES=${sh(batch.map((r) => altPath(join(r.dir, '.git', 'objects'))).join(':'))}`,
    'GIT_INDEX_FILE="$g/$b.index"',
    'export GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_INDEX_FILE',
  );
  if (top !== undefined) lines.push(`top=${top}`);
  else {
    lines.push(
      `printf '%s\\n' ${batch.map((r) => sh(basename(r.dir))).join(' ')} >"$g/$b.names" || exit 2`,
      `git --git-dir="$g" rev-parse ${batch.map((r) => sh(`${r.commit}^{tree}`)).join(' ')} >"$g/$b.trees" || exit 3`,
      'exec 3<"$g/$b.names"',
      `while IFS= read -r t; do IFS= read -r n <&3 || exit 4; printf '040000 tree %s\\t%s\\n' "$t" "$n"; done <"$g/$b.trees" >"$g/$b.top" || exit 4`,
      'top=$(git --git-dir="$g" mktree --missing <"$g/$b.top") || exit 5',
    );
  }
  lines.push('exec git --git-dir="$g" --work-tree="$w" read-tree --reset -u "$top"');
  return lines.join('\n') + '\n';
}

/** Writes the tree whose entries are the checkouts' directories into `g` as a loose object; its id. */
function writeTopTree(g: string, entries: [name: string, tree: string][]): string {
  // git orders a tree's entries by name, a directory's name compared with '/' appended.
  const sorted = [...entries].sort(([a], [b]) => Buffer.compare(Buffer.from(`${a}/`), Buffer.from(`${b}/`)));
  const body = Buffer.concat(sorted.flatMap(([name, tree]) => [Buffer.from(`40000 ${name}\0`), Buffer.from(tree, 'hex')]));
  const object = Buffer.concat([Buffer.from(`tree ${body.length}\0`), body]);
  const id = createHash('sha1').update(object).digest('hex');
  mkdirSync(join(g, 'objects', id.slice(0, 2)), { recursive: true });
  writeFileSync(join(g, 'objects', id.slice(0, 2), id.slice(2)), deflateSync(object));
  return id;
}

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
    // Its job scripts are run as they are: no one else may write here, whatever the umask.
    chmodSync(g, 0o700);
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
  // Each checkout's tree read in node where it can be: two git processes fewer per job.
  const trees = batch.map((r) => treeOfCommit(join(r.dir, '.git', 'objects'), r.commit));
  const top = trees.every((t) => t !== undefined) ? writeTopTree(g, batch.map((r, i) => [basename(r.dir), trees[i]!])) : undefined;
  const script = join(g, `${b}.sh`);
  writeFileSync(script, jobScript(g, b, parent, batch, top));
  // Each checkout keeps the time its own read-tree would have had.
  const res = await gitShellScript(ctx, script, { cwd: parent, timeoutMs: ctx.defaults.gitQuickTimeoutMs * batch.length });
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
