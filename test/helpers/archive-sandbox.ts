// A throwaway world for archive fetcher tests: a cache, a workspace, and a canary
// directory beside them that no archive may ever touch.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { defaults, type Defaults } from '../../src/defaults.js';
import type { FetchEvent, FetcherContext } from '../../src/fetch/fetcher.js';
import type { ArchiveSource } from '../../src/types.js';
import { tempDir } from './tmp.js';

export interface Sandbox {
  root: string;
  cacheDir: string;
  workspace: string;
  canary: string;
  events: FetchEvent[];
  ctx(over?: Partial<Omit<FetcherContext, 'defaults'>> & { defaults?: Limits }): FetcherContext;
  source(url: string, integrity: string, over?: Partial<ArchiveSource>): ArchiveSource;
  /** Canary unchanged, cache tmp/ empty, no cache entry, no target dir. */
  assertNothingHappened(source?: ArchiveSource): void;
  cleanup(): void;
}

// `Defaults` is `typeof defaults` with literal types, so other numbers need this widening.
export type Limits = Partial<Record<keyof Defaults, number>>;

/**
 * Test-friendly limits: short backoff, so misbehaving servers cost little. The stall limit
 * stays far above what a loaded machine can leave a healthy download without data (the
 * server runs in the test's own process); tests of stalls set a shorter one themselves.
 */
export const testDefaults: Limits = { stallTimeoutMs: 20_000, retryBaseMs: 5, retries: 2 };

export function sandbox(): Sandbox {
  const { dir: root, cleanup } = tempDir('weft-archive-');
  const cacheDir = join(root, 'cache');
  const workspace = join(root, 'ws');
  const canary = join(root, 'canary');
  mkdirSync(workspace);
  mkdirSync(canary);
  writeFileSync(join(canary, 'keep.txt'), 'canary\n');
  const before = snapshot(root, ['cache', 'ws']);
  const events: FetchEvent[] = [];
  return {
    root,
    cacheDir,
    workspace,
    canary,
    events,
    ctx: (over = {}) => ({
      cacheDir,
      env: {},
      offline: false,
      force: false,
      report: (e) => events.push(e),
      ...over,
      defaults: { ...defaults, ...testDefaults, ...over.defaults } as Defaults,
    }),
    source: (url, integrity, over = {}) => ({
      type: 'archive',
      name: 'pkg',
      path: 'pkg',
      dir: join(workspace, 'pkg'),
      depends: [],
      groups: [],
      env: [],
      setup: [],
      loc: { file: join(root, 'weft.yaml'), line: 1, col: 1 },
      url,
      integrity,
      strip: 0,
      ...over,
    }),
    assertNothingHappened(source) {
      assert.equal(snapshot(root, ['cache', 'ws']), before, 'nothing outside the cache and workspace changed');
      assert.equal(list(join(cacheDir, 'tmp')), [], 'cache tmp/ is empty');
      assert.equal(list(join(cacheDir, 'archives')), [], 'no cache entry');
      assert.equal(list(join(cacheDir, 'locks')), [], 'no lock left behind');
      assert.equal(list(workspace), [], 'workspace untouched');
      if (source) assert.not.ok(existsSync(source.dir), 'target dir absent');
    },
    cleanup,
  };
}

function list(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

/** Every path under `dir` (except `skip` at the top) with its type and content hash. */
export function snapshot(dir: string, skip: string[] = []): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(join(dir, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      if (!rel && skip.includes(name)) continue;
      const st = lstatSync(join(dir, r));
      if (st.isDirectory()) {
        out.push(`${r}/`);
        walk(r);
      } else if (st.isFile()) {
        out.push(`${r} ${createHash('sha256').update(readFileSync(join(dir, r))).digest('hex').slice(0, 16)}`);
      } else out.push(`${r} (special ${st.mode.toString(8)})`);
    }
  };
  walk('');
  return out;
}

export function sri(algo: 'sha256' | 'sha512', data: Buffer): string {
  return `${algo}-${createHash(algo).update(data).digest('base64')}`;
}
