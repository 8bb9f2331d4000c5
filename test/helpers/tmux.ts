// Real interactive shells in a real pseudo-terminal: a private tmux server (its own
// socket, no user config, fixed size) runs one program; tests type into it and read the
// screen back. Output is read by polling the pane until an expected line shows up.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TmuxSession {
  /** Types `text` and Enter. */
  line(text: string): void;
  /** The whole pane with its history, wrapped lines joined. */
  screen(): string;
  /** Waits until `pattern` matches the screen; returns the match. Throws with the screen on timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Types `command`, then waits for the line `KEY=[value]` it prints (see `show`); returns value. */
  value(key: string, timeoutMs?: number): Promise<string>;
  /** The exit status of the program, once it has exited (remain-on-exit keeps the pane). */
  exitStatus(timeoutMs?: number): Promise<number>;
  /** Ends the server and waits for the program to be gone (it may still write on SIGHUP). */
  kill(): Promise<void>;
}

export interface TmuxOptions {
  argv: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  width?: number;
  height?: number;
}

let counter = 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Alive and not a zombie (a container's init may never reap what tmux left behind). */
function running(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

export function startTmux(opts: TmuxOptions): TmuxSession {
  const dir = mkdtempSync(join(tmpdir(), 'weft-tmux-'));
  const socket = `weft-test-${process.pid}-${++counter}`;
  const conf = join(dir, 'tmux.conf');
  writeFileSync(conf, 'set -g remain-on-exit on\nset -g status off\nset -g history-limit 10000\nset -g escape-time 0\n');
  // tmux passes its own environment to the first session's program: the test's, exactly.
  const env: NodeJS.ProcessEnv = { ...opts.env, TERM: 'xterm-256color' };
  delete env['TMUX'];
  const tmux = (...args: string[]) => execFileSync('tmux', ['-L', socket, '-f', conf, ...args], { env, encoding: 'utf8' });
  tmux('new-session', '-d', '-x', String(opts.width ?? 200), '-y', String(opts.height ?? 50), '-s', 'main', '-c', opts.cwd, '--', ...opts.argv);
  const pid = Number(tmux('display-message', '-p', '-t', 'main', '#{pane_pid}').trim());

  const session: TmuxSession = {
    line(text) {
      tmux('send-keys', '-t', 'main', '-l', text);
      tmux('send-keys', '-t', 'main', 'Enter');
    },
    screen() {
      return tmux('capture-pane', '-p', '-J', '-S', '-10000', '-t', 'main');
    },
    async waitFor(pattern, timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const screen = session.screen();
        const m = pattern.exec(screen);
        if (m) return m;
        if (Date.now() > end) throw new Error(`timed out waiting for ${pattern} on the screen:\n${screen}`);
        await sleep(50);
      }
    },
    async value(key, timeoutMs) {
      const m = await session.waitFor(new RegExp(`^${key}=\\[(.*)\\]$`, 'm'), timeoutMs);
      return m[1]!;
    },
    async exitStatus(timeoutMs = 20_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const [dead, status, signal] = tmux('display-message', '-p', '-t', 'main', '#{pane_dead} #{pane_dead_status} #{pane_dead_signal}').split(' ').map((s) => s.trim());
        // tmux may see the pty close before it reaps the program: no status yet then.
        if (dead === '1' && status !== '') return Number(status);
        if (dead === '1' && signal !== '') throw new Error(`the program was killed by signal ${signal}; screen:\n${session.screen()}`);
        if (Date.now() > end) throw new Error(`the program did not exit; screen:\n${session.screen()}`);
        await sleep(50);
      }
    },
    async kill() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
      for (let i = 0; i < 100 && running(pid); i++) await sleep(50);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return session;
}

/** A shell command that prints `KEY=[value of EXPR]` on a line of its own (any shell). */
export function show(key: string, expr: string): string {
  return `printf '%s=[%s]\\n' ${key} "${expr}"`;
}
