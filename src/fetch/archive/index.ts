// The archive fetcher: converge a source's directory to the verified contents of one
// archive, sharing downloads and extractions through the cache.
import { createHash } from 'node:crypto';
import { lstat, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import { isWeftError } from '../../errors.js';
import { redact } from '../../redact.js';
import type { ArchiveSource, Checkout, CheckoutStatus } from '../../types.js';
import type { Fetcher, FetcherContext } from '../fetcher.js';
import { createDispatcher } from '../http/dispatcher.js';
import { ensureCached } from './cache.js';
import type { ExternalTool } from './decompress.js';
import { parseIntegrity, type Integrity } from './integrity.js';
import { withLock, type LockOptions } from './lock.js';
import { describeDiscard, describeForced, nameSome, survey, type Survey } from './keep.js';
import { changesSince, readMarker, type Marker } from './marker.js';
import { placeTree } from './place.js';

export interface ArchiveFetcherDeps {
  /** Builds the HTTP dispatcher for one download (default: env proxy agent from ctx.env). */
  dispatcher?: (env: NodeJS.ProcessEnv) => Dispatcher;
  /** Extra trusted CA certificates (PEM) for the default dispatcher. */
  ca?: string | string[];
  /** Largest expanded/compressed size ratio accepted before an archive counts as a bomb. */
  maxCompressionRatio?: number;
  /** Commands for the external codecs (default: `xz` and `bzip2` from PATH). */
  tools?: Partial<Record<ExternalTool, string>>;
}

/** gzip tops out near 1 030:1 on zeros; anything beyond is a bomb, not a source tree. */
const DEFAULT_MAX_RATIO = 1000;

export function createArchiveFetcher(deps: ArchiveFetcherDeps = {}): Fetcher<ArchiveSource> {
  const makeDispatcher = deps.dispatcher ?? ((env) => createDispatcher(env, deps.ca === undefined ? {} : { ca: deps.ca }));
  const maxRatio = deps.maxCompressionRatio ?? DEFAULT_MAX_RATIO;

  return async (source, ctx) => {
    const started = Date.now();
    const done = (status: CheckoutStatus, extra: Partial<Checkout> = {}): Checkout => {
      ctx.report({ name: source.name, phase: status === 'failed' ? 'failed' : 'done', message: extra.message });
      return {
        name: source.name,
        type: 'archive',
        dir: source.dir,
        status,
        // A failure placed nothing: what is there (if anything) is not the manifest's archive.
        ...(status === 'failed' ? {} : { revision: source.integrity }),
        durationMs: Date.now() - started,
        ...extra,
      };
    };
    try {
      const integrity = parseIntegrity(source.integrity);
      const current = await inspect(source.dir);
      if (current.kind === 'weft' && isSame(current.marker, integrity, source.strip)) return done('unchanged');
      await mkdir(join(ctx.cacheDir, 'locks'), { recursive: true });
      return await withLock(workspaceLock(ctx, source.dir), lockOptions(ctx, source.dir), async () => {
        // Re-read under the lock: another weft may have converged it while we waited.
        const now = await inspect(source.dir);
        if (now.kind === 'weft' && isSame(now.marker, integrity, source.strip)) return done('unchanged');
        const keep = await reasonToKeep(source.dir, now, ctx.force);
        // Left as it is: what is there is the archive weft extracted before, if any.
        if (keep) return done('skipped', { message: keep, revision: now.kind === 'weft' ? now.marker.integrity : undefined });
        // --force over a changed tree: what goes is said before it goes, what the user added stays.
        const changes: Survey | undefined = now.kind === 'weft' && ctx.force ? await survey(source.dir, now.marker) : undefined;
        const entry = await ensureCached({
          url: source.url,
          integrity,
          format: source.format,
          cacheDir: ctx.cacheDir,
          offline: ctx.offline,
          defaults: ctx.defaults,
          maxRatio,
          tools: deps.tools,
          dispatcher: () => makeDispatcher(ctx.env),
          signal: ctx.signal,
          // The start of a download (no bytes yet) says what is fetched, as git's does.
          onProgress: (phase, bytes, totalBytes) => ctx.report({ name: source.name, phase, bytes, totalBytes, ...(phase === 'fetching' && bytes === undefined ? { message: redact(source.url) } : {}) }),
          onWait: (message) => ctx.report({ name: source.name, phase: 'waiting', message }),
        });
        const placed = await placeTree({
          entry,
          dir: source.dir,
          strip: source.strip,
          url: source.url,
          marker: { key: integrity.key, integrity: integrity.sri, strip: source.strip },
          existing: now.kind === 'absent' ? 'absent' : now.kind === 'empty' ? 'empty' : 'replace',
          carry: changes?.added,
          beforeSwap: (plan) => {
            const lost = changes ? describeDiscard(changes, plan) : now.kind === 'foreign' ? `${now.what} at ${source.dir}` : '';
            if (lost) ctx.report({ name: source.name, phase: 'discarding', message: `--force: ${lost}` });
          },
        });
        const said = changes
          ? describeForced(changes, placed ?? { keep: [], replaced: [], aside: [], asideDir: '' })
          : now.kind === 'foreign' ? `--force replaced ${now.what} at ${source.dir}` : '';
        return done(now.kind === 'absent' || now.kind === 'empty' ? 'cloned' : 'updated', said ? { message: said } : {});
      });
    } catch (err) {
      if (!isWeftError(err)) {
        const e = err as NodeJS.ErrnoException;
        return done('failed', { code: 'WEFT_E_ARCHIVE', message: redact(`${source.name}: ${e.message ?? String(err)}`) });
      }
      return done('failed', { code: err.code, message: err.message, ...(err.hint ? { hint: err.hint } : {}), ...(err.loc ? { loc: err.loc } : {}) });
    }
  };
}

export const fetchArchive: Fetcher<ArchiveSource> = (source, ctx, previous) =>
  createArchiveFetcher()(source, ctx, previous);

type Found =
  | { kind: 'absent' }
  | { kind: 'empty' }
  | { kind: 'weft'; marker: Marker }
  | { kind: 'foreign'; what: string; holds?: string[] };

async function inspect(dir: string): Promise<Found> {
  let st;
  try {
    st = await lstat(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    throw err;
  }
  if (!st.isDirectory()) return { kind: 'foreign', what: st.isSymbolicLink() ? 'a symlink' : 'a file' };
  const marker = await readMarker(dir);
  if (marker) return { kind: 'weft', marker };
  const names = (await readdir(dir)).sort();
  if (names.length === 0) return { kind: 'empty' };
  return { kind: 'foreign', what: 'a directory weft did not create', holds: names };
}

function isSame(marker: Marker, integrity: Integrity, strip: number): boolean {
  return marker.key === integrity.key && marker.strip === strip;
}

/** Why the directory must be left alone (unless forced), or undefined to go ahead. */
async function reasonToKeep(dir: string, found: Found, force: boolean): Promise<string | undefined> {
  if (found.kind === 'absent' || found.kind === 'empty') return undefined;
  if (found.kind === 'foreign') {
    // Files weft never wrote are not weft's to delete, --force or not: it cannot tell
    // whose they are. A symlink is only a name: --force replaces it (not what it points to).
    if (found.what === 'a symlink') return force ? undefined : `${dir} is a symlink; move it away or use --force to replace it (what it points to is not touched)`;
    const holds = found.holds ? ` (holding ${nameSome(found.holds)})` : '';
    return `${dir} is ${found.what}${holds}; weft does not delete files it did not write, even with --force — move it away (or empty it) and run weft up again`;
  }
  if (force) return undefined;
  const changes = await changesSince(dir, found.marker);
  if (changes.length === 0) return undefined;
  return `${dir} was changed since weft extracted it (${changes.join(', ')}); kept as is — move it away or use --force to discard the changes`;
}

function workspaceLock(ctx: FetcherContext, dir: string): string {
  return join(ctx.cacheDir, 'locks', `workspace-${createHash('sha256').update(dir).digest('hex').slice(0, 32)}.lock`);
}

function lockOptions(ctx: FetcherContext, dir: string): LockOptions {
  return { staleMs: ctx.defaults.staleLockMs, waitMs: ctx.defaults.workspaceLockWaitMs, what: dir, signal: ctx.signal };
}

