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

/** Runs argv (no shell) in `cwd` with stdin closed; never rejects. */
export function runCaptured(argv: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Captured> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    let error: string | undefined;
    const child = spawn(argv[0]!, argv.slice(1), { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.stderr.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code === 'ENOENT' ? `command not found: ${argv[0]}` : err.message;
    });
    child.on('close', (code, signal) => done({ code, signal, output: Buffer.concat(chunks).toString('utf8'), ...(error ? { error } : {}) }));
  });
}
