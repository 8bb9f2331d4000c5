// Answers a run needs once, not once per source (e.g. whether the user configured a git
// template): the first caller computes, the others share its promise. Lives in the run's
// FetcherContext, so nothing outlives the run.

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
