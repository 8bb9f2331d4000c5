// Ctrl-C (or SIGTERM, SIGHUP) during a command that winds down on its own: the first signal
// aborts the run, which says what it does about it, and the command exits 130 when done;
// a second one quits at once. `weft up` stops the way it stops for --fail-fast — no new
// source starts, the git processes in flight are killed with their process groups — and
// every source then cleans up after itself in its own `finally` (scratch removed, locks let
// go), keeping what converged; quitting at once leaves scratch for the next run to sweep,
// as a kill -9 does. `weft foreach` passes the signal on to its commands and waits for them.
import { claimSignals, dieOf, SIGNALS } from '../signals.js';
import type { CommandContext } from './command.js';

export interface Interrupt {
  signal: AbortSignal;
  /** True once a signal came. */
  readonly interrupted: boolean;
  dispose(): void;
}

export interface InterruptOptions {
  /** What the run does now, said after "weft: interrupted (SIGINT): ". */
  doing: string;
  /** Runs first on the first signal (stop the spinners, pass the signal on). */
  before?: (sig: NodeJS.Signals) => void;
  /** Runs on the second signal, just before weft dies of it. */
  quit?: () => void;
}

/** Turns the signals into an abort for this run until `dispose()`. */
export function catchInterrupt(ctx: CommandContext, opts: InterruptOptions): Interrupt {
  const ac = new AbortController();
  const release = claimSignals();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (ac.signal.aborted) {
      // Killed by the signal, as the user asked, with every tool still running: the exit
      // status says which one.
      opts.quit?.();
      dispose();
      dieOf(sig);
      return;
    }
    opts.before?.(sig);
    ctx.stderr.write(`weft: interrupted (${sig}): ${opts.doing}; again to quit at once\n`);
    ac.abort();
  };
  const dispose = (): void => {
    for (const s of SIGNALS) process.off(s, onSignal);
    release();
  };
  for (const s of SIGNALS) process.on(s, onSignal);
  return {
    signal: ac.signal,
    get interrupted() {
      return ac.signal.aborted;
    },
    dispose,
  };
}
