// Real interactive shells in a real pseudo-terminal: a private tmux server (its own
// socket, no user config, fixed size) runs one program; tests type into it and read the
// screen back. Output is read by polling the pane until an expected line shows up.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TmuxSession {
  /** Types `text` and Enter. */
  line(text: string): void;
  /** Presses keys by tmux's names for them (`C-c`). */
  keys(...names: string[]): void;
  /** Whether the program left the cursor visible (it may hide it while drawing). */
  cursorShown(): boolean;
  /** The whole pane with its history, wrapped lines joined; `escapes`: with its colours as escape sequences. */
  screen(escapes?: boolean): string;
  /** Waits until `pattern` matches the screen; returns the match. Throws with the screen on timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Types `command`, then waits for the line `KEY=[value]` it prints (see `show`); returns value. */
  value(key: string, timeoutMs?: number): Promise<string>;
  /** The exit status of the program, once it has exited. */
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
  /**
   * The wrapping shell ignores SIGINT, as an interactive shell does, so a Ctrl-C typed
   * (`keys('C-c')`) reaches the program and does not end the pane with it.
   */
  ignoreInterrupt?: boolean;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Whether any process of the pane's session (the program and what it started, e.g. a shell
 * that writes its history on SIGHUP) still runs; zombies count as gone, since a
 * container's init may never reap what tmux left behind.
 */
function sessionRunning(sid: number): boolean {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields[0] !== 'Z' && Number(fields[3]) === sid) return true;
  }
  return false;
}

export function startTmux(opts: TmuxOptions): TmuxSession {
  const dir = mkdtempSync(join(tmpdir(), 'weft-tmux-'));
  // A socket inside the temp dir: a private server, and nothing left behind in /tmp.
  const socket = join(dir, 'sock');
  const conf = join(dir, 'tmux.conf');
  writeFileSync(conf, 'set -g status off\nset -g history-limit 10000\nset -g escape-time 0\n');
  // tmux passes its own environment to the first session's program: the test's, exactly.
  const env: NodeJS.ProcessEnv = { ...opts.env, TERM: 'xterm-256color' };
  delete env['TMUX'];
  const tmux = (...args: string[]) => execFileSync('tmux', ['-S', socket, '-f', conf, ...args], { env, encoding: 'utf8' });
  // The program's exit status is printed by a wrapping sh rather than read from tmux's
  // pane_dead_status, which tmux 3.3 sometimes never fills in for a pane that closed.
  const wrapped = ['/bin/sh', '-c', `${opts.ignoreInterrupt ? "trap '' INT; " : ''}"$@"; printf "\\n__WEFT_TMUX_EXIT=[%s]\\n" $?; exec sleep 600`, 'sh', ...opts.argv];
  tmux('new-session', '-d', '-x', String(opts.width ?? 200), '-y', String(opts.height ?? 50), '-s', 'main', '-c', opts.cwd, '--', ...wrapped);
  const pid = Number(tmux('display-message', '-p', '-t', 'main', '#{pane_pid}').trim());

  const session: TmuxSession = {
    line(text) {
      tmux('send-keys', '-t', 'main', '-l', text);
      tmux('send-keys', '-t', 'main', 'Enter');
    },
    keys(...names) {
      tmux('send-keys', '-t', 'main', ...names);
    },
    cursorShown() {
      return tmux('display-message', '-p', '-t', 'main', '#{cursor_flag}').trim() === '1';
    },
    screen(escapes = false) {
      return tmux('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-S', '-10000', '-t', 'main');
    },
    async waitFor(pattern, timeoutMs = 30_000) {
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
    async exitStatus(timeoutMs = 30_000) {
      return Number(await session.value('__WEFT_TMUX_EXIT', timeoutMs));
    },
    async kill() {
      try {
        tmux('kill-server');
      } catch {
        // already gone
      }
      for (let i = 0; i < 100 && sessionRunning(pid); i++) await sleep(50);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return session;
}

/** A shell command that prints `KEY=[value of EXPR]` on a line of its own (any shell). */
export function show(key: string, expr: string): string {
  return `printf '%s=[%s]\\n' ${key} "${expr}"`;
}
