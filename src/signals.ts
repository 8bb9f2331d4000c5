// What stops weft from outside (Ctrl-C, kill, a closed terminal) and what it started.
//
// Every tool weft runs (git, svn, hg, tar; exec.ts and forker.ts) starts in a process group
// of its own, so that a timeout kills it with what it started (git's index-pack, ssh). A
// terminal's Ctrl-C goes to the terminal's foreground group only: weft's. A command that
// did not catch the signal used to die of it and leave its tools running, orphaned: a
// `git ls-remote` of `weft lock` waiting on a slow server, an `svn checkout` of `weft
// switch`. So every group is recorded while it lives, and unless the command handles the
// signal itself (`weft up` stops and cleans up; `weft run` passes it on to its command),
// weft kills those groups, says so, and then dies of the signal as it would have.
import { writeSync } from 'node:fs';
import { constants } from 'node:os';

/** What stops weft: Ctrl-C, kill, a closed terminal. */
export const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

const groups = new Set<number>();
let claims = 0;
let guarded = false;

/** Records `pid`, the leader of a process group weft started (none: a spawn that failed); call the result once it is gone. */
export function trackGroup(pid: number | undefined): () => void {
  if (pid === undefined) return () => {};
  groups.add(pid);
  return () => {
    groups.delete(pid);
  };
}

/** SIGKILLs every recorded group (each went on its own, or goes now). */
export function killGroups(): void {
  for (const pid of groups) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone already */
    }
  }
  groups.clear();
}

/**
 * Says that the caller handles SIGINT, SIGTERM and SIGHUP itself until the result is
 * called: the default below stands aside meanwhile.
 */
export function claimSignals(): () => void {
  claims++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    claims--;
  };
}

/**
 * The default for the rest of the process: on a signal nobody claimed, kill the recorded
 * groups, say so on stderr, and die of the signal (a shell loop around weft then stops, as
 * it would for any command killed by Ctrl-C).
 */
export function guardSignals(): void {
  if (guarded) return;
  guarded = true;
  for (const s of SIGNALS) process.on(s, onSignal);
}

function onSignal(sig: NodeJS.Signals): void {
  if (claims > 0) return;
  const stopped = groups.size;
  // Written synchronously: the process is about to end.
  try {
    writeSync(2, `weft: interrupted (${sig})${stopped ? `; stopped the ${stopped === 1 ? 'process' : `${stopped} processes`} it had started` : ''}\n`);
  } catch {
    /* stderr closed */
  }
  dieOf(sig);
}

/** Kills the recorded groups and ends weft with `sig`, whoever else listens for it. */
export function dieOf(sig: NodeJS.Signals): void {
  killGroups();
  for (const s of SIGNALS) process.off(s, onSignal);
  // Other listeners (signal-exit, which restores the terminal's cursor for ora) act on the
  // signal only when they are the last ones: with this one gone, they are.
  process.kill(process.pid, sig);
  // Should a listener keep it from ending weft, the status says the signal all the same.
  setTimeout(() => process.exit(128 + (constants.signals[sig] ?? 0)), 200).unref();
}
