// Answers a run needs once, not once per source (e.g. whether the user configured a git
// template): the first caller computes, the others share its promise. Lives in the run's
// FetcherContext, so nothing outlives the run.
import { mkdirSync } from 'node:fs';

export type RunOnce = <T>(key: string, make: () => Promise<T>) => Promise<T>;

export function createRunOnce(): RunOnce {
  const memo = new Map<string, Promise<unknown>>();
  return <T>(key: string, make: () => Promise<T>): Promise<T> => {
    let p = memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = make();
      memo.set(key, p);
    }
    return p;
  };
}

/** `ctx.once` when the context has one, else computed every time (same answer, more work). */
export function once<T>(ctx: { once?: RunOnce }, key: string, make: () => Promise<T>): Promise<T> {
  return ctx.once ? ctx.once(key, make) : make();
}

/** `mkdir -p dir`, once per run (a cold `weft up` of 50 sources asked for the cache's dirs 50 times each). */
export function madeDir(ctx: { once?: RunOnce }, dir: string): Promise<void> {
  return once(ctx, `mkdir:${dir}`, async () => {
    mkdirSync(dir, { recursive: true });
  });
}
