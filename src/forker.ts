// Child processes started from one small shell per run instead of from node. Node forks
// its whole process for every child, and waits on its one thread until the child has
// exec'd: ~1.6 ms per child at 50 MB of heap, ~7 ms at 150 MB, more while other children
// keep both cores busy. A cold `weft up` of 50 sources spent a quarter of a second of its
// main thread there. `sh` forks in well under a millisecond, on another core, and node
// only writes a line to its stdin.
//
// Each job is one line of shell code on the shell's stdin, `j ID DIR MODE ARG…` with every
// word single-quoted by node: dash reads its script in blocks and parses it in C, where a
// \`read\` loop took the same lines a byte per system call (~350 calls for a git command
// line). \`j\` runs the command in the background with stdin closed and writes two short
// lines: the command's pid, then its exit status. Output that is wanted goes to two files
// in a private scratch directory, read back and removed when the job ends.
//
// Anything it cannot carry (an argument or directory with a newline or NUL, a directory
// that is not there, a shell that died before the job started) answers null, and the
// caller runs the command the ordinary way.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { ExecResult } from './exec.js';
import { posixQuote } from './shell/quote.js';
import { trackGroup } from './signals.js';

// Plain sh (dash on Debian: its forks cost a third of bash's). Jobs stay in the shell's
// process group, so an abort kills the group; a job over time is killed with the
// processes it started (killTree). Sent first on stdin, before any job; \`wait\` is sent
// last, by close(), so the shell outlives the jobs it started.
const PRELUDE = `j() {
  id=$1 dir=$2 mode=$3
  shift 3
  (
    cd "$dir" 2>/dev/null || { echo "$id n"; exit; }
    if [ "$mode" = o ]; then "$@" </dev/null >"$d/$id.out" 2>"$d/$id.err" &
    else "$@" </dev/null >/dev/null 2>&1 &
    fi
    echo "$id p $!"
    wait $!
    echo "$id x $?"
  ) &
  jobs >/dev/null
}
`;

export interface ForkerOptions {
  /** The environment every job runs with. */
  env: NodeJS.ProcessEnv;
  /** A private directory for the jobs' output files (made on first use, removed by close). */
  scratchDir: string;
  signal?: AbortSignal;
}

export interface ForkJob {
  /** Absolute; the caller's working directory when absent. */
  cwd?: string;
  /** A job over time is killed with the processes it started and reported as SIGKILL, as exec does. */
  timeoutMs?: number;
  /** False: stdout and stderr are dropped (both come back empty); no files are made. */
  output?: boolean;
}

export interface Forker {
  /** Runs `args` (command first); null when this forker cannot carry it and nothing ran. */
  run(args: readonly string[], job?: ForkJob): Promise<ExecResult | null>;
  /** Lets the shell finish and exit, and removes the scratch directory. */
  close(): void;
}

interface Pending {
  resolve: (r: ExecResult | null) => void;
  command: string;
  output: boolean;
  pid?: number;
  started: boolean;
  killed: boolean;
  /** Its exit status arrived; its output is being read. */
  ending: boolean;
  timer?: NodeJS.Timeout;
}

/** A forker whose shell starts with the first job; close() before any job costs nothing. */
export function createForker(opts: ForkerOptions): Forker {
  let shell: ReturnType<typeof startShell> | undefined;
  let closed = false;
  return {
    run(args, job = {}) {
      if (closed) return Promise.resolve(null);
      shell ??= startShell(opts);
      return shell.run(args, job);
    },
    close() {
      closed = true;
      shell?.close();
    },
  };
}

