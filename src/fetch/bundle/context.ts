// What packing and unpacking are handed: the cache, the environment and the tunables,
// plus a line-oriented progress callback. Built once per command, passed down explicitly.
import type { Defaults } from '../../defaults.js';
import { WeftError } from '../../errors.js';
import type { FetcherContext } from '../fetcher.js';
import { SourceFailure } from '../git/failure.js';

export interface BundleContext {
  cacheDir: string;
  env: NodeJS.ProcessEnv;
  defaults: Defaults;
  signal?: AbortSignal;
  /** One step for people: `bundling git twisted`, `checking hg docs`. */
  progress: (step: string, name: string, detail?: string) => void;
}

/** The fetch layer's context for the helpers this module reuses (mirror, runners). */
export function fetcherContext(ctx: BundleContext, offline: boolean): FetcherContext {
  return {
    cacheDir: ctx.cacheDir,
    env: ctx.env,
    offline,
    force: false,
    signal: ctx.signal,
    defaults: ctx.defaults,
    report: (e) => {
      if (e.phase === 'fetching') ctx.progress('fetching', e.name, e.message);
    },
  };
}

/** A source-level failure while bundling fails the whole bundle: say which source and why. */
export function sourceError(name: string, err: unknown): unknown {
  if (err instanceof SourceFailure) {
    return new WeftError(err.code, `source ${name}: ${err.message}`, {
      hint: err.detail ? `git said: ${err.detail.split('\n').slice(-3).join(' | ')}` : 'run "weft up" to see whether the source can be fetched at all',
    });
  }
  return err;
}
