// What the svn and hg fetchers share: turning an outcome into a Checkout (redacted, timed,
// reported) and building a new checkout beside its target so the target only ever
// appears complete.
import { readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExecResult } from '../exec.js';
import { redact } from '../redact.js';
import type { Checkout, CheckoutStatus, HgSource, Loc, SvnSource } from '../types.js';
import type { FetcherContext } from './fetcher.js';
import { makeScratchBeside } from './tmp.js';
import { missingTool } from './tools.js';

export interface Outcome {
  status: CheckoutStatus;
  revision?: string;
  branch?: string;
  message?: string;
  cause?: string;
  code?: string;
  /** What the lock and state record when `revision` is the user's own (never one only this checkout holds). */
  locked?: string;
  /** For a failure about something the manifest says (a ref upstream lacks): where, and how to fix it. */
  loc?: Loc;
  hint?: string;
}

export function failed(code: string, message: string, cause?: string): Outcome {
  return { status: 'failed', code, message, cause };
}

/**
 * A revision the repository lacks (`o`, failed). Named by the manifest: said where its
 * `ref:` is (`refLoc`), with `fix`. Pinned by weft.lock (no `refLoc`): how to pin anew.
 */
export function refMissing(o: Outcome, name: string, refLoc: Loc | undefined, fix: string): Outcome {
  if (refLoc === undefined) return { ...o, hint: `weft.lock pins a revision the repository no longer has: run "weft update ${name}" to pin what \`ref\` names now` };
  return { ...o, loc: refLoc, hint: fix };
}

/** The Checkout for an outcome; every text in it is redacted, and the end is reported. */
export function finish(source: SvnSource | HgSource, ctx: FetcherContext, startedMs: number, o: Outcome): Checkout {
  const checkout: Checkout = {
    name: source.name,
    type: source.type,
    dir: source.dir,
    status: o.status,
    durationMs: Date.now() - startedMs,
  };
  if (o.revision !== undefined) checkout.revision = o.revision;
  if (o.branch !== undefined) checkout.branch = o.branch;
  if (o.message !== undefined) checkout.message = redact(o.message);
  if (o.cause) checkout.cause = redact(o.cause);
  if (o.code !== undefined) checkout.code = o.code;
  if (o.locked !== undefined) checkout.locked = o.locked;
  if (o.loc !== undefined) checkout.loc = o.loc;
  if (o.hint !== undefined) checkout.hint = redact(o.hint);
  ctx.report({ name: source.name, phase: o.status === 'failed' ? 'failed' : 'done', message: checkout.message });
  return checkout;
}

/** The last lines of a child's stderr (or stdout when stderr is empty), for `cause`. */
export function causeOf(res: ExecResult, maxLines = 8): string {
  const text = (res.stderr.trim() || res.stdout.trim()).split('\n');
  const tail = text.slice(-maxLines).join('\n');
  const how = res.signal ? ` (killed by ${res.signal}; timed out or cancelled)` : '';
  return redact(`${tail}${how}`.trim());
}

export type TargetState = 'missing' | 'empty' | 'repo' | 'occupied';

/** What is at a checkout target: nothing, an empty dir, a repo (has `marker`), or something else. */
export async function targetState(dir: string, marker: string): Promise<TargetState> {
  const st = await stat(dir).catch(() => undefined);
  if (!st) return 'missing';
  if (!st.isDirectory()) return 'occupied';
  if (await stat(join(dir, marker)).then((m) => m.isDirectory(), () => false)) return 'repo';
  return (await readdir(dir)).length === 0 ? 'empty' : 'occupied';
}

/**
 * Runs `build(into)` on a fresh directory beside `dir` (same filesystem) and renames the
 * result onto `dir` only when it succeeded, so an interrupted or failed fetch never leaves
 * a half checkout at the target. The temp parent is always removed.
 */
export async function buildBeside<T>(dir: string, build: (into: string) => Promise<T>, ok: (r: T) => boolean): Promise<T> {
  // Named with host and pid: a run killed meanwhile leaves it for the next one to remove.
  const tmp = makeScratchBeside(dir);
  try {
    const into = join(tmp, 'checkout');
    const result = await build(into);
    // rename() replaces an empty directory silently, which is what we want here: targetState
    // said it was empty (or missing); a directory that gained files meanwhile makes it fail.
    if (ok(result)) await rename(into, dir);
    return result;
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Bounded, human list of paths for a message: `a, b, c and 4 more`. */
export function listPaths(paths: string[], max = 5): string {
  const shown = paths.slice(0, max).join(', ');
  return paths.length > max ? `${shown} and ${paths.length - max} more` : shown;
}

/**
 * Runs a fetcher's converge step and makes a Checkout of it. Filesystem trouble
 * (permissions, a full disk) is this source's failure, not weft's bug; anything else
 * is a programmer error and is thrown.
 */
export async function convergeSource<S extends SvnSource | HgSource>(
  source: S,
  ctx: FetcherContext,
  converge: (source: S, ctx: FetcherContext) => Promise<Outcome>,
  ioCode: string,
): Promise<Checkout> {
  const started = Date.now();
  let outcome: Outcome;
  try {
    const missing = await missingTool(ctx, source.type);
    outcome = missing ? failed('WEFT_E_TOOL_MISSING', `${source.type} source ${source.name}: ${missing}`) : await converge(source, ctx);
  } catch (err) {
    if (!isSystemError(err)) throw err;
    outcome = failed(ioCode, `${source.type} source ${source.name}: ${err.message}`);
  }
  return finish(source, ctx, started, outcome);
}

function isSystemError(err: unknown): err is NodeJS.ErrnoException {
  return err instanceof Error && typeof (err as NodeJS.ErrnoException).code === 'string';
}
