// The one place weft lets git talk to a person. Everything else runs git with prompts off
// (run.ts); this runs only after the parallel phase, one source at a time, on a terminal.
// git itself asks (its own "Username for …" / "Password for …" prompts on /dev/tty, or
// the user's credential helper); weft only carries the answer in memory to the fetch
// that follows, and never calls `git credential approve`, so nothing is stored.
import { spawn } from 'node:child_process';
import { gitEnv, type GitCredentials } from './run.js';
import { splitCredentials } from './url.js';

export interface InteractiveGitOptions {
  env: NodeJS.ProcessEnv;
  /** A person may take a while, but a prompt nobody answers must not hang weft forever. */
  timeoutMs: number;
  signal?: AbortSignal;
}

/** weft's cleaned git environment, with the terminal prompt and the user's helpers allowed again. */
export function interactiveGitEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env = gitEnv(base);
  delete env.GIT_TERMINAL_PROMPT;
  delete env.GCM_INTERACTIVE;
  // Without BatchMode ssh may ask for a passphrase or password on the terminal.
  if (base.GIT_SSH_COMMAND) env.GIT_SSH_COMMAND = base.GIT_SSH_COMMAND;
  else delete env.GIT_SSH_COMMAND;
  // A graphical askpass the user configured is one more way for a person to answer.
  if (base.GIT_ASKPASS) env.GIT_ASKPASS = base.GIT_ASKPASS;
  if (base.SSH_ASKPASS) env.SSH_ASKPASS = base.SSH_ASKPASS;
  return env;
}

/** Whether git would ask for credentials with `git credential` (http/https) rather than through ssh. */
export function usesCredentialHelper(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

/**
 * Asks for credentials for an http(s) `url` the way git does when it may prompt: the
 * user's credential helpers first, then the terminal. Resolves undefined when nobody
 * answered (no terminal, Ctrl-D, a helper failed, timeout).
 */
export function askCredentials(url: string, opts: InteractiveGitOptions): Promise<GitCredentials | undefined> {
  const { url: bare, username } = splitCredentials(url);
  // The description goes on stdin, so git prompts on /dev/tty; stderr stays the terminal's
  // for git's own messages. Not detached: the prompt needs weft's controlling terminal.
  const child = spawn('git', ['credential', 'fill'], { env: interactiveGitEnv(opts.env), stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (d: string) => (out += d));
  child.stdin!.on('error', () => {});
  child.stdin!.end(`url=${bare}\n${username !== undefined ? `username=${username}\n` : ''}\n`);
  const stop = (): void => {
    child.kill('SIGTERM');
  };
  const timer = setTimeout(stop, opts.timeoutMs);
  opts.signal?.addEventListener('abort', stop, { once: true });
  return new Promise((resolve) => {
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', stop);
      if (code !== 0) return resolve(undefined);
      const fields = new Map<string, string>();
      for (const line of out.split('\n')) {
        const eq = line.indexOf('=');
        if (eq > 0) fields.set(line.slice(0, eq), line.slice(eq + 1));
      }
      const creds = { username: fields.get('username'), password: fields.get('password') };
      resolve(creds.username === undefined && creds.password === undefined ? undefined : creds);
    });
  });
}

/**
 * Tells the user's credential helpers that `creds` were refused, as git does after a 401,
 * so a helper that answered with stale ones asks afresh next time. It only ever erases.
 */
export function rejectCredentials(url: string, creds: GitCredentials, opts: InteractiveGitOptions): Promise<void> {
  const { url: bare } = splitCredentials(url);
  const child = spawn('git', ['credential', 'reject'], { env: interactiveGitEnv(opts.env), stdio: ['pipe', 'ignore', 'ignore'] });
  child.stdin!.on('error', () => {});
  const fields = [`url=${bare}`, ...(creds.username !== undefined ? [`username=${creds.username}`] : []), ...(creds.password !== undefined ? [`password=${creds.password}`] : [])];
  child.stdin!.end(fields.join('\n') + '\n\n');
  const timer = setTimeout(() => child.kill('SIGTERM'), opts.timeoutMs);
  return new Promise((resolve) => {
    child.on('error', () => resolve());
    child.on('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
