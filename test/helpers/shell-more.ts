// Runs weft's rendering in the shells test/helpers/shell.ts does not drive (tcsh, elvish,
// mksh, and pwsh / nu when installed) and reads back the environment the shell then has,
// byte for byte: a small Node script started from the shell writes process.env as JSON.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export type MoreShell = 'tcsh' | 'elvish' | 'mksh' | 'pwsh' | 'nu';

/** Absolute path of `cmd` on the runner's PATH, or undefined when it is not installed. */
export function findShell(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { encoding: 'utf8' });
  const path = r.stdout.trim();
  return r.status === 0 && path.startsWith('/') ? path : undefined;
}

const ARGV: Record<MoreShell, (bin: string, file: string) => string[]> = {
  tcsh: (bin, file) => [bin, '-f', file],
  elvish: (bin, file) => [bin, '-norc', file],
  mksh: (bin, file) => [bin, file],
  pwsh: (bin, file) => [bin, '-NoProfile', '-NonInteractive', '-File', file],
  nu: (bin, file) => [bin, '--no-config-file', file],
};

const q = (s: string) => `'${s}'`; // temp paths made by the tests hold no quote

/** How each shell evaluates a file's text as code (the documented way for that shell). */
export function evalFile(shell: MoreShell, file: string): string {
  switch (shell) {
    case 'tcsh':
      return `eval "\`/bin/cat ${q(file)}\`"`;
    case 'elvish':
      return `eval (/bin/cat ${q(file)} | slurp)`;
    case 'mksh':
      return `eval "$(/bin/cat ${q(file)})"`;
    case 'pwsh':
      return `Get-Content -Raw -LiteralPath ${q(file)} | Invoke-Expression`;
    case 'nu':
      return `source ${q(file)}`;
  }
}

export interface MoreRun {
  env: Record<string, string>;
  stdout: string;
  stderr: string;
  status: number | null;
}

let counter = 0;

/**
 * Runs `steps` (lines of `shell` code) with exactly `env`, then the dump. `interactive`
 * feeds the script on stdin to an interactive tcsh, where history substitution is on.
 */
export function runMore(shell: MoreShell, bin: string, dir: string, steps: string[], env: Record<string, string>, interactive = false): MoreRun {
  const n = ++counter;
  const out = join(dir, `dump-${n}.json`);
  const dumper = join(dir, 'dump.cjs');
  writeFileSync(dumper, "require('fs').writeFileSync(process.argv[2], JSON.stringify(process.env))\n");
  const dump = shell === 'pwsh' || shell === 'nu' ? `^${process.execPath} ${q(dumper)} ${q(out)}` : `${process.execPath} ${q(dumper)} ${q(out)}`;
  const script = [...steps, shell === 'pwsh' ? `& ${q(process.execPath)} ${q(dumper)} ${q(out)}` : dump, ''].join('\n');
  const file = join(dir, `script-${n}`);
  writeFileSync(file, script);
  const r = interactive
    ? spawnSync(bin, ['-f', '-i'], { env, input: script, encoding: 'utf8' })
    : spawnSync(ARGV[shell](bin, file)[0]!, ARGV[shell](bin, file).slice(1), { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw r.error;
  let dumped: Record<string, string> = {};
  try {
    dumped = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
  } catch {
    // no dump: the shell failed before it; the caller sees stderr and an empty env
  }
  return { env: dumped, stdout: r.stdout, stderr: r.stderr, status: r.status };
}
