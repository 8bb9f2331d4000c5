// A workspace and a real interactive nu in tmux with `weft hook nu` loaded, as a user would
// have it. nu must be on the runner's PATH (.ci/run installs it): without it `startNu`
// throws, so the tests fail rather than skip.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { hookCode } from '../../src/shell/hook/index.js';
import { isolatedEnv, weft, weftBin } from './cli.js';
import { findShell } from './shell-more.js';
import { tempDir } from './tmp.js';
import { startTmux, type TmuxSession } from './tmux.js';

const BASE = '/usr/local/bin:/usr/bin:/bin';

export interface NuWorld {
  dir: string;
  /** The nu executable. */
  nu: string;
  ws: string;
  out: string;
  /** PATH the shell starts with. */
  path: string;
  /** The directory weft puts on PATH inside the workspace. */
  libBin: string;
  env: NodeJS.ProcessEnv;
  /** Rewrites weft.yaml with WEFT_DEMO set to `demo`. */
  manifest(demo: string): void;
  /** Starts nu in `dir` with the hook loaded. */
  start(): TmuxSession;
  /** The command line that starts a nested nu with the same configuration. */
  nested: string;
  /** With `logCalls`: the argument lines of every weft the hook started, in order. */
  calls(): string[];
  /** With `logCalls`: makes every weft the hook starts fail (exit 70, a line on stderr), or work again. */
  breakWeft(broken: boolean): void;
  /** With `script`: moves the script the hook runs away (weft uninstalled), or back. */
  moveWeft(away: boolean): void;
  /** With `script`: the path of that script, as the hook names it. */
  script: string;
  cleanup(): void;
}

export async function nuWorld(opts: { trusted: boolean; logCalls?: boolean; script?: boolean }): Promise<NuWorld> {
  const nu = findShell('nu');
  if (nu === undefined) throw new Error('nu is not on PATH: install nushell (see .ci/run) to run the nu hook tests');
  const t = tempDir('weft-hook-nu-');
  const ws = join(t.dir, 'ws');
  const out = join(t.dir, 'out');
  const bin = join(t.dir, 'bin');
  for (const d of [join(ws, 'lib', 'bin'), join(ws, 'sub'), out, bin]) mkdirSync(d, { recursive: true });
  // `weft` as the user types it.
  writeFileSync(join(bin, 'weft'), `#!/bin/sh\nexec '${process.execPath}' '${weftBin}' "$@"\n`);
  chmodSync(join(bin, 'weft'), 0o755);
  const manifest = (demo: string) => writeFileSync(join(ws, 'weft.yaml'), `sources:\n  lib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  WEFT_DEMO: ${demo}\n`);
  manifest('hello');
  const path = `${bin}:${BASE}`;
  const env = isolatedEnv(t.dir, { PATH: path, SHELL: nu });
  const up = await weft(['up', '-q'], { cwd: ws, env });
  assert.is(up.code, 0, up.stderr);
  if (opts.trusted) assert.is((await weft(['trust'], { cwd: ws, env })).code, 0);
  const hook = await weft(['hook', 'nu'], { cwd: t.dir, env });
  assert.is(hook.code, 0, hook.stderr);
  const hookFile = join(t.dir, 'hook.nu');
  const log = join(t.dir, 'calls.log');
  const broken = join(t.dir, 'weft-broken');
  // node and a script of its own that runs weft, as an npm install has it: moving the script
  // away is weft uninstalled while the hook is loaded.
  const script = join(t.dir, 'weft-script.cjs');
  if (opts.script) {
    writeFileSync(script, `require(${JSON.stringify(weftBin)});\n`);
    writeFileSync(hookFile, hookCode('nu', { weftArgv: [process.execPath, script] }));
  } else if (opts.logCalls) {
    // The hook starts weft through a wrapper that logs its arguments.
    const wrapper = join(t.dir, 'weft-logged');
    writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nif [ -e '${broken}' ]; then echo 'weft: broken for this test' >&2; exit 70; fi\nexec '${process.execPath}' '${weftBin}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    writeFileSync(hookFile, hookCode('nu', { weftArgv: [wrapper] }));
  } else {
    writeFileSync(hookFile, hook.stdout);
  }
  // Closures, not strings: nu passes string variables on to child processes.
  const config = join(t.dir, 'config.nu');
  writeFileSync(
    config,
    [
      '$env.config.show_banner = false',
      "$env.PROMPT_COMMAND = {|| '$ ' }",
      "$env.PROMPT_COMMAND_RIGHT = {|| '' }",
      "$env.PROMPT_INDICATOR = {|| '' }",
      `source '${hookFile}'`,
      '',
    ].join('\n'),
  );
  const envConfig = join(t.dir, 'env.nu');
  writeFileSync(envConfig, '');
  const argv = [nu, '--config', config, '--env-config', envConfig];
  return {
    ...t,
    nu,
    ws,
    out,
    path,
    libBin: join(ws, 'lib', 'bin'),
    env,
    manifest,
    start: () => startTmux({ argv, cwd: t.dir, env }),
    nested: `^${argv.map((a) => `'${a}'`).join(' ')}`,
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
    breakWeft: (on) => (on ? writeFileSync(broken, '') : rmSync(broken, { force: true })),
    moveWeft: (away) => (away ? renameSync(script, `${script}.away`) : renameSync(`${script}.away`, script)),
    script,
  };
}

/** A nu command that prints `KEY=[value of EXPR]` on a line of its own; EXPR is nu code. */
export function nuShow(key: string, expr: string): string {
  return `print $"${key}=[(${expr})]"`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lines = (screen: string) => screen.split('\n').map((l) => l.trimEnd());
/** Lines that start with the prompt the tests set, '$ ': one per command line, plus the waiting one. */
const prompts = (screen: string) => lines(screen).filter((l) => l === '$' || l.startsWith('$ ')).length;
const waiting = (screen: string) => lines(screen.trimEnd()).at(-1) === '$';

async function until(t: TmuxSession, ok: (screen: string) => boolean, what: string): Promise<void> {
  const end = Date.now() + 30_000;
  for (;;) {
    const screen = t.screen();
    if (ok(screen)) return;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what} on the screen:\n${screen}`);
    await sleep(50);
  }
}

/**
 * Types `text` at nu's prompt and waits for the next one. nu reads no type-ahead: keys that
 * arrive while it runs a command or a hook, before the prompt is drawn, are lost.
 */
export async function nuLine(t: TmuxSession, text: string): Promise<void> {
  await until(t, waiting, 'the prompt');
  const before = prompts(t.screen());
  t.line(text);
  await until(t, (s) => prompts(s) > before && waiting(s), `the prompt after ${JSON.stringify(text)}`);
}

/** Types a `nuShow` line and returns the value it printed. */
export async function nuValue(t: TmuxSession, key: string, expr: string): Promise<string> {
  await nuLine(t, nuShow(key, expr));
  return t.value(key);
}

/** nu expressions for the tests' two variables. */
export const DEMO = "$env.WEFT_DEMO? | default ''";
export const PATH = "$env.PATH | str join ':'";
