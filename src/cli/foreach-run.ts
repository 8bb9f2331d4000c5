// Runs one command in one checkout with its output captured, for `weft foreach`.
import { spawn } from 'node:child_process';

export interface Captured {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr interleaved as they arrived. */
  output: string;
  /** Each stream alone (for --json). */
  stdout: string;
  stderr: string;
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
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let error: string | undefined;
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const pass = (): void => void child.kill(stop!.pass.reason as NodeJS.Signals);
    const kill = (): void => void child.kill('SIGKILL');
    stop?.pass.addEventListener('abort', pass, { once: true });
    stop?.kill.addEventListener('abort', kill, { once: true });
    child.stdout.on('data', (d: Buffer) => void (chunks.push(d), out.push(d)));
    child.stderr.on('data', (d: Buffer) => void (chunks.push(d), err.push(d)));
    child.on('error', (e: NodeJS.ErrnoException) => {
      error = e.code === 'ENOENT' ? `command not found: ${argv[0]}` : e.message;
    });
    child.on('close', (code, signal) => {
      stop?.pass.removeEventListener('abort', pass);
      stop?.kill.removeEventListener('abort', kill);
      const text = (b: Buffer[]): string => Buffer.concat(b).toString('utf8');
      done({ code, signal, output: text(chunks), stdout: text(out), stderr: text(err), ...(error ? { error } : {}) });
    });
  });
}
