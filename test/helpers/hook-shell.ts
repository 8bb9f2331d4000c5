// Drives a real interactive bash, zsh or fish with the commands of a script on stdin, as
// a user typing at a prompt would, so prompt hooks (PROMPT_COMMAND, precmd, fish_prompt)
// really run between commands.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type HookShellName = 'bash' | 'zsh' | 'fish';

const ARGV: Record<HookShellName, string[]> = {
  bash: ['bash', '--norc', '--noprofile', '-i'],
  zsh: ['zsh', '-f', '-i'],
  fish: ['fish', '--no-config', '-i'],
};

/**
 * `argv` replaces the shell's command line (fish with its configuration read: under
 * --no-config, `set -U` makes a global).
 */
export function interactive(shell: HookShellName, script: string, env: NodeJS.ProcessEnv, cwd: string, argv = ARGV[shell]): Promise<{ out: string; err: string }> {
  return new Promise((done, fail) => {
    const [cmd, ...args] = argv;
    // A file, not a pipe: fish refuses to read commands from Node's stdin socket.
    const dir = mkdtempSync(join(tmpdir(), 'weft-hook-script-'));
    const file = join(dir, 'script');
    writeFileSync(file, script + '\nexit\n');
    const fd = openSync(file, 'r');
    const child = spawn(cmd!, args, { cwd, env: { ...env, TERM: 'dumb', PS1: '$ ' }, stdio: [fd, 'pipe', 'pipe'] });
    closeSync(fd);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.on('error', (e) => (rmSync(dir, { recursive: true, force: true }), fail(e)));
    child.on('close', () => (rmSync(dir, { recursive: true, force: true }), done({ out, err })));
  });
}

/** The value printed by a line `echo "KEY=<value>"` in the script (after any prompt text). */
export function valueOf(output: string, key: string): string | undefined {
  const m = new RegExp(`${key}=\\[([^\\]]*)\\]`).exec(output);
  return m ? m[1] : undefined;
}
