// Runs one command in one checkout with its output captured, for `weft foreach`.
import { spawn } from 'node:child_process';

export interface Captured {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  /** Why it could not start (e.g. command not found). */
  error?: string;
}

/** How `weft foreach` stops its commands: `pass` sends its reason (a signal name), `kill` SIGKILL. */
export interface Stop {
  pass: AbortSignal;
  kill: AbortSignal;
}

/**
 * Runs argv (no shell) in `cwd` with stdin closed; never rejects. The command stays in
 * weft's process group, so it can still ask on the terminal (git, ssh) and a terminal's
 * Ctrl-C reaches it directly; `stop` passes on a signal that came to weft alone.
 */
export function runCaptured(argv: string[], cwd: string, env: NodeJS.ProcessEnv, stop?: Stop): Promise<Captured> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const pass = (): void => void child.kill(stop!.pass.reason as NodeJS.Signals);
    const kill = (): void => void child.kill('SIGKILL');
    stop?.pass.addEventListener('abort', pass, { once: true });
    stop?.kill.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code === 'ENOENT' ? `command not found: ${argv[0]}` : err.message;
    });
    child.on('close', (code, signal) => {
      stop?.pass.removeEventListener('abort', pass);
      stop?.kill.removeEventListener('abort', kill);
      done({ code, signal, output: Buffer.concat(chunks).toString('utf8'), ...(error ? { error } : {}) });
    });
  });
}
