// The cache's bare mirrors: `<cacheDir>/git/<key>.git`, one per normalised URL, shared by
// every workspace. Built in tmp/ and renamed into place whole; written only under the
// entry's lock; fetched at most once per run.
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redact } from '../../redact.js';
import type { FetcherContext } from '../fetcher.js';
import { acquireLock, waitingForEntry, type HeldLock } from '../lockfile.js';
import { makeCacheScratch, removeScratch } from '../tmp.js';
import { mirrorShape } from './damage.js';
import { gitFailure, MirrorDamaged, ok, SourceFailure } from './failure.js';
import { listRefs, readRef } from './refs-fs.js';
import type { Git, GitCredentials } from './run.js';
import { mirrorKey } from './url.js';

export const BRANCHES_AND_TAGS = ['+refs/heads/*:refs/heads/*', '+refs/tags/*:refs/tags/*'];

/** What the caller needs from the mirror; decides whether the network is touched. */
export type MirrorNeed =
  | { kind: 'latest' } // a branch or the default branch: refresh once per run
  | { kind: 'commit'; commit: string; names?: string[] } // names: full refs, one of which must be there too
  | { kind: 'name'; ref: string }; // a branch or tag name not yet known to be either

export interface MirrorRequest {
  url: string;
  creds?: GitCredentials;
  depth?: number;
  need: MirrorNeed;
}

export function mirrorPath(cacheDir: string, url: string): string {
  return join(cacheDir, 'git', `${mirrorKey(url)}.git`);
}

/** Touched after every fetch: a mirror fetched since the run started is not fetched again. */
export const STAMP = 'weft-fetched';

export function fetchedThisRun(mirror: string, ctx: FetcherContext): boolean {
  if (ctx.runStartedMs === undefined) return false;
  try {
    return statSync(join(mirror, STAMP)).mtimeMs >= ctx.runStartedMs;
  } catch {
    return false;
  }
}

/** True when a branch, tag or kept ref of the mirror points at `commit`: read from files, no git. */
function namedByRef(mirror: string, commit: string): boolean {
  if (readRef(mirror, `refs/weft/keep/${commit}`)?.commit === commit) return true;
  for (const prefix of ['refs/heads/', 'refs/tags/']) {
    for (const v of listRefs(mirror, prefix)?.values() ?? []) if (v.commit === commit || v.peeled === commit) return true;
  }
  return false;
}

async function hasCommit(git: Git, mirror: string, commit: string): Promise<boolean> {
  // A locked commit is usually a branch tip or a tag: answering from the refs saves a
  // git process per source on a warm cache. Refs point only at objects already stored.
  if (namedByRef(mirror, commit)) return true;
  const res = await git(['cat-file', '-e', `${commit}^{commit}`], { cwd: mirror });
  return res.code === 0;
}

/** Whether the mirror can answer `need` as it is, without fetching. */
async function satisfied(git: Git, mirror: string, need: MirrorNeed, ctx: FetcherContext): Promise<boolean> {
  switch (need.kind) {
    case 'latest':
      return ctx.offline || fetchedThisRun(mirror, ctx);
    case 'commit':
      if (need.names && !ctx.offline && !need.names.some((n) => readRef(mirror, n))) return false;
      return hasCommit(git, mirror, need.commit);
    case 'name':
      // Tags are immutable by convention: present means done. Branches float.
      if (readRef(mirror, `refs/heads/${need.ref}`)) return ctx.offline || fetchedThisRun(mirror, ctx);
      return !!readRef(mirror, `refs/tags/${need.ref}`) || ctx.offline;
  }
}

/** The mirror's shape from its files; a damaged one is a MirrorDamaged (the fetcher heals it). */
function shapeOf(mirror: string): { absent: boolean } {
  const shape = mirrorShape(mirror);
  if (shape.damage) throw new MirrorDamaged(mirror, shape.damage, shape.identity);
  return shape;
}

/**
 * The entry's lock, held while anything writes to it, moves it or makes it. A wait says
 * who holds it and which file to remove if no weft is running: it can last as long as
 * the holder's fetch, or until a lock whose pid now belongs to another process goes stale.
 */
export function lockMirror(ctx: FetcherContext, mirror: string, url: string, name: string): Promise<HeldLock> {
  const path = `${mirror}.lock`;
  return acquireLock(path, {
    staleMs: ctx.defaults.staleLockMs,
    waitMs: ctx.defaults.gitTimeoutMs + ctx.defaults.staleLockMs,
    purpose: `mirror ${redact(url)}`,
    signal: ctx.signal,
    onWait: (h) => ctx.report({ name, phase: 'waiting', message: waitingForEntry(h, 'is updating this repository in the cache', path) }),
  });
}

/**
 * Makes sure the mirror for `req.url` exists and can answer `req.need`, fetching only
 * when it cannot; returns its path. Throws SourceFailure (MirrorDamaged when its files
 * show it damaged).
 */
