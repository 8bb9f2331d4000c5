// Polling until something a test started has happened (a marker file, a process gone).
import { setTimeout as sleep } from 'node:timers/promises';

/** Resolves once `cond()` holds; throws "timed out waiting for WHAT" after `ms`. */
export async function waitFor(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
