// Runs one command in one checkout with its output captured, for `weft foreach`.
import { spawn } from 'node:child_process';
import { trackGroup } from '../signals.js';

export interface Captured {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  /** Why it could not start (e.g. command not found). */
  error?: string;
}

/**
 * Runs argv (no shell) in `cwd` with stdin closed; never rejects. The command runs in a
 * process group of its own (it needs no terminal): an abort of `stop` sends its reason (a
 * signal name) to that group once, as a terminal's Ctrl-C would have.
 */
export function runCaptured(argv: string[], cwd: string, env: NodeJS.ProcessEnv, stop?: AbortSignal): Promise<Captured> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const untrack = child.pid !== undefined ? trackGroup(child.pid) : undefined;
    const pass = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, stop!.reason as NodeJS.Signals);
      } catch {
        /* it ended meanwhile */
      }
    };
    stop?.addEventListener('abort', pass, { once: true });
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code === 'ENOENT' ? `command not found: ${argv[0]}` : err.message;
    });
    child.on('close', (code, signal) => {
      untrack?.();
      stop?.removeEventListener('abort', pass);
      done({ code, signal, output: Buffer.concat(chunks).toString('utf8'), ...(error ? { error } : {}) });
    });
  });
}
