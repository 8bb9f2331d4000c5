// How bin/weft.js starts the CLI: the whole of dist/src as one CommonJS bundle
// (dist/src/bundle.cjs, made by scripts/bundle.mjs), compiled with a V8 code cache.
//
// Started as ~120 ES modules, every run paid for Node's module search, a file read through
// the thread pool per module, and compiling each function the first time it ran: most of
// the ~200 ms before a `weft up` starts its first git process, and of `weft status`.
// Node 22 can cache compiled ES modules; Node 20, which weft supports, caches only code
// compiled through `vm.Script`. So the bundle is compiled here with the bytecode V8 kept
// from an earlier run of the same command, and that bytecode is written once per command
// and bundle: cut the CPU of a cold `weft up` of 50 sources by a quarter here. It holds
// what the writing run compiled, so a run that went another way through the code (a
// checkout from the cache after a cold clone wrote it: code-paths.ts) writes it again,
// with both, once per way.
//
// The cache is bytecode, i.e. code: it is read only from a directory that only this user
// can write (the weft cache's v8/), only for the exact bundle file (size, mtime, inode)
// and Node that wrote it, and only when its bytes still match the SHA-1 it was sealed
// with. V8 itself refuses data made by another V8 or other flags, and then it is rebuilt.
// WEFT_CODE_CACHE=0 turns the cache off, or names another directory for it. Without the
// bundle (a bare `tsc` build) or with WEFT_BUNDLE=0 the ES modules run as they are.
import { hash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, type Stats } from 'node:fs';
import Module from 'node:module';
import { dirname, isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';
import type * as Atomic from '../atomic.cjs';
import type * as CacheDir from '../cache-dir.cjs';

export interface LoadedCli {
  main(argv: string[]): Promise<number>;
  /**
   * Writes the code cache if this run had none it could use, or went a way (code-paths.ts)
   * the one it used does not cover; call once the command is done, with its exit code (a
   * usage or manifest error, 2, ran too little to keep).
   */
  saveCodeCache(exitCode: number): void;
}

/** The bundled CLI, or undefined when there is no bundle (or WEFT_BUNDLE=0): then import dist/src/cli/main.js. */
export function loadCli(argv: readonly string[], env: NodeJS.ProcessEnv): LoadedCli | undefined {
  if (env.WEFT_BUNDLE === '0') return undefined;
  const file = join(__dirname, '..', 'bundle.cjs');
  let source: string;
  let st: Stats;
  try {
    st = statSync(file);
    // A tsc run since the bundle was made (tsc without scripts/bundle.mjs): the modules are newer.
    if (statSync(join(__dirname, 'main.js')).mtimeMs > st.mtimeMs) return undefined;
    // latin1: the bundle is ASCII (scripts/bundle.mjs checks), read without UTF-8 decoding.
    source = readFileSync(file, 'latin1');
  } catch {
    return undefined;
  }
  const dir = codeCacheDir(env);
  // One cache per command: the bytecode kept is what that command compiled.
  const label = commandWord(argv);
  const build = `${st.size}-${Math.floor(st.mtimeMs)}-${st.ino}-${process.version}-${process.arch}`;
  const cacheFile = dir && join(dir, `${label}.${build}.bin`);
  const cached = cacheFile ? unsealed(readOwnFile(cacheFile)) : undefined;
  const cachedData = cached?.data;
  // Module.wrap's parameters, and the bundle's way to import() a package (scripts/bundle.mjs says why).
  const wrapped = `(function (exports, require, module, __filename, __dirname, __weftImport) {${source}\n});`;
  const script = new Script(wrapped, { filename: file, cachedData });
  const usable = cachedData !== undefined && !script.cachedDataRejected;
  const mod = { exports: {} as { main?: (argv: string[]) => Promise<number>; codePaths?: () => string[] } };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  const importPackage = (spec: string): Promise<unknown> => import(spec);
  wrapper.call(mod.exports, mod.exports, Module.createRequire(file), mod, file, dirname(file), importPackage);
  const { main, codePaths } = mod.exports;
  if (typeof main !== 'function') return undefined;
  // The ways (code-paths.ts) the bytecode in the cache covers; undefined: there is none to keep.
  let covered = usable ? cached?.ways : undefined;
  return {
    main,
    saveCodeCache(exitCode) {
      if (!cacheFile || exitCode > 1) return;
      const went = (typeof codePaths === 'function' ? codePaths() : []).filter((w) => WAY.test(w));
      const known = covered;
      if (known && went.every((w) => known.has(w))) return;
      // What V8 holds now: the cached bytecode it read, and what this run compiled besides.
      covered = new Set([...(known ?? []), ...went]);
      writeCodeCache(dir!, cacheFile, sealed(script.createCachedData(), covered), build);
    },
  };
}

/** The global options that take a value (help-text.ts): their value is not the command. */
export const VALUED_GLOBALS: ReadonlySet<string> = new Set(['-C', '--directory', '--manifest', '--var']);

/** The command a run names (`up` in `weft -C ws up -j 8`), or 'other'. */
export function commandWord(argv: readonly string[]): string {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (VALUED_GLOBALS.has(a)) i++;
    else if (!a.startsWith('-')) return /^[a-z][a-z-]{0,19}$/.test(a) ? a : 'other';
  }
  return 'other';
}

