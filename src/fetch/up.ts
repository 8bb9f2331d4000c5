// `weft up` for the fetch layer: one converging process per workspace, every selected
// source through its fetcher in a bounded pool, state.json written once at the end.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defaults as builtinDefaults, type Defaults } from '../defaults.js';
import { WeftError } from '../errors.js';
import { redact } from '../redact.js';
import type { Checkout, Plan, Source } from '../types.js';
import { cacheDirFrom } from '../cache-problem.js';
import { wentWay } from '../code-paths.js';
// The cache's parts one by one: its index also loads prune and verify, which `up` never needs.
import { enterCache } from './cache/guard.js';
import type { EntryRef } from './cache/layout.js';
import { entryOf, recordUse } from './cache/usage.js';
import type { FetchEvent, FetcherContext, PreviousCheckout } from './fetcher.js';
import { fingerprint } from './fingerprint.js';
import { userGitConfig } from './git/template.js';
import { urlHost } from './git/url.js';
import { createRunOnce } from './once.js';
import { pickFetcher } from './pick.js';
import { runPool, type Park } from './pool.js';
import { currentRevision, type InspectContext } from './inspect/index.js';
import { checkoutFromState } from './read.js';
import type { CredentialPrompt, NoPromptReason } from './retry-auth.js';
import { readState, updateState, type SourceState } from './state.js';
import { sweepAbandoned } from './tmp.js';
import { lockWorkspace, waitingForWorkspace } from './workspace-lock.js';

export interface UpOptions {
  /** Source names to converge (others are returned as recorded); default all. */
  only?: string[];
  jobs?: number;
  offline?: boolean;
  force?: boolean;
  failFast?: boolean;
  cacheDir?: string;
  env?: NodeJS.ProcessEnv;
  onEvent?: (e: FetchEvent) => void;
  signal?: AbortSignal;
  /** Overrides of the built-in tunables (lock waits, timeouts, per-host cap). */
  defaults?: { [K in keyof Defaults]?: number };
  /**
   * Only when a person can answer (a terminal; not --no-input, not CI): sources that failed
   * for want of credentials are retried one at a time after the parallel phase, git allowed
   * to prompt. Without it nothing ever prompts and those failures say how to fix them.
   */
  prompt?: CredentialPrompt;
  /** On a terminal without `prompt`: why not (CI set, --no-input), for the advice. */
  noPrompt?: NoPromptReason;
  /**
   * The caller already holds the workspace lock (`weft up` holds it across fetching,
   * setup steps and the files it writes afterwards, so two runs never interleave them).
   */
  workspaceLocked?: boolean;
}

function hostOf(s: Source): string | undefined {
  return s.type === 'local' ? undefined : urlHost(s.url);
}

function checkSelection(plan: Plan, only: string[] | undefined): void {
  if (!only) return;
  const known = new Set(plan.sources.map((s) => s.name));
  const unknown = only.filter((n) => !known.has(n));
  if (unknown.length) {
    throw new WeftError('WEFT_E_USAGE_UNKNOWN_SOURCE', `no source named ${unknown.join(', ')} in ${plan.manifest}`, {
      hint: `sources are: ${[...known].join(', ') || '(none)'}`,
    });
  }
}

function previousOf(entry: SourceState | undefined, s: Source): PreviousCheckout | undefined {
  if (!entry || entry.dir !== s.dir) return undefined;
  return { revision: entry.revision, dir: entry.dir, fingerprint: entry.fingerprint, fromBundle: entry.fromBundle };
}

/**
 * True when `prior` records a checkout weft made at another place than `s` now has, still
 * there and no other source's place now (`plan`).
 */
function leftBehind(prior: SourceState | undefined, s: Source, plan: Plan): prior is SourceState {
  return prior !== undefined && prior.dir !== s.dir && prior.type !== 'local' && existsSync(prior.dir) && !plan.sources.some((o) => o.dir === prior.dir);
}

