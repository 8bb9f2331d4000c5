// `weft run -- CMD…` and `weft shell`: the command replaces nothing, weft waits for it and
// passes its exit status on as a shell would (128+signal when it was killed).
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { constants } from 'node:os';
import { WeftError } from '../errors.js';
import { claimSignals } from '../signals.js';

// Signals a user or supervisor sends to "the command". A terminal's Ctrl-C reaches the
// child directly too (same process group, so it keeps the terminal); forwarding covers
// `kill <weft pid>`, systemd, CI runners and timeouts, which signal only weft.
const FORWARDED = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT'] as const;

export interface RunOptions {
  cwd?: string;
}

/** Runs argv (no shell) with stdio inherited; resolves to the exit code to pass on. */
export function runCommand(argv: string[], env: NodeJS.ProcessEnv, opts: RunOptions = {}): Promise<number> {
  const [cmd, ...args] = argv;
  if (cmd === undefined) throw new Error('runCommand needs a command');
  // spawn reports a missing cwd as ENOENT, the same as a missing command.
  if (opts.cwd !== undefined && !statSync(opts.cwd, { throwIfNoEntry: false })?.isDirectory()) {
    return Promise.reject(
      new WeftError('WEFT_E_RUN_CWD', `cannot run ${cmd}: directory ${opts.cwd} does not exist`, {
        hint: 'run `weft up` to create the checkout, or pick an existing directory',
      }),
    );
  }
  return new Promise((resolve, reject) => {
    // Node looks the command up on env.PATH, the activated one.
    const child = spawn(cmd, args, { env, cwd: opts.cwd, stdio: 'inherit' });
    const forward = (signal: NodeJS.Signals) => {
      child.kill(signal);
    };
    for (const s of FORWARDED) process.on(s, forward);
    // The command decides what a signal does; weft waits for it and passes its status on.
    const release = claimSignals();
    const done = () => {
      for (const s of FORWARDED) process.off(s, forward);
      release();
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      done();
      reject(spawnError(cmd, env, err));
    });
    child.once('exit', (code, signal) => {
      done();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}

function spawnError(cmd: string, env: NodeJS.ProcessEnv, err: NodeJS.ErrnoException): Error {
  if (err.code === 'ENOENT') {
    return new WeftError('WEFT_E_RUN_NOT_FOUND', `command not found: ${cmd}`, {
      exitCode: 127,
      cause: err,
      hint: cmd.includes('/')
        ? 'check the path; it is taken relative to the current directory'
        : `it is on no directory of the workspace's PATH (${env.PATH ?? 'unset'}); check the name, or the env entries that should put it there (\`weft env\` shows them)`,
    });
  }
  if (err.code === 'EACCES') {
    return new WeftError('WEFT_E_RUN_NOT_EXECUTABLE', `command is not executable: ${cmd}`, {
      exitCode: 126,
      cause: err,
      hint: `make it executable (chmod +x) or run it through its interpreter`,
    });
  }
  return err;
}
