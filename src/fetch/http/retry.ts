// Jittered exponential backoff: many weft processes behind one NAT retrying in lockstep
// would hammer a struggling server at the same instants.

export function backoffMs(attempt: number, baseMs: number, random: () => number = Math.random): number {
  return Math.round(baseMs * 2 ** attempt * (0.5 + random()));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The longest Retry-After weft sleeps through; a server asking for more fails at once. */
export const MAX_RETRY_AFTER_MS = 60_000;

/**
 * A Retry-After header (delay-seconds or an HTTP-date) in milliseconds from `now`, or
 * undefined when absent or unreadable. A date in the past is 0.
 */
export function retryAfterMs(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
