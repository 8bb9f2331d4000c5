import { availableParallelism } from 'node:os';

/** Every tunable default in one place, units in the names. */
export const defaults = {
  /** Workers for fetch/checkout; git is mostly waiting on I/O, so more than the cores. */
  jobs: Math.max(4, Math.min(16, availableParallelism() * 4)),
  /**
   * The most -j/--jobs takes: the default's 4 per core on a 64-core machine. Each worker of
   * weft up is a git process (with its pipes and memory), each of foreach a command; a
   * mistyped -j 100000 would start one per source at once.
   */
  maxJobs: 256,
  jobsPerHost: 8,
  gitTimeoutMs: 10 * 60_000,
  gitQuickTimeoutMs: 60_000,
  setupTimeoutMs: 30 * 60_000,
  workspaceLockWaitMs: 30_000,
  staleLockMs: 10 * 60_000,
  fetchTimeoutMs: 30 * 60_000,
  stallTimeoutMs: 30_000,
  maxArchiveBytes: 2 * 1024 ** 3,
  maxExtractedBytes: 8 * 1024 ** 3,
  maxArchiveEntries: 500_000,
  maxEntryBytes: 4 * 1024 ** 3,
  maxPathDepth: 200,
  maxRedirects: 10,
  retries: 3,
  retryBaseMs: 250,
} as const;

export type Defaults = typeof defaults;
