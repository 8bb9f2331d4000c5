// Child processes for weft's own tools (git, svn, hg, tar…): no shell prompts, no stdin,
// a timeout, and the whole process group killed when it runs out. Spawned directly with
// node:child_process: a shell wrapper in between cost ~7 ms per call, and a cold `weft up`
// makes hundreds of them.
import { spawn } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { trackGroup } from './signals.js';

export interface ExecOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
  /** Bytes for stdin; otherwise stdin is closed so nothing can wait on a prompt. */
  input?: string;
  signal?: AbortSignal;
}

export interface ExecResult {
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  /** The command as it ran, for messages (callers redact before printing). */
  command: string;
}

/** Exit status a shell gives a command it cannot find; kept so callers see one convention. */
const NOT_FOUND = 127;

/** Runs `cmd args…` without a shell-level interpretation of the arguments. */
export function exec(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  const command = [cmd, ...args].join(' ');
  return new Promise((resolve) => {
    if (opts.signal?.aborted) {
      resolve({ code: null, signal: 'SIGKILL', stdout: '', stderr: '', command });
      return;
    }
    // Its own process group (detached), so a timeout or abort kills git's helpers
    // (ssh, remote-https, index-pack) along with it.
    const child = spawn(cmd, [...args], {
      cwd: opts.cwd,
      env: opts.env ?? process.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: true,
      shell: false,
      windowsHide: true,
    });
    // Killed with weft if weft is stopped by a signal it leaves to the default (signals.ts).
    const untrack = trackGroup(child.pid);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout!.on('data', (d: Buffer) => out.push(d));
    child.stderr!.on('data', (d: Buffer) => err.push(d));
    if (opts.input !== undefined) {
      // A child that exits without reading its stdin must not crash weft with EPIPE.
      child.stdin!.on('error', () => {});
      child.stdin!.end(opts.input);
    }

    let killed = false;
    const killGroup = (): void => {
      if (killed || child.pid === undefined) return;
      killed = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = opts.timeoutMs ? setTimeout(killGroup, opts.timeoutMs) : undefined;
    opts.signal?.addEventListener('abort', killGroup, { once: true });

    let spawnError: NodeJS.ErrnoException | undefined;
    child.on('error', (e: NodeJS.ErrnoException) => {
      spawnError = e;
    });
    child.on('close', (code, signal) => {
      untrack();
      if (timer) clearTimeout(timer);
      opts.signal?.removeEventListener('abort', killGroup);
      const stdout = Buffer.concat(out).toString('utf8');
      let stderr = Buffer.concat(err).toString('utf8');
      if (spawnError && child.pid === undefined) {
        stderr = spawnError.code === 'ENOENT' ? `${cmd}: command not found\n` : `${cmd}: ${spawnError.message}\n`;
        resolve({ code: spawnError.code === 'ENOENT' ? NOT_FOUND : 126, signal: null, stdout, stderr, command });
        return;
      }
      // A killed group reports as a signal with no exit code, as callers expect of a timeout.
      resolve({ code: killed ? null : code, signal: killed ? 'SIGKILL' : signal, stdout, stderr, command });
    });
  });
}

/** The executable file `tool` names on `$PATH` (as the spawn would find it), or undefined. */
export function whichTool(tool: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, tool);
    try {
      if (!statSync(file).isFile()) continue;
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      continue;
    }
  }
  return undefined;
}
