// The one signature every fetcher (git, archive, local, svn, hg) has. A fetcher converges
// one source's checkout to what the plan asks for and says what it did; it never throws
// for a source-level failure (it returns status 'failed' with message and cause), so one
// bad source never stops the others. It throws only for programmer errors.
import type { Defaults } from '../defaults.js';
import type { Checkout, Source } from '../types.js';
import type { RunOnce } from './once.js';
import type { Park } from './pool.js';

export interface FetchEvent {
  name: string;
  /** e.g. 'queued' | 'fetching' | 'checkout' | 'extracting' | 'discarding' (what --force is about to lose) | 'done' | 'failed' */
  phase: string;
  bytes?: number;
  totalBytes?: number;
  message?: string;
}

export interface FetcherContext {
  /** Absolute cache root ($WEFT_CACHE_DIR | $XDG_CACHE_HOME/weft | ~/.cache/weft). */
  cacheDir: string;
  /** Environment the child processes start from (already cleaned of GIT_DIR etc. by git helpers). */
  env: NodeJS.ProcessEnv;
  /** Never touch the network; fail clearly for anything missing. */
  offline: boolean;
  /** Allowed to discard local work; callers say what will be discarded first. */
  force: boolean;
  signal?: AbortSignal;
  report: (event: FetchEvent) => void;
  defaults: Defaults;
  /** When this run started (ms since epoch): a cache entry refreshed since then is not fetched again. */
  runStartedMs?: number;
  /** Per-run memo for answers every source shares (see once.ts); absent, each source works them out. */
  once?: RunOnce;
  /** Registers clean-up for when the run ends (e.g. a helper process); absent, fetchers keep nothing running. */
  atRunEnd?: (fn: () => void) => void;
  /** Waits for `p` without holding the task's slot in the run's pool (see pool.ts); absent, just waits. */
  park?: Park;
  /** Set while this source is expected to join a group of new checkouts (git/checkout-batch.ts). */
  joining?: Joining;
}

/** A source's place among those a group waits for; `leave()` when it will not join soon. Idempotent. */
export interface Joining {
  leave: () => void;
}

/** What weft recorded for this source last time (from .weft/state.json), if anything. */
export interface PreviousCheckout {
  revision?: string;
  dir?: string;
  /** The plan entry's fingerprint last time, to tell "manifest changed" from "user moved it". */
  fingerprint?: string;
  /** Set when `weft up --from` placed a plain export here (svn), not a working copy. */
  fromBundle?: string;
}

export type Fetcher<S extends Source = Source> = (
  source: S,
  ctx: FetcherContext,
  previous?: PreviousCheckout,
) => Promise<Checkout>;
