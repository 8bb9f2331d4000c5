// A real terminal for tests that need a person at the keyboard: a private tmux server
// (its own socket), one sized session running a script; keys are typed with send-keys
// and the screen read with capture-pane.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface TmuxSession {
  /** The visible screen plus scrollback, as text. */
  screen(): string;
  /** Types `text` literally, then Enter. */
  typeLine(text: string): void;
  /** Waits until the screen matches `re`; throws with the screen when it never does. */
  waitFor(re: RegExp, ms?: number): Promise<string>;
  /** Waits for `file` to exist (e.g. the exit code the script writes last). */
  waitForFile(file: string, ms?: number): Promise<void>;
  kill(): void;
}

/** Runs `bash script` (written to `dir/run.sh`) in a 200x50 tmux session with exactly `env`. */
export function tmuxSession(dir: string, script: string, env: NodeJS.ProcessEnv): TmuxSession {
  const socket = join(dir, 'tmux.sock');
  const file = join(dir, 'run.sh');
  const exports = Object.entries(env)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `export ${k}='${String(v).replace(/'/g, `'\\''`)}'`)
    .join('\n');
  writeFileSync(file, `${exports}\n${script}\nsleep 600\n`);
  const base = { PATH: process.env['PATH'], HOME: env['HOME'] ?? dir, TERM: 'xterm-256color' };
  const tmux = (...args: string[]): string =>
    execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...args], { env: base, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  tmux('new-session', '-d', '-x', '200', '-y', '50', '-s', 'w', 'bash', file);
  const screen = (): string => tmux('capture-pane', '-p', '-J', '-t', 'w', '-S', '-200');
  return {
    screen,
    typeLine(text) {
      tmux('send-keys', '-t', 'w', '-l', text);
      tmux('send-keys', '-t', 'w', 'Enter');
    },
    async waitFor(re, ms = 60_000) {
      const until = Date.now() + ms;
      for (;;) {
        const s = screen();
        if (re.test(s)) return s;
        if (Date.now() > until) throw new Error(`the terminal never showed ${re}; it shows:\n${s}`);
        await sleep(100);
      }
    },
    async waitForFile(path, ms = 60_000) {
      const until = Date.now() + ms;
      while (!existsSync(path)) {
        if (Date.now() > until) throw new Error(`${path} never appeared; the terminal shows:\n${screen()}`);
        await sleep(100);
      }
    },
    kill() {
      try {
        tmux('kill-server');
      } catch {
        /* already gone */
      }
    },
  };
}
