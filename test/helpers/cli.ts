// Runs the real `weft` executable as a user would, with an isolated home, config and cache.
import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(new URL('../../..', import.meta.url).pathname);
export const weftBin = join(repoRoot, 'bin', 'weft.js');

export interface WeftResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** An environment with HOME, XDG dirs and the weft cache inside `sandbox`, nothing of the user's. */
export function isolatedEnv(sandbox: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const home = join(sandbox, 'home');
  mkdirSync(home, { recursive: true });
  return {
    PATH: process.env['PATH'],
    LANG: 'C.UTF-8',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    WEFT_CACHE_DIR: join(sandbox, 'cache'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_AUTHOR_NAME: 'weft test',
    GIT_AUTHOR_EMAIL: 'test@weft.invalid',
    GIT_COMMITTER_NAME: 'weft test',
    GIT_COMMITTER_EMAIL: 'test@weft.invalid',
    NO_COLOR: '1',
    SHELL: '/bin/bash',
    // One compiled-code cache for every test of a run (as one user's runs share theirs):
    // each sandbox's own would make every weft a first run. test/code-cache covers the rest.
    WEFT_CODE_CACHE: sharedCodeCache,
    ...extra,
  };
}

const sharedCodeCache = join(tmpdir(), `weft-test-code-cache-${process.getuid?.() ?? 'u'}`);

export function weft(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<WeftResult> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [weftBin, ...args], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    child.on('error', fail);
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

/** `env:` entries (one per line, indented for a manifest) that render to more than a pipe holds. */
export function bigEnvEntries(): string {
  return Array.from({ length: 300 }, (_, i) => `  V${i}: "${'x'.repeat(1000)}"`).join('\n');
}

/** Runs a bash script, weft reachable as "$NODE" "$WEFT": for what only a shell can set up (pipes, redirections). */
export function bashWithWeft(script: string, opts: { cwd: string; env: NodeJS.ProcessEnv }): SpawnSyncReturns<string> {
  return spawnSync('bash', ['-c', script], { cwd: opts.cwd, env: { ...opts.env, WEFT: weftBin, NODE: process.execPath }, encoding: 'utf8', maxBuffer: 4 << 20 });
}