/**
 * The branch checkout `prior` records as active for `s`, when it is gone: removed with `git
 * worktree remove` (as the docs suggest for one no longer wanted) or by hand.
 */
export function activeGone(prior: SourceState | undefined, s: Source): { branch: string; dir: string } | undefined {
  if (!prior || prior.dir !== s.dir || typeof prior.activeDir !== 'string' || existsSync(prior.activeDir)) return undefined;
  return { branch: typeof prior.activeBranch === 'string' ? prior.activeBranch : '(unknown)', dir: prior.activeDir };
}

/** What state.json records after a run; nothing for failures (the last good record stays). */
function stateUpdate(s: Source, c: Checkout, prior: SourceState | undefined): Partial<SourceState> | undefined {
  if (c.status === 'failed') return undefined;
  const fields: Partial<SourceState> = {
    type: s.type,
    dir: s.dir,
    // What weft placed there (safety.ts counts only commits beyond it as the user's): a
    // skipped source was not moved, and a branch left ahead holds the user's commits.
    revision: c.status === 'skipped' ? prior?.revision : (c.locked ?? c.revision),
    branch: c.branch,
    url: s.type === 'local' ? undefined : redact(s.url),
    ref: s.type === 'git' || s.type === 'svn' || s.type === 'hg' ? s.ref : undefined,
    status: c.status,
    // An unchanged source keeps the time of its last real fetch: slowest-first ordering
    // needs that, and a no-op run then leaves state.json byte for byte as it was.
    durationMs: c.status === 'unchanged' && prior?.durationMs !== undefined ? prior.durationMs : c.durationMs,
    updatedAt: c.status === 'unchanged' && prior?.updatedAt ? prior.updatedAt : new Date().toISOString(),
    // A skipped source has not reached what the plan asks: keep the old fingerprint so
    // the next run still sees the plan as changed.
    fingerprint: c.status === 'skipped' ? (prior?.fingerprint ?? '') : fingerprint(s),
  };
  if (c.branchGone && prior) {
    // The main checkout is the active one again; the gone branch is no checkout prune must keep.
    const { [c.branchGone.branch]: _gone, ...kept } = prior.branchDirs ?? {};
    Object.assign(fields, { activeDir: undefined, activeBranch: undefined, branchDirs: Object.keys(kept).length ? kept : undefined });
  }
  if (prior && prior.dir !== s.dir) {
    Object.assign(fields, { activeDir: undefined, activeBranch: undefined, inPlace: undefined });
    // The checkout at the old place stays where it is (it may hold work): recorded, so
    // `weft prune` can remove it once it holds none.
    const left = [...(prior.leftDirs ?? []).filter((l) => l.dir !== s.dir && existsSync(l.dir)), ...(c.leftBehind ? [{ dir: c.leftBehind, type: prior.type }] : [])];
    fields.leftDirs = left.length ? left : undefined;
  }
  // Only an untouched export stays one; a fresh checkout in its place is a working copy.
  if (prior?.fromBundle && c.status !== 'unchanged') fields.fromBundle = undefined;
  return fields;
}

/**
 * Converges the workspace's (selected) sources; returns a Checkout for every source of the
 * plan in manifest order. Per-source problems are in the Checkouts; it throws only a
 * WeftError for the run as a whole (e.g. WEFT_E_LOCKED).
 */
