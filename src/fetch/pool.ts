// A bounded worker pool with a per-host cap: git servers throttle (or ban) clients that
// open dozens of connections at once, while many hosts in parallel is fine.

export interface PoolTask<T> {
  /** Host the task talks to, for the per-host cap; undefined for local work. */
  host?: string;
  run: () => Promise<T>;
}

export interface PoolOptions<T> {
  jobs: number;
  jobsPerHost: number;
  /** After a result this says is a failure, no new task starts. */
  failFast?: boolean;
  isFailure?: (result: T) => boolean;
  signal?: AbortSignal;
}

/** Runs tasks, at most `jobs` at once and `jobsPerHost` per host; results in task order, `undefined` for tasks never started. */
export async function runPool<T>(tasks: PoolTask<T>[], opts: PoolOptions<T>): Promise<(T | undefined)[]> {
  const results: (T | undefined)[] = new Array(tasks.length).fill(undefined);
  const waiting = tasks.map((_, i) => i);
  const perHost = new Map<string, number>();
  let running = 0;
  let stopped = false;
  const jobs = Math.max(1, opts.jobs);
  const hostCap = Math.max(1, opts.jobsPerHost);

  return new Promise((resolve, reject) => {
    const pump = (): void => {
      if (opts.signal?.aborted) stopped = true;
      while (!stopped && running < jobs) {
        const at = waiting.findIndex((i) => {
          const h = tasks[i]!.host;
          return h === undefined || (perHost.get(h) ?? 0) < hostCap;
        });
        if (at < 0) break;
        const i = waiting.splice(at, 1)[0]!;
        start(i);
      }
      if (running === 0 && (stopped || waiting.length === 0)) resolve(results);
    };
    const start = (i: number): void => {
      const task = tasks[i]!;
      running++;
      if (task.host !== undefined) perHost.set(task.host, (perHost.get(task.host) ?? 0) + 1);
      task
        .run()
        .then((r) => {
          results[i] = r;
          if (opts.failFast && opts.isFailure?.(r)) stopped = true;
        })
        .catch((err: unknown) => {
          stopped = true;
          reject(err);
        })
        .finally(() => {
          running--;
          if (task.host !== undefined) perHost.set(task.host, (perHost.get(task.host) ?? 1) - 1);
          pump();
        });
    };
    pump();
  });
}
