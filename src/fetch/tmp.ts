// Private scratch directories in the cache's tmp/ and beside checkouts. Names carry the
// host and pid of their maker so a later run can remove what a killed one left behind.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { pidAlive } from './lockfile.js';
import { once, type RunOnce } from './once.js';

const HOST = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);

/** A unique name `<host>-<pid>-<random>` for scratch space. */
export function scratchName(): string {
  return `${HOST}-${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** True when `name` (ending in a scratchName) was made on this host by a process that is gone. */
export function isAbandoned(name: string): boolean {
  const m = /([0-9a-f]{8})-(\d+)-[0-9a-f]{12}$/.exec(name);
  return !!m && m[1] === HOST && !pidAlive(Number(m[2]));
}

/** Creates `<cacheDir>/tmp/<scratchName>` and returns it. */
export function makeCacheScratch(cacheDir: string): string {
  const dir = join(cacheDir, 'tmp', scratchName());
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Removes a scratch file or directory if it is still there: in a `finally` after the usual
 * rename into place there is nothing left, and rmSync finds that out by throwing (and
 * catching) an ENOENT with a stack trace, ~0.3 ms a call, several per source on every run.
 */
export function removeScratch(path: string): void {
  if (existsSync(path)) rmSync(path, { recursive: true, force: true });
}

/**
 * Removes scratch entries under `dir` whose maker died (e.g. a kill -9 mid-clone), of those
 * `match` names. Best effort: a killed weft's git children live on in their own process
 * groups and may still be writing there (rm then fails with ENOTEMPTY); such an entry is
 * left for a later run instead of failing this one.
 */
export function sweepAbandoned(dir: string, match: (name: string) => boolean = () => true): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!match(name) || !isAbandoned(name)) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
    } catch {
      /* still in use or not removable now: the next sweep tries again */
    }
  }
}

/** The start of the scratch name a new checkout of `target` is built under, beside it. */
export function scratchPrefix(target: string): string {
  return `.${basename(target)}${CHECKOUT_SCRATCH}`;
}

const CHECKOUT_SCRATCH = '.weft-tmp-';

/** Removes what killed runs left beside the checkouts in `parent` (scratchPrefix + scratchName). */
function sweepCheckoutScratch(parent: string): void {
  sweepAbandoned(parent, (name) => name.startsWith('.') && name.includes(CHECKOUT_SCRATCH));
}

/**
 * Makes the directory new checkouts are built beside (scratchPrefix + scratchName) and
 * removes what killed runs left there: once per directory per run, not once per source.
 */
export function scratchParent(ctx: { once?: RunOnce }, parent: string): Promise<void> {
  return once(ctx, `scratch-parent:${parent}`, async () => {
    mkdirSync(parent, { recursive: true });
    sweepCheckoutScratch(parent);
  });
}

/**
 * A scratch path beside `target` (same filesystem, so a rename can place it), named so
 * that a later run removes it if this one is killed; what killed runs left there is
 * removed first.
 */
export function scratchBeside(target: string): string {
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  sweepCheckoutScratch(parent);
  return join(parent, scratchPrefix(target) + scratchName());
}

/** scratchBeside, made as a directory. */
export function makeScratchBeside(target: string): string {
  const tmp = scratchBeside(target);
  mkdirSync(tmp);
  return tmp;
}
