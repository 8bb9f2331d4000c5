// Which setup steps are due: pure, from the recorded stamps and the checkout as it is now.
import type { SetupStamp } from '../../fetch/index.js';
import type { SetupStep } from '../../types.js';

/** What identifies "this checkout at this revision" for the `when:` rules. */
export interface CheckoutIdentity {
  dir: string;
  ino: number;
  revision?: string;
  /** This run made the directory (status 'cloned'): a new checkout whatever its inode says. */
  created?: boolean;
}

/**
 * Step keys are their commands (so editing a command makes a new step that runs), with
 * `#2`, `#3`… for a command repeated within one source.
 */
export function stepKeys(steps: SetupStep[]): string[] {
  const seen = new Map<string, number>();
  return steps.map((s) => {
    const n = (seen.get(s.run) ?? 0) + 1;
    seen.set(s.run, n);
    return n === 1 ? s.run : `${s.run}#${n}`;
  });
}

/**
 * - always: every time.
 * - once: once per checkout; a checkout deleted and made again is a new one. weft knows
 *   when it made one itself; a directory made by someone else is told by its inode (the
 *   filesystem may hand a deleted directory's inode number to the next one made, so the
 *   inode alone missed checkouts weft had just made again).
 * - changed: when the revision differs from the last successful run's, and also on a new
 *   checkout, whose build products are gone whatever its revision. A source without a
 *   revision (local) counts as unchanged once the step has run.
 */
export function isDue(step: SetupStep, stamp: SetupStamp | undefined, now: CheckoutIdentity): boolean {
  if (step.when === 'always' || stamp === undefined) return true;
  const sameCheckout = !now.created && stamp.dir === now.dir && stamp.ino === now.ino;
  if (step.when === 'once') return !sameCheckout;
  return !sameCheckout || stamp.revision !== now.revision;
}
