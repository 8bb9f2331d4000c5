// A damaged mirror heals on the next run: the attempt that met the damage is undone (it
// only ever wrote scratch space), the entry is moved into the cache's tmp/ under its lock,
// and the attempt runs once more, rebuilding the entry exactly as for a missing one.
// Checkouts have objects of their own, so nothing here touches one.
import { renameSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { redact } from '../../redact.js';
import type { FetcherContext } from '../fetcher.js';
import { madeDir } from '../once.js';
import { scratchName } from '../tmp.js';
import { confirmDamage, entryIdentity } from './damage.js';
import { MirrorDamaged, SourceFailure } from './failure.js';
import { lockMirror, mirrorPath } from './mirror.js';
import type { Git } from './run.js';

interface Damage {
  mirror: string;
  why: string;
  /** The damaged entry's identity when seen, so a rebuilt one at the same path is left alone. */
  identity: string | undefined;
}

/** The damage behind a failed attempt; undefined when the failure is anything else. */
async function damageOf(git: Git, ctx: FetcherContext, err: unknown, mirror: string, identity: string | undefined): Promise<Damage | undefined> {
  if (err instanceof MirrorDamaged) return { mirror: err.mirror, why: err.why, identity: err.identity };
  if (!(err instanceof SourceFailure) || err.needsAuth || !err.detail || err.code === 'WEFT_E_GIT_TIMEOUT') return undefined;
  const why = await confirmDamage(git, mirror, err.detail, ctx.defaults.gitTimeoutMs);
  return why ? { mirror, why, identity } : undefined;
}

/** Moves the damaged entry into tmp/; false when another weft already replaced or removed it. */
async function setAside(ctx: FetcherContext, damage: Damage, url: string, name: string): Promise<boolean> {
  const lock = await lockMirror(ctx, damage.mirror, url, name);
  try {
    if (damage.identity === undefined || entryIdentity(damage.mirror) !== damage.identity) return false;
    await madeDir(ctx, join(ctx.cacheDir, 'tmp'));
    const aside = join(ctx.cacheDir, 'tmp', scratchName());
    renameSync(damage.mirror, aside);
    // Not awaited: a big damaged entry must not hold up the run. Whatever a kill leaves
    // is swept by a later run (its maker's pid is then gone, see tmp.ts).
    void rm(aside, { recursive: true, force: true }).catch(() => undefined);
    return true;
  } finally {
    lock.release();
  }
}

/**
 * Runs `attempt`; when it fails because the cache's mirror of `url` is damaged, sets the
 * mirror aside and runs it once more. Offline nothing can be fetched again: the source
 * fails with WEFT_E_CACHE_DAMAGED and the entry is left where it is (an offline run
 * changes nothing it cannot put back, and the next online run heals it).
 */
export async function healing<T extends { message?: string }>(
  git: Git,
  ctx: FetcherContext,
  src: { url: string; name: string },
  attempt: () => Promise<T>,
): Promise<T & { healed?: boolean }> {
  const mirror = mirrorPath(ctx.cacheDir, src.url);
  // What the attempt starts from: git's complaints are blamed only on this entry.
  const before = entryIdentity(mirror);
  try {
    return await attempt();
  } catch (err) {
    // Whatever comes next (git judging the damage, a lock, a fetch) is not quick: new
    // checkouts beside this source need not wait for it.
    ctx.joining?.leave();
    const damage = await damageOf(git, ctx, err, mirror, before);
    if (!damage) {
      // Another weft set the damaged entry aside while this attempt read it: try its rebuild.
      const now = entryIdentity(mirror);
      if (before !== undefined && now !== before && err instanceof SourceFailure && !err.needsAuth) return attempt();
      throw err;
    }
    if (ctx.offline) {
      throw new SourceFailure(
        'WEFT_E_CACHE_DAMAGED',
        `the cache's copy of ${redact(src.url)} is damaged (${damage.why}) and --offline cannot fetch it again, so it is left as it is; run \`weft up\` without --offline to fetch it again`,
        `${damage.mirror}: ${damage.why}`,
      );
    }
    // Another weft set it aside first: its rebuild (or ours, whoever locks first) is used.
    if (!(await setAside(ctx, damage, src.url, src.name))) return attempt();
    ctx.report({ name: src.name, phase: 'fetching', message: `the cache's copy was damaged (${damage.why}); fetching it again` });
    const done = await attempt();
    const note = `the cache's copy was damaged (${damage.why}); fetched it again`;
    return { ...done, healed: true, message: [note, done.message].filter(Boolean).join('; ') };
  }
}
