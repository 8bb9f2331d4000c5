// Builders for hand-made Plans and Checkouts, and a runner that sources weft's rendered
// code in a real shell and returns the environment the shell then exports, byte for byte.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Checkout, EnvEntry, EnvOp, Plan, Source } from '../../src/types.js';

export type TestShell = 'bash' | 'zsh' | 'sh' | 'fish';
export const TEST_SHELLS: TestShell[] = ['bash', 'zsh', 'sh', 'fish'];

const loc = { file: '/ws/weft.yaml', line: 1, col: 1 };

export function entry(name: string, op: EnvOp, origin = 'workspace'): EnvEntry {
  return { ...op, name, origin, loc };
}
export const prepend = (name: string, paths: string[], origin?: string) => entry(name, { op: 'prepend', paths }, origin);
export const append = (name: string, paths: string[], origin?: string) => entry(name, { op: 'append', paths }, origin);
export const set = (name: string, value: string, origin?: string) => entry(name, { op: 'set', value }, origin);
export const unset = (name: string, origin?: string) => entry(name, { op: 'unset' }, origin);

export interface SourceSpec {
  name: string;
  dir: string;
  env?: EnvEntry[];
}

/** A plan with local sources; envOrder defaults to manifest order. */
export function planOf(opts: { workspace: string; name?: string; env?: EnvEntry[]; sources?: SourceSpec[]; envOrder?: string[] }): Plan {
  const sources: Source[] = (opts.sources ?? []).map((s) => ({
    type: 'local',
    name: s.name,
    path: s.name,
    dir: s.dir,
    depends: [],
    groups: [],
    env: (s.env ?? []).map((e) => ({ ...e, origin: s.name })),
    setup: [],
    loc,
  }));
  return {
    name: opts.name ?? 'lab',
    manifest: join(opts.workspace, 'weft.yaml'),
    workspace: opts.workspace,
    root: opts.workspace,
    sources,
    envOrder: opts.envOrder ?? sources.map((s) => s.name),
    env: opts.env ?? [],
    requires: {},
    mirrors: {},
    imports: [],
    files: [join(opts.workspace, 'weft.yaml')],
  };
}

export function checkoutOf(name: string, dir: string): Checkout {
  return { name, type: 'git', dir, status: 'unchanged' };
}

// Looked up once on the runner's PATH: a test's own PATH may hold anything.
function which(cmd: string): string {
  const r = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { encoding: 'utf8' });
  const path = r.stdout.trim();
  if (r.status !== 0 || !path.startsWith('/')) throw new Error(`${cmd} is not installed; the shell tests need it`);
  return path;
}

const SHELL_ARGV: Record<TestShell, string[]> = {
  bash: [which('bash'), '--norc', '--noprofile', '-c'],
  zsh: [which('zsh'), '-f', '-c'],
  sh: [which('dash'), '-c'],
  fish: [which('fish'), '--no-config', '-c'],
};

export interface ShellRun {
  env: Record<string, string>;
  stdout: string;
  stderr: string;
  status: number | null;
}

/**
 * Runs `script` in `shell` with exactly `env`, then prints the exported environment with
 * `env -0` (absolute path: the script may have changed PATH). Steps in `script` refer to
 * files by absolute path.
 */
export function runShell(shell: TestShell, script: string, env: Record<string, string>): ShellRun {
  const argv = SHELL_ARGV[shell];
  const full = `${script}\n/usr/bin/env -0 >&3`;
  const r = spawnSync(argv[0]!, [...argv.slice(1), full], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (r.error) throw r.error;
  const out = (r.output[3] as string | null) ?? '';
  const parsed: Record<string, string> = {};
  for (const kv of out.split('\0')) {
    const i = kv.indexOf('=');
    if (i > 0) parsed[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return { env: parsed, stdout: r.stdout, stderr: r.stderr, status: r.status };
}

/** How each shell sources a file, and how it evals a command's output. */
export function sourceLine(shell: TestShell, file: string): string {
  const f = `'${file.replace(/'/g, `'\\''`)}'`;
  return shell === 'fish' ? `source ${f}` : `. ${f}`;
}
export function evalLine(shell: TestShell, file: string): string {
  const f = `'${file.replace(/'/g, `'\\''`)}'`;
  return shell === 'fish' ? `/bin/cat ${f} | source` : `eval "$(/bin/cat ${f})"`;
}

export function writeScript(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** The variables of `env` that a comparison cares about: the given names and weft's own. */
export function pick(env: NodeJS.ProcessEnv, names: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) {
    if (v !== undefined && (names.includes(k) || k.startsWith('WEFT_'))) out[k] = v;
  }
  return out;
}

/** A small environment for child shells: nothing from the test runner leaks in. */
export function baseEnv(home: string, extra: Record<string, string> = {}): Record<string, string> {
  return { HOME: home, PATH: '/usr/local/bin:/usr/bin:/bin', LANG: 'C.UTF-8', ...extra };
}
