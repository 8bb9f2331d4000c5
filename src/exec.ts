// Child processes for weft's own tools (git, svn, hg, tar…): no shell prompts, no stdin,
// a timeout, and the whole process group killed when it runs out.

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

/** Runs `cmd args…` without a shell-level interpretation of the arguments. */
export async function exec(cmd: string, args: readonly string[], opts: ExecOptions = {}): Promise<ExecResult> {
  // Loaded on first use: a no-op `weft up` or `weft env` should not pay zx's start-up.
  const { $ } = await import('zx');
  const run = $({
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    input: opts.input,
    quiet: true,
    verbose: false,
    nothrow: true,
    detached: true,
    signal: opts.signal,
    timeout: opts.timeoutMs,
    timeoutSignal: 'SIGKILL',
  });
  const out = await run`${cmd} ${[...args]}`;
  return {
    code: out.exitCode,
    signal: out.signal,
    stdout: out.stdout,
    stderr: out.stderr,
    command: [cmd, ...args].join(' '),
  };
}
