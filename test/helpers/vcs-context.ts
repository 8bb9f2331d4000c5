// What svn and hg fetcher tests share: a FetcherContext whose HOME is a temp dir, a source
// builder, and a command tracer that proves which child processes ran.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaults } from '../../src/defaults.js';
import type { FetchEvent, FetcherContext } from '../../src/fetch/fetcher.js';
import type { HgSource, SvnSource } from '../../src/types.js';

export interface TestContext extends FetcherContext {
  events: FetchEvent[];
}

/** A context for one test: HOME and XDG dirs inside `home`, the given PATH first. */
export function vcsContext(home: string, over: Partial<FetcherContext> = {}): TestContext {
  const events: FetchEvent[] = [];
  return {
    cacheDir: join(home, 'cache'),
    env: { ...process.env, HOME: home, XDG_CONFIG_HOME: join(home, '.config'), XDG_CACHE_HOME: join(home, '.cache') },
    offline: false,
    force: false,
    report: (e) => events.push(e),
    defaults,
    ...over,
    events,
  };
}

export function vcsSource(type: 'svn', dir: string, url: string, ref?: string): SvnSource;
export function vcsSource(type: 'hg', dir: string, url: string, ref?: string): HgSource;
export function vcsSource(type: 'svn' | 'hg', dir: string, url: string, ref?: string): SvnSource | HgSource {
  return {
    type,
    name: 'lib',
    path: 'lib',
    dir,
    url,
    ...(ref === undefined ? {} : { ref }),
    depends: [],
    groups: [],
    env: [],
    setup: [],
    loc: { file: join(dir, '..', 'weft.yaml'), line: 1, col: 1 },
  };
}

/**
 * Puts a `cmd` on a PATH of its own that logs its arguments, one call per line, and then
 * runs the real one. Returns the env (for the context) and a reader of the log.
 */
export function traceCommand(dir: string, cmd: string, env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; calls: () => string[] } {
  const real = execFileSync('bash', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();
  const bin = join(dir, 'trace-bin');
  const log = join(dir, `${cmd}.calls`);
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, cmd), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${real}' "$@"\n`);
  chmodSync(join(bin, cmd), 0o755);
  return {
    env: { ...env, PATH: `${bin}:${env.PATH ?? ''}` },
    calls: () => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : []),
  };
}