function startShell(opts: ForkerOptions) {
  mkdirSync(opts.scratchDir, { recursive: true, mode: 0o700 });
  const child = spawn('sh', ['-s'], {
    env: opts.env,
    stdio: ['pipe', 'pipe', 'ignore'],
    // Its own process group, holding every job: an abort kills the group, and the
    // terminal's Ctrl-C does not reach it (weft decides what to kill).
    detached: true,
  });
  const pending = new Map<number, Pending>();
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
  const killed = (p: Pending): ExecResult => ({ code: null, signal: 'SIGKILL', stdout: '', stderr: '', command: p.command });
  const finish = (id: number, p: Pending, result: ExecResult | null): void => {
    if (pending.get(id) !== p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    p.resolve(result);
    if (pending.size === 0 && !dead) hold(false);
  };
  /**
   * Reads what the job wrote and reports it; `status` null: it was killed. Synchronously:
   * the files are small and in the page cache, and a round trip through libuv's thread
   * pool per read and unlink cost more main-thread time than the reads themselves.
   */
  const exited = (id: number, p: Pending, status: number | null): void => {
    p.ending = true;
    let stdout = '';
    let stderr = '';
    if (p.output) {
      stdout = takeFile(join(opts.scratchDir, `${id}.out`));
      stderr = takeFile(join(opts.scratchDir, `${id}.err`));
    }
    if (status === null || p.killed) finish(id, p, { ...killed(p), stdout, stderr });
    else finish(id, p, { code: status, signal: null, stdout, stderr, command: p.command });
  };
  /** Kills the command and what it started (git's index-pack, remote helper, ssh), and reports it killed. */
  const killJob = (id: number, p: Pending): void => {
    if (p.ending) return;
    p.killed = true;
    if (p.pid === undefined) return; // killed as soon as its pid arrives
    killTree(p.pid);
    exited(id, p, null);
  };
  const shellGone = (): void => {
    if (dead) return;
    dead = true;
    for (const [id, p] of pending) {
      // A job that started may still be running: stop it, and report it killed rather
      // than let the caller start the same command a second time.
      if (p.started) {
        killJob(id, p);
        finish(id, p, killed(p));
      } else finish(id, p, null);
    }
    hold(false);
  };
  const abort = (): void => {
    if (child.pid !== undefined && child.exitCode === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
    for (const [id, p] of pending) finish(id, p, killed(p));
    shellGone();
  };

  // The shell's group holds every job: killed with weft if weft is stopped by a signal (signals.ts).
  const untrack = trackGroup(child.pid);
  child.on('error', shellGone);
  child.on('close', () => {
    untrack();
    shellGone();
  });
  child.stdin!.on('error', () => {});
  child.stdin!.write(`d=${posixQuote(opts.scratchDir)}\n${PRELUDE}`);
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const m = /^(\d+) (n|p|x)(?: (\d+))?$/.exec(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
      const id = m ? Number(m[1]) : -1;
      const p = pending.get(id);
      if (!m || !p) continue;
      if (m[2] === 'n') finish(id, p, null);
      else if (m[2] === 'p') {
        p.pid = Number(m[3]);
        p.started = true;
        if (p.killed) killJob(id, p);
      } else if (!p.ending) {
        p.started = true;
        exited(id, p, Number(m[3]));
      }
    }
  });
  opts.signal?.addEventListener('abort', abort, { once: true });
  hold(false);

  return {
    run(args: readonly string[], job: ForkJob): Promise<ExecResult | null> {
      const command = args.join(' ');
      if (opts.signal?.aborted) return Promise.resolve({ code: null, signal: 'SIGKILL', stdout: '', stderr: '', command });
      const dir = job.cwd ?? process.cwd();
      if (dead || args.length === 0 || [dir, ...args].some((a) => /[\n\r\0]/.test(a))) return Promise.resolve(null);
      return new Promise<ExecResult | null>((resolve) => {
        const id = next++;
        const p: Pending = { resolve, command, output: job.output !== false, started: false, killed: false, ending: false };
        if (job.timeoutMs) p.timer = setTimeout(() => killJob(id, p), job.timeoutMs);
        pending.set(id, p);
        hold(true);
        child.stdin!.write(`j ${id} ${posixQuote(dir)} ${p.output ? 'o' : 'q'} ${args.map(posixQuote).join(' ')}\n`);
      });
    },
    close(): void {
      opts.signal?.removeEventListener('abort', abort);
      child.stdin!.end('wait\n');
      rmSync(opts.scratchDir, { recursive: true, force: true });
    },
  };
}

/**
 * SIGKILLs `pid` and its descendants. The jobs share the shell's process group, so a
 * timeout cannot kill by group; the tree is read from /proc where there is one (Linux),
 * else only the command itself is killed.
 */
function killTree(pid: number): void {
  const children = new Map<number, number[]>();
  let names: string[] = [];
  try {
    names = readdirSync('/proc');
  } catch {
    /* no /proc */
  }
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after the last ')'.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      /* exited meanwhile */
    }
  }
  const tree: number[] = [];
  for (const queue = [pid]; queue.length > 0; ) {
    const next = queue.shift()!;
    tree.push(next);
    queue.push(...(children.get(next) ?? []));
  }
  for (const target of tree) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

/** A job's output file, read and removed; '' when the job never wrote it. */
function takeFile(file: string): string {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
    unlinkSync(file);
  } catch {
    /* not made: the job did not start, or wrote nothing there */
  }
  return text;
}