export async function ensureMirror(git: Git, ctx: FetcherContext, req: MirrorRequest, name: string): Promise<string> {
  const mirror = mirrorPath(ctx.cacheDir, req.url);
  if (!shapeOf(mirror).absent && (await satisfied(git, mirror, req.need, ctx))) return mirror;
  // From here on this source is not quick: new checkouts beside it need not wait for it.
  ctx.joining?.leave();
  if (ctx.offline) {
    throw new SourceFailure(
      'WEFT_E_OFFLINE',
      existsSync(mirror)
        ? `${describeNeed(req.need)} of ${redact(req.url)} is not in the cache; run without --offline`
        : `${redact(req.url)} is not in the cache; run without --offline`,
    );
  }
  mkdirSync(join(ctx.cacheDir, 'git'), { recursive: true });
  const lock = await lockMirror(ctx, mirror, req.url, name);
  try {
    // Another process may have done the work while we waited for the lock.
    const { absent } = shapeOf(mirror);
    if (!absent && (await satisfied(git, mirror, req.need, ctx))) return mirror;
    ctx.report({ name, phase: 'fetching', message: redact(req.url) });
    if (absent) await cloneMirror(git, ctx, req, mirror);
    else await fetchMirror(git, req, mirror);
    writeFileSync(join(mirror, STAMP), '');
    if (req.need.kind === 'commit') await ensureCommit(git, req, mirror, req.need.commit, name);
    return mirror;
  } finally {
    lock.release();
  }
}

function describeNeed(need: MirrorNeed): string {
  return need.kind === 'commit' ? `commit ${need.commit}` : need.kind === 'name' ? `ref ${need.ref}` : 'the latest state';
}

async function cloneMirror(git: Git, ctx: FetcherContext, req: MirrorRequest, mirror: string): Promise<void> {
  const scratch = makeCacheScratch(ctx.cacheDir);
  try {
    const tmp = join(scratch, 'mirror.git');
    const base = ['clone', '--bare', '--quiet'];
    let res = await git([...base, ...(req.depth ? ['--depth', String(req.depth)] : []), '--', req.url, tmp], {
      network: true,
      creds: req.creds,
    });
    if (res.code !== 0 && req.depth) {
      // Some servers (dumb http, old daemons) refuse shallow clones: fall back to a full one.
      const first = gitFailure('clone', res, req.url);
      if (first.needsAuth) throw first;
      removeScratch(tmp);
      res = await git([...base, '--', req.url, tmp], { network: true, creds: req.creds });
    }
    ok(res, `cloning ${redact(req.url)}`, req.url);
    // Renaming last makes the entry visible only when complete (never onto a pre-made dir).
    renameSync(tmp, mirror);
  } finally {
    removeScratch(scratch);
  }
}

async function fetchMirror(git: Git, req: MirrorRequest, mirror: string): Promise<void> {
  const shallow = existsSync(join(mirror, 'shallow'));
  const depth = shallow && req.depth ? ['--depth', String(req.depth)] : [];
  let res = await git(['fetch', '--prune', '--quiet', ...depth, '--', req.url, ...BRANCHES_AND_TAGS], {
    cwd: mirror,
    network: true,
    creds: req.creds,
  });
  if (res.code !== 0 && depth.length) {
    const first = gitFailure('fetch', res, req.url);
    if (first.needsAuth) throw first;
    res = await git(['fetch', '--prune', '--quiet', '--unshallow', '--', req.url, ...BRANCHES_AND_TAGS], {
      cwd: mirror,
      network: true,
      creds: req.creds,
    });
  }
  ok(res, `fetching ${redact(req.url)}`, req.url);
}

/** A pinned commit outside the shallow history or the branches: unshallow, then ask for it by id. */
async function ensureCommit(git: Git, req: MirrorRequest, mirror: string, commit: string, name: string): Promise<void> {
  if (await hasCommit(git, mirror, commit)) return;
  if (existsSync(join(mirror, 'shallow'))) {
    ok(
      await git(['fetch', '--quiet', '--unshallow', '--', req.url, ...BRANCHES_AND_TAGS], { cwd: mirror, network: true, creds: req.creds }),
      `fetching the full history of ${redact(req.url)}`,
      req.url,
    );
    if (await hasCommit(git, mirror, commit)) return;
  }
  // Kept under refs/weft/ so gc never drops a commit no branch reaches.
  await git(['fetch', '--quiet', '--', req.url, `+${commit}:refs/weft/keep/${commit}`], { cwd: mirror, network: true, creds: req.creds });
  if (await hasCommit(git, mirror, commit)) return;
  throw new SourceFailure(
    'WEFT_E_GIT_NO_COMMIT',
    `commit ${commit} is not in ${redact(req.url)} (history rewritten, or a commit never pushed): check the source's commit or ref, or run \`weft update ${name}\` to move the lock to the remote's commit`,
  );
}
