// Child processes for the bench: spawn, time with hrtime, capture output, kill the whole
// process group on timeout so a hung git or weft never outlives the bench.
import { spawn } from 'node:child_process';

const TAIL_CHARS = 2000;

// Children run detached (their own process group, so a timeout can kill git and all it
// spawned); a Ctrl-C on the bench therefore does not reach them. This set lets the
// bench's signal handler kill whatever is still running: it mirrors the process's own
// children, which are process-wide by nature.
const live = new Set();
let stopping = false;

/** Kills every running child and refuses to start new ones (the bench is being stopped). */
export function stopAll() {
  stopping = true;
  for (const pid of live) killGroup(pid, 'SIGKILL');
  live.clear();
}

/**
 * Runs cmd with args; resolves (never rejects for a non-zero exit) with
 * {code, signal, stdout, stderr, ms, timedOut}. `input` is written to stdin, else stdin is closed.
 */
export function run(cmd, args, { cwd, env, input, timeoutMs = 10 * 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    if (stopping) {
      reject(new Error(`not starting ${cmd}: the bench is stopping`));
      return;
    }
    const started = process.hrtime.bigint();
    let child;
    try {
      child = spawn(cmd, args, { cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    } catch (err) {
      reject(err);
      return;
    }
    live.add(child.pid);
    const out = [];
    const errs = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => errs.push(b));
    child.stdin.on('error', () => {});
    child.stdin.end(input ?? undefined);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => {
      live.delete(child.pid);
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code, signal) => {
      live.delete(child.pid);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      clearTimeout(timer);
      resolve({
        code,
        signal,
        timedOut,
        ms,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(errs).toString('utf8'),
      });
    });
  });
}

/** Like run, but throws a one-paragraph Error (with the output's tail) unless exit code 0. */
export async function runOk(cmd, args, opts) {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(describeFailure(cmd, args, r));
  return r;
}

export function describeFailure(cmd, args, r) {
  const what = [cmd, ...args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
  const why = r.timedOut ? 'timed out' : r.signal ? `killed by ${r.signal}` : `exit ${r.code}`;
  const tail = (r.stderr.trim() || r.stdout.trim()).slice(-TAIL_CHARS);
  return `${shorten(what, 200)}: ${why}${tail ? `\n${indent(tail)}` : ''}`;
}

export function killGroup(pid, signal = 'SIGTERM') {
  if (!pid) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function shorten(s, n) {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

function indent(s) {
  return s.split('\n').map((l) => `      ${l}`).join('\n');
}
