// A bounded worker pool with a per-host cap: git servers throttle (or ban) clients that
// open dozens of connections at once, while many hosts in parallel is fine.

export interface PoolTask<T> {
  /** Host the task talks to, for the per-host cap; undefined for local work. */
  host?: string;
  /** `park` waits for a promise without holding the task's slot (nor its host's). */
  run: (park: Park) => Promise<T>;
}

/**
 * Waits for `p` outside the pool's counts: a task waiting on work it handed elsewhere (a
 * batch one process writes for many tasks) lets another task start meanwhile, and takes
 * its slot back (over the limit for a moment, if need be) when `p` settles.
 */
export type Park = <R>(p: Promise<R>) => Promise<R>;

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
  let parked = 0;
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
      if (running === 0 && parked === 0 && (stopped || waiting.length === 0)) resolve(results);
    };
    const start = (i: number): void => {
      const task = tasks[i]!;
      const take = (): void => {
        running++;
        if (task.host !== undefined) perHost.set(task.host, (perHost.get(task.host) ?? 0) + 1);
      };
      const give = (): void => {
        running--;
        if (task.host !== undefined) perHost.set(task.host, (perHost.get(task.host) ?? 1) - 1);
      };
      const park: Park = async (p) => {
        give();
        parked++;
        pump();
        try {
          return await p;
        } finally {
          parked--;
          take();
        }
      };
      take();
      task
        .run(park)
        .then((r) => {
          results[i] = r;
          if (opts.failFast && opts.isFailure?.(r)) stopped = true;
        })
        .catch((err: unknown) => {
          stopped = true;
          reject(err);
        })
        .finally(() => {
          give();
          pump();
        });
    };
    pump();
  });
}
