// One setup step: `sh -c RUN` (the same shell on every machine, whatever the user's login
// shell; a step that wants bash says `bash -c …`), stdin closed so nothing waits on a
// prompt, output captured, and on timeout the step's whole process group is killed.
import { spawn } from 'node:child_process';
import { trackGroup } from '../../signals.js';

export interface StepResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** stdout and stderr interleaved, at most the last `maxOutputBytes`. */
  output: string;
  durationMs: number;
  /** Why it could not start. */
  error?: string;
}

export interface StepOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  maxOutputBytes?: number;
  /** An interrupt of the run: the step's group gets SIGINT, as from a terminal (it is in a group of its own), then SIGKILL after a grace. */
  signal?: AbortSignal;
}

export function runStep(run: string, opts: StepOptions): Promise<StepResult> {
  const started = Date.now();
  const max = opts.maxOutputBytes ?? 1 << 20;
  return new Promise((done) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let timedOut = false;
    let error: string | undefined;
    const child = spawn('/bin/sh', ['-c', run], { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    const untrack = trackGroup(child.pid);
    const keep = (d: Buffer) => {
      chunks.push(d);
      size += d.length;
      if (size > 2 * max) {
        const all = Buffer.concat(chunks);
        chunks = [all.subarray(all.length - max)];
        size = max;
      }
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // the group is already gone
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGKILL');
    }, opts.timeoutMs);
    let grace: NodeJS.Timeout | undefined;
    const interrupt = (): void => {
      killGroup('SIGINT');
      grace = setTimeout(() => killGroup('SIGKILL'), 3000);
    };
    if (opts.signal?.aborted) interrupt();
    else opts.signal?.addEventListener('abort', interrupt, { once: true });
    child.on('error', (err: NodeJS.ErrnoException) => (error = err.message));
    child.on('exit', () => {
      clearTimeout(timer);
      clearTimeout(grace);
      opts.signal?.removeEventListener('abort', interrupt);
      // A step's leftovers (`server &`) would hold the output pipes open for ever, and
      // safety.md wants no process left behind: the group goes with the step.
      killGroup('SIGKILL');
      untrack();
      // …unless something left its own group holding them: stop reading after a grace.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 2000).unref();
    });
    child.on('close', (code, signal) => {
      const all = Buffer.concat(chunks);
      const output = all.subarray(Math.max(0, all.length - max)).toString('utf8');
      done({ code, signal, timedOut, output, durationMs: Date.now() - started, ...(error ? { error } : {}) });
    });
  });
}