export async function up(plan: Plan, opts: UpOptions = {}): Promise<Checkout[]> {
  const d = { ...builtinDefaults, ...opts.defaults } as Defaults;
  const env = opts.env ?? process.env;
  const cacheDir = opts.cacheDir ?? cacheDirFrom(env);
  checkSelection(plan, opts.only);
  // Sources that went to the network (or the damaged cache's refill): for the code cache's ways.
  const fetched = new Set<string>();
  const report = (e: FetchEvent): void => {
    if (e.phase === 'fetching') fetched.add(e.name);
    try {
      opts.onEvent?.(e);
    } catch {
      /* a broken progress display must not break the run */
    }
  };

  const lock = opts.workspaceLocked ? undefined : await lockWorkspace(plan.workspace, {
    waitMs: d.workspaceLockWaitMs,
    staleMs: d.staleLockMs,
    signal: opts.signal,
    onWait: (h) => report({ name: '', phase: 'waiting', message: waitingForWorkspace(h) }),
  });
  let inCache: { release(): void } | undefined;
  const atEnd: (() => void)[] = [];
  try {
    // Registered as a user of the cache so `weft cache prune` waits for this run to finish.
    inCache = await enterCache(cacheDir, {
      waitMs: d.workspaceLockWaitMs,
      staleMs: d.staleLockMs,
      signal: opts.signal,
      onWait: (message) => report({ name: '', phase: 'waiting', message }),
    });
    const state = readState(plan.workspace);
    sweepAbandoned(join(cacheDir, 'tmp'));
    const ctx: FetcherContext = {
      cacheDir,
      env,
      offline: !!opts.offline,
      force: !!opts.force,
      signal: opts.signal,
      report,
      defaults: d,
      runStartedMs: Date.now(),
      once: createRunOnce(),
      atRunEnd: (fn) => atEnd.push(fn),
    };
    // `weft switch --in-place` put the main checkout on another branch on purpose: converging
    // it would move it back, so it is left alone until `weft switch NAME` returns it.
    const heldInPlace = (s: Source) => state.sources[s.name]?.inPlace === true && state.sources[s.name]?.dir === s.dir;
    const chosen = plan.sources.filter((s) => (!opts.only || opts.only.includes(s.name)) && !heldInPlace(s));
    for (const s of chosen) report({ name: s.name, phase: 'queued' });
    // Every new git checkout waits for what the user's git configuration says (template.ts):
    // asked now, through the run's forker, which this starts while node sets up the first
    // sources; and only when there is one to make (a no-op run starts no git).
    if (chosen.some((s) => s.type === 'git' && !existsSync(join(s.dir, '.git')))) void userGitConfig(ctx).catch(() => undefined);

    const stamped = new Set<string>();
    const runOne = async (s: Source, park: Park): Promise<Checkout> => {
      const started = Date.now();
      let c: Checkout;
      try {
        c = await pickFetcher(s.type)(s, { ...ctx, park }, previousOf(state.sources[s.name], s));
      } catch (err) {
        // A bug in one fetcher must not take the other sources down with it.
        c = {
          name: s.name,
          type: s.type,
          dir: s.dir,
          status: 'failed',
          code: 'WEFT_E_INTERNAL',
          message: `internal error while fetching ${s.name}: ${redact(String((err as Error)?.message ?? err))}`,
          cause: redact(String((err as Error)?.stack ?? '')),
        };
      }
      // Stopped by an interrupt (its git killed): that is the reason, not what git said dying.
      if (c.status === 'failed' && opts.signal?.aborted) {
        c = { name: c.name, type: c.type, dir: c.dir, status: 'failed', code: 'WEFT_E_CANCELLED', message: 'interrupted: nothing half-made was kept; weft up finishes it' };
      }
      c.durationMs = Date.now() - started;
      wentWay(`${s.type}:${c.status}${fetched.has(s.name) ? ':fetched' : ''}`);
      // Stamped now, while other sources are still fetching, not all together after the
      // last one; the pass at the end stamps only the rest.
      if (c.status !== 'failed') {
        recordUse(cacheDir, entriesOf([s]));
        stamped.add(s.name);
      }
      report({ name: s.name, phase: c.status === 'failed' ? 'failed' : 'done', message: c.message ?? c.status });
      return c;
    };

    // Slowest first (by the durations recorded last time), so one big clone does not start
    // last and leave the other workers idle at the end; ties keep manifest order.
    const lastMs = (i: number) => Number(state.sources[chosen[i]!.name]?.durationMs ?? 0);
    const order = chosen.map((_, i) => i).sort((a, b) => lastMs(b) - lastMs(a) || a - b);
    const ran = await runPool(
      order.map((i) => ({ host: hostOf(chosen[i]!), run: (park) => runOne(chosen[i]!, park) })),
      { jobs: opts.jobs ?? d.jobs, jobsPerHost: d.jobsPerHost, failFast: opts.failFast, isFailure: (c) => c.status === 'failed', signal: opts.signal },
    );
    const results: (Checkout | undefined)[] = [];
    order.forEach((i, k) => (results[i] = ran[k]));
    // The credential machinery (prompts, ssh masters) loads only when a source needs it.
    if (results.some((c) => c?.status === 'failed' && c.needsAuth)) {
      const { retryAuthFailures } = await import('./retry-auth.js');
      await retryAuthFailures(chosen, results, { ctx, previous: (s) => previousOf(state.sources[s.name], s), prompt: opts.prompt, noPrompt: opts.noPrompt });
    }

    const done = new Map<string, Checkout>();
    const updates: Record<string, Partial<SourceState>> = {};
    chosen.forEach((s, i) => {
      const c = results[i] ?? {
        name: s.name,
        type: s.type,
        dir: s.dir,
        status: 'skipped' as const,
        message: opts.signal?.aborted ? 'not attempted: interrupted' : 'not attempted: --fail-fast stopped after a failure',
      };
      const prior = state.sources[s.name];
      if (results[i] && c.status !== 'failed' && leftBehind(prior, s, plan)) c.leftBehind = prior.dir;
      const gone = results[i] && c.status !== 'failed' ? activeGone(prior, s) : undefined;
      if (gone) c.branchGone = gone;
      done.set(s.name, c);
      const u = stateUpdate(s, c, prior);
      if (u && results[i]) updates[s.name] = u;
    });
    const written = Object.keys(updates).length ? updateState(plan.workspace, updates) : state;

    const checkouts = await Promise.all(
      plan.sources.map(async (s): Promise<Checkout> => {
        const c = done.get(s.name);
        if (!c) {
          if (!heldInPlace(s)) return { ...checkoutFromState(s, written), message: 'not selected', notSelected: true };
          return heldCheckout(s, checkoutFromState(s, written), written.sources[s.name]?.activeBranch, { env, cacheDir });
        }
        const active = written.sources[s.name]?.activeDir;
        return c.status !== 'failed' && typeof active === 'string' ? { ...c, dir: active, switched: 'worktree' as const } : c;
      }),
    );
    // Every entry this workspace stands on, fetched this run or not: what prune must keep.
    recordUse(cacheDir, entriesOf(plan.sources.filter((s, i) => checkouts[i]!.status !== 'failed' && !stamped.has(s.name))));
    return checkouts;
  } finally {
    for (const fn of atEnd) {
      try {
        fn();
      } catch {
        /* clean-up must not hide the run's own outcome */
      }
    }
    inCache?.release();
    lock?.release();
  }
}

/**
 * A checkout switched in place, which up leaves alone: shown at what is checked out there
 * now (the branch's changeset, a commit made since), while the lock keeps what weft up
 * last placed (`locked`), the manifest's side of it.
 */
async function heldCheckout(s: Source, c: Checkout, branch: string | undefined, ctx: InspectContext): Promise<Checkout> {
  const now = await currentRevision(s.type, c.dir, ctx).catch(() => undefined);
  const message = `switched in place to ${branch}; left as is (weft switch ${s.name} returns it to the manifest's ref)`;
  return now === undefined || now === c.revision ? { ...c, message } : { ...c, revision: now, locked: c.revision, message };
}

/** The cache entries `sources` are served from (git mirrors, archive trees). */
function entriesOf(sources: Source[]): EntryRef[] {
  return sources.map(entryOf).filter((e): e is EntryRef => e !== undefined);
}
