// ssh credentials (a key's passphrase, a password) cannot be handed to git as data, so on
// a terminal weft opens one OpenSSH master connection (ControlMaster) with ssh free to
// ask the person there, and lets the fetch that follows ride on it with BatchMode still
// on. The secret stays inside ssh; the master is closed when the retries are done.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { interactiveGitEnv, type InteractiveGitOptions } from './interactive.js';
import { splitCredentials } from './url.js';

export interface SshTarget {
  host: string;
  user?: string;
  port?: string;
}

/** Where an ssh git URL connects (ssh://, git+ssh://, ssh+git:// or scp-like user@host:path). */
export function sshTarget(raw: string): SshTarget | undefined {
  // A user given with a password comes back separately; otherwise it is read from the URL.
  const { url, username } = splitCredentials(raw);
  const m = /^(?:ssh|git\+ssh|ssh\+git):\/\/(?:([^@/]+)@)?(\[[^\]]+\]|[^/:]+)(?::(\d+))?\//i.exec(url);
  if (m) return { user: username ?? m[1], host: m[2]!.replace(/^\[|\]$/g, ''), port: m[3] };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) || url.startsWith('/')) return undefined;
  const scp = /^(?:([^@/:]+)@)?([^/:]+):/.exec(url);
  return scp ? { user: scp[1], host: scp[2]! } : undefined;
}

export function targetKey(t: SshTarget): string {
  return `${t.user ?? ''}@${t.host}:${t.port ?? ''}`;
}

export interface SshMaster {
  /** GIT_SSH_COMMAND for git calls that should use the open connection. */
  gitSshCommand: string;
  close(): Promise<void>;
}

/** The ssh program as git would run it: a shell command line (GIT_SSH_COMMAND) or a program. */
function sshCommand(env: NodeJS.ProcessEnv): string {
  if (env.GIT_SSH_COMMAND) return env.GIT_SSH_COMMAND;
  if (env.GIT_SSH) return `'${env.GIT_SSH.replace(/'/g, `'\\''`)}'`;
  return 'ssh';
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, stdio: 'inherit' | 'ignore', opts: InteractiveGitOptions): Promise<number | null> {
  // Through sh, as git runs GIT_SSH_COMMAND; not detached, so ssh can reach the terminal.
  const child = spawn('sh', ['-c', `${command} "$@"`, 'ssh', ...args], { env, stdio });
  const stop = (): void => {
    child.kill('SIGTERM');
  };
  const timer = setTimeout(stop, opts.timeoutMs);
  opts.signal?.addEventListener('abort', stop, { once: true });
  return new Promise((resolve) => {
    child.on('error', () => resolve(null));
    child.on('exit', (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', stop);
      resolve(code);
    });
  });
}

function destination(t: SshTarget): string[] {
  return [...(t.port ? ['-p', t.port] : []), ...(t.user ? ['-l', t.user] : []), '--', t.host];
}

/** Opens a master connection to `t`, ssh asking on the terminal; undefined when it could not authenticate. */
export async function openSshMaster(t: SshTarget, opts: InteractiveGitOptions): Promise<SshMaster | undefined> {
  const dir = mkdtempSync(join(tmpdir(), 'weft-ssh-'));
  const socket = join(dir, 'master');
  const base = sshCommand(opts.env);
  const env = interactiveGitEnv(opts.env);
  const control = ['-o', `ControlPath=${socket}`];
  const code = await run(base, ['-o', 'ControlMaster=yes', ...control, '-f', '-N', ...destination(t)], env, 'inherit', opts);
  const close = async (): Promise<void> => {
    await run(base, [...control, '-O', 'exit', ...destination(t)], env, 'ignore', { ...opts, timeoutMs: 10_000 });
    rmSync(dir, { recursive: true, force: true });
  };
  if (code !== 0) {
    await close();
    return undefined;
  }
  return { gitSshCommand: `${base} -o 'ControlPath=${socket.replace(/'/g, `'\\''`)}' -o ControlMaster=no`, close };
}
