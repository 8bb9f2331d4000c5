import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import * as assert from 'uvu/assert';
import { isWeftError, type WeftError } from '../../src/errors.js';
import { loadPlan, type ResolveOptions } from '../../src/resolve/index.js';
import type { Plan } from '../../src/types.js';
import { tempDir } from './tmp.js';

export interface TestWorkspace {
  dir: string;
  /** Writes files (path relative to dir → content); directories are made as needed. */
  write(files: Record<string, string>): void;
  mkdir(...paths: string[]): void;
  load(opts?: Partial<ResolveOptions>): Promise<Plan>;
  /** Every path under dir with its size and mtime, to prove nothing was written. */
  snapshot(): string[];
  cleanup(): void;
}

/** A temp workspace holding the given files (e.g. `{'weft.yaml': '…'}`). */
export function testWorkspace(files: Record<string, string> = {}): TestWorkspace {
  const { dir, cleanup } = tempDir('weft-resolve-');
  const ws: TestWorkspace = {
    dir,
    write(more) {
      for (const [rel, text] of Object.entries(more)) {
        const p = join(dir, rel);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(p, text);
      }
    },
    mkdir(...paths) {
      for (const p of paths) mkdirSync(join(dir, p), { recursive: true });
    },
    load: (opts = {}) => loadPlan({ cwd: dir, env: {}, ...opts }),
    snapshot() {
      const out: string[] = [];
      const walk = (d: string) => {
        for (const name of readdirSync(d).sort()) {
          const p = join(d, name);
          const st = statSync(p);
          out.push(`${relative(dir, p)} ${st.isDirectory() ? 'dir' : st.size} ${st.mtimeMs}`);
          if (st.isDirectory()) walk(p);
        }
      };
      walk(dir);
      return out;
    },
    cleanup,
  };
  ws.write(files);
  return ws;
}

/** Runs `fn`, asserts it throws a WeftError, and returns it. */
export async function rejects(fn: () => Promise<unknown>): Promise<WeftError> {
  try {
    await fn();
  } catch (err) {
    if (isWeftError(err)) return err;
    throw err;
  }
  assert.unreachable('expected a WeftError');
  throw new Error('unreachable');
}

export interface Expected {
  code: string;
  /** 'file:line:col' with file relative to the workspace, or 'line:col' for weft.yaml. */
  at?: string;
  message?: string | RegExp;
  hint?: string | RegExp;
}

/** Asserts one problem (the error itself or one in `more`) matches, and returns it. */
export function assertProblem(err: WeftError, ws: { dir: string }, want: Expected): WeftError {
  const all = err.all();
  const where = (e: WeftError) => (e.loc ? `${relative(ws.dir, e.loc.file)}:${e.loc.line}:${e.loc.col}` : '');
  const wantAt = want.at && !/^[^:]+:\d+:\d+$/.test(want.at) ? `weft.yaml:${want.at}` : want.at;
  const found = all.find((e) => e.code === want.code && (wantAt === undefined || where(e) === wantAt));
  const listing = all.map((e) => `${e.code} @ ${where(e)}: ${e.message} (hint: ${e.hint})`).join('\n');
  assert.ok(found, `expected ${want.code}${wantAt ? ` at ${wantAt}` : ''} among:\n${listing}`);
  const e = found!;
  if (want.message !== undefined) match(e.message, want.message, 'message', listing);
  if (want.hint !== undefined) match(e.hint ?? '', want.hint, 'hint', listing);
  return e;
}

function match(actual: string, want: string | RegExp, what: string, listing: string): void {
  const ok = typeof want === 'string' ? actual.includes(want) : want.test(actual);
  assert.ok(ok, `${what} ${JSON.stringify(actual)} does not match ${String(want)}\n${listing}`);
}