/**
 * Where the code cache lives: `$WEFT_CODE_CACHE` when it is a path ('0' turns the cache
 * off), else `<weft cache>/v8`; undefined when it is there but not a directory that only
 * this user can write, or when WEFT_CACHE_DIR is relative (the commands that use the cache
 * say so; `weft env`, the hook and the rest run without a code cache rather than fail or
 * make one in the current directory). Made when the first cache is written.
 */
function codeCacheDir(env: NodeJS.ProcessEnv): string | undefined {
  const set = env.WEFT_CODE_CACHE;
  if (set === '0' || typeof process.getuid !== 'function') return undefined;
  // Required here, not above: with WEFT_BUNDLE=0 nothing of the fetch layer loads before the CLI wants it.
  const { findCacheDir } = require('../cache-dir.cjs') as typeof CacheDir;
  const cacheDir = findCacheDir(env);
  const dir = set && isAbsolute(set) ? set : cacheDir !== undefined ? join(cacheDir, 'v8') : undefined;
  if (dir === undefined) return undefined;
  try {
    return ownedByMe(statSync(dir)) ? dir : undefined;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ENOENT' ? dir : undefined;
  }
}

function ownedByMe(st: Stats): boolean {
  return st.uid === process.getuid!() && (st.mode & 0o022) === 0;
}

function readOwnFile(file: string): Buffer | undefined {
  try {
    const fd = openSync(file, 'r');
    try {
      // Checked on the open file, so it cannot be swapped between the check and the read.
      return ownedByMe(fstatSync(fd)) ? readFileSync(fd) : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

// V8 checks that a code cache was made by the same V8, flags and source length, but not
// (in release builds) that its bytes are intact: a damaged file crashed every run of its
// command (a segfault or V8 "unreachable code", tried with bytes flipped at four places),
// and was never rewritten since V8 had accepted it. So each file starts with a SHA-1 of
// the bytecode (~0.5 ms per run for ~600 KB), and one that does not match is rebuilt.
// The header's line also names the ways the bytecode covers (a space, then the ways
// separated by commas); a file without them covers none.
const SEAL = 'weft-v8-cache sha1 ';
const WAY = /^[a-z0-9:-]{1,64}$/;

function sealed(data: Buffer, ways: ReadonlySet<string>): Buffer {
  const named = ways.size ? ` ${[...ways].sort().join(',')}` : '';
  return Buffer.concat([Buffer.from(`${SEAL}${hash('sha1', data)}${named}\n`, 'latin1'), data]);
}

/** The bytecode of a sealed file and the ways it covers; undefined when the file is not one or its bytes changed. */
function unsealed(file: Buffer | undefined): { data: Buffer; ways: Set<string> } | undefined {
  if (!file || file.toString('latin1', 0, SEAL.length) !== SEAL) return undefined;
  const end = file.indexOf(0x0a, SEAL.length);
  if (end < 0 || end > 8192) return undefined;
  const [sum, named = ''] = file.toString('latin1', SEAL.length, end).split(' ', 2);
  const data = file.subarray(end + 1);
  if (data.length === 0 || sum !== hash('sha1', data)) return undefined;
  return { data, ways: new Set(named.split(',').filter((w) => WAY.test(w))) };
}

/** Written whole or not at all; day-old caches (and abandoned temp files) of other bundles or Nodes are removed meanwhile. */
function writeCodeCache(dir: string, file: string, data: Buffer, build: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (!ownedByMe(statSync(dir))) return;
    // Required only here: most runs find their cache and write nothing.
    (require('../atomic.cjs') as typeof Atomic).writeFileAtomic(file, data, 0o600);
    // Another build's files go once a day has passed since they were written: two weft
    // installs (a global one and a project's) may share the cache, and each deleting the
    // other's at once would have both rewrite theirs on every run.
    const dayAgo = Date.now() - 24 * 3600_000;
    for (const name of readdirSync(dir)) {
      const other = join(dir, name);
      if (!name.includes(`.${build}.`) && statSync(other).mtimeMs < dayAgo) rmSync(other, { force: true });
    }
  } catch {
    // A cache: a run that cannot write it still did its work.
  }
}
