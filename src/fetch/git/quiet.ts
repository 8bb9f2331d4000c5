// Local git commands whose output weft does not read (the warm path's `git read-tree`),
// started from one small shell per run instead of from node. Node forks its whole,
// large process for every child, on the one thread that also drives the run: on a warm
// `weft up` of many sources those forks were most of that thread's time. The shell forks
// cheaply, on another core, and reports each command's exit status on a line.
//
// Anything it cannot carry (a directory name with a newline, a dead shell, a timeout)
// answers null, and the caller does the work the ordinary way.
import { spawn } from 'node:child_process';
import { isAbsolute } from 'node:path';

// Two lines per job (id, directory). Each job runs in the background with stdin closed and
// its output dropped; `jobs` lets the shell reap finished ones as it goes. Every status is
// one short write, so lines from parallel jobs never interleave.
const SCRIPT = `while IFS= read -r id && IFS= read -r dir; do
  { cd "$dir" && "$@" </dev/null >/dev/null 2>&1; echo "$id $?"; } &
  jobs >/dev/null
done
wait`;

export interface QuietRunner {
  /** Runs the command in `dir` (absolute); its exit status, or null when this runner could not. */
  run(dir: string): Promise<number | null>;
  /** Lets the shell finish what it was given and exit. */
  close(): void;
}

export interface QuietOptions {
  env: NodeJS.ProcessEnv;
  /** Per command; a command over time ends the shell (and every command in it). */
  timeoutMs: number;
  signal?: AbortSignal;
}

export function quietRunner(cmd: readonly string[], opts: QuietOptions): QuietRunner {
  const child = spawn('sh', ['-c', SCRIPT, 'weft-quiet', ...cmd], {
    env: opts.env,
    stdio: ['pipe', 'pipe', 'ignore'],
    // Its own process group, so a timeout or abort takes every running command with it.
    detached: true,
  });
  const pending = new Map<number, { resolve: (code: number | null) => void; timer: NodeJS.Timeout }>();
  let dead = false;
  let next = 0;
  let buffered = '';

  const hold = (on: boolean): void => {
    // Idle, the shell must not keep weft alive; it exits when weft's end of stdin closes.
    for (const h of [child, child.stdin, child.stdout] as { ref?(): void; unref?(): void }[]) {
      if (on) h.ref?.();
      else h.unref?.();
    }
  };
  const finishAll = (): void => {
    dead = true;
    for (const [, p] of pending) {
      clearTimeout(p.timer);
      p.resolve(null);
    }
    pending.clear();
    hold(false);
  };
  const kill = (): void => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    finishAll();
  };

  child.on('error', finishAll);
  child.on('close', finishAll);
  child.stdin!.on('error', () => {});
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const m = /^(\d+) (\d+)$/.exec(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      const p = m ? pending.get(Number(m[1])) : undefined;
      if (!m || !p) continue;
      pending.delete(Number(m[1]));
      clearTimeout(p.timer);
      p.resolve(Number(m[2]));
    }
    if (pending.size === 0) hold(false);
  });
  opts.signal?.addEventListener('abort', kill, { once: true });
  hold(false);

  return {
    run(dir) {
      if (dead || opts.signal?.aborted || !isAbsolute(dir) || /[\n\r\0]/.test(dir)) return Promise.resolve(null);
      return new Promise((resolve) => {
        const id = next++;
        pending.set(id, { resolve, timer: setTimeout(kill, opts.timeoutMs) });
        hold(true);
        child.stdin!.write(`${id}\n${dir}\n`);
      });
    },
    close() {
      opts.signal?.removeEventListener('abort', kill);
      child.stdin!.end();
    },
  };
}
