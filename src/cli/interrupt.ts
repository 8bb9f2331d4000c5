// Ctrl-C (or SIGTERM, SIGHUP) during `weft up`: the run stops the way it stops for
// --fail-fast — no new source starts, the git processes in flight are killed with their
// process groups — and every source then cleans up after itself in its own `finally`:
// scratch checkouts and cache scratch removed, cache and workspace locks let go. The run
// says so, keeps what converged, and exits 130. A second signal quits at once, leaving
// scratch for the next run to sweep, as a kill -9 does.
import { claimSignals, dieOf, SIGNALS } from '../signals.js';
import type { CommandContext } from './command.js';

export interface Interrupt {
  signal: AbortSignal;
  /** True once a signal came. */
  readonly interrupted: boolean;
  dispose(): void;
}

/** Turns the signals into an abort for this run until `dispose()`; `before` runs first (stop the spinners). */
export function catchInterrupt(ctx: CommandContext, before: () => void): Interrupt {
  const ac = new AbortController();
  const release = claimSignals();
  const onSignal = (sig: NodeJS.Signals): void => {
    if (ac.signal.aborted) {
      // Killed by the signal, as the user asked, with every tool still running: the exit
      // status says which one.
      dispose();
      dieOf(sig);
      return;
    }
    before();
    ctx.stderr.write(`weft: interrupted (${sig}): stopping the sources in progress and cleaning up; again to quit at once\n`);
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
