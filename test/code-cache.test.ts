// bin/weft.js runs the bundled CLI with a V8 code cache (src/cli/load.cts): the cache is
// written once per command and bundle (and again once per new way through the code, as
// code-paths.ts says), used afterwards, and never trusted blindly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandWord, VALUED_GLOBALS } from '../src/cli/load.cjs';
import { globalOptions } from '../src/cli/help-text.js';
import { isolatedEnv, repoRoot, weft } from './helpers/cli.js';
import { gitSandbox, makeUpstream } from './helpers/git-repo.js';
import { tempDir } from './helpers/tmp.js';

function world() {
  const t = tempDir('weft-code-cache-');
  const ws = join(t.dir, 'ws');
  mkdirSync(join(ws, 'lib'), { recursive: true });
  writeFileSync(join(ws, 'weft.yaml'), 'weft: 1\nsources:\n  lib:\n    local: ./lib\n    env: { LIB: here }\n');
  const codeCache = join(t.dir, 'cache', 'v8');
  // The default place, inside this sandbox's weft cache (isolatedEnv shares one otherwise).
  const env = isolatedEnv(t.dir, { WEFT_CODE_CACHE: undefined });
  delete env.WEFT_CODE_CACHE;
  const run = (args: string[], more: NodeJS.ProcessEnv = {}) => weft(args, { cwd: ws, env: { ...env, ...more } });
  const files = () => (existsSync(codeCache) ? readdirSync(codeCache).sort() : []);
  return { ...t, ws, env, run, codeCache, files };
}

test('the first run of a command writes its code cache; the next run uses it as it is', async () => {
  const w = world();
  try {
    const first = await w.run(['which']);
    assert.is(first.code, 0, first.stderr);
    const [file, ...more] = w.files();
    assert.ok(file?.startsWith('which.') && file.endsWith('.bin'), String(file));
    assert.equal(more, []);
    assert.is(statSync(w.codeCache).mode & 0o777, 0o700);
    const before = statSync(join(w.codeCache, file));
    const second = await w.run(['which']);
    assert.is(second.stdout, first.stdout);
    // Rewritten only when V8 refused it: the same inode means it was accepted.
    assert.is(statSync(join(w.codeCache, file)).ino, before.ino);
    const other = await w.run(['-C', w.ws, 'status']);
    assert.is(other.code, 0, other.stderr);
    assert.ok(w.files().some((f) => f.startsWith('status.')), w.files().join(' '));
  } finally {
    w.cleanup();
  }
});

test('a run that goes a way the cache does not cover writes it again, covering both; one that goes none new leaves it', async () => {
  const w = world();
  const sb = gitSandbox();
  try {
    const upstream = makeUpstream(sb, 'lib');
    writeFileSync(join(w.ws, 'weft.yaml'), `weft: 1\nsources:\n  lib:\n    git: ${upstream.dir}\n    ref: main\n`);
    rmSync(join(w.ws, 'lib'), { recursive: true });
    const header = (file: string) => readFileSync(join(w.codeCache, file), 'latin1').split('\n', 1)[0]!;
    const up = async (ws: string) => {
      const r = await weft(['-C', ws, 'up', '-q'], { cwd: w.dir, env: w.env });
      assert.is(r.code, 0, r.stderr);
    };
    // A clone over the network (a path is a remote to git) writes the cache, naming that way.
    await up(w.ws);
    const [file, ...more] = w.files();
    assert.ok(file?.startsWith('up.'), String(file));
    assert.equal(more, []);
    assert.match(header(file!), / git:cloned:fetched$/);
    const first = readFileSync(join(w.codeCache, file!));
    // A second workspace with the first one's lock, checked out from the cache without asking
    // upstream, is another way: written again, bigger.
    const copy = (ws: string) => {
      mkdirSync(ws);
      for (const f of ['weft.yaml', 'weft.lock']) cpSync(join(w.ws, f), join(ws, f));
    };
    const second = join(w.dir, 'ws2');
    copy(second);
    await up(second);
    assert.match(header(file!), / git:cloned,git:cloned:fetched$/);
    const both = readFileSync(join(w.codeCache, file!));
    assert.ok(both.length > first.length, `${both.length} > ${first.length}`);
    // The same way again, or a no-op run after a no-op run: the file is not touched.
    const third = join(w.dir, 'ws3');
    copy(third);
    const ino = statSync(join(w.codeCache, file!)).ino;
    await up(third);
    assert.is(statSync(join(w.codeCache, file!)).ino, ino);
    await up(third);
    assert.match(header(file!), / git:cloned,git:cloned:fetched,git:unchanged$/);
    const noop = statSync(join(w.codeCache, file!)).ino;
    await up(third);
    assert.is(statSync(join(w.codeCache, file!)).ino, noop);
    assert.equal(w.files(), [file]);
  } finally {
    sb.cleanup();
    w.cleanup();
  }
});

test('a damaged cache file is refused, the command runs as usual, and the file is written again', async () => {
  const w = world();
  try {
    const good = await w.run(['which']);
    const [file] = w.files();
    writeFileSync(join(w.codeCache, file!), Buffer.alloc(4096, 7));
    const r = await w.run(['which']);
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, good.stdout);
    assert.is(r.stderr, '');
    assert.not.equal(readFileSync(join(w.codeCache, file!)), Buffer.alloc(4096, 7));
  } finally {
    w.cleanup();
  }
});

test('a cache file whose bytecode changed on disk is rebuilt, not run: V8 does not check, and crashed on it', async () => {
  const w = world();
  try {
    const good = await w.run(['-C', w.ws, 'status']);
    assert.is(good.code, 0, good.stderr);
    const [file] = w.files();
    const path = join(w.codeCache, file!);
    const whole = readFileSync(path);
    // A few bytes flipped past the header, as a bad sector or a bad restore would leave them:
    // run unchecked, these made node segfault or abort in V8's deserializer.
    for (const at of [1000, Math.floor(whole.length / 2), whole.length - 5000]) {
      const damaged = Buffer.from(whole);
      for (let i = at; i < at + 64; i++) damaged[i] = damaged[i]! ^ 0x5a;
      writeFileSync(path, damaged);
      const r = await w.run(['-C', w.ws, 'status']);
      assert.is(r.code, 0, `${at}: ${r.stderr}`);
      assert.is(r.stdout, good.stdout);
      assert.is(r.stderr, '');
      assert.not.equal(readFileSync(path), damaged, 'written again');
    }
  } finally {
    w.cleanup();
  }
});

test('a cache directory others can write is neither read nor written; WEFT_CODE_CACHE=0 turns it off', async () => {
  const w = world();
  try {
    mkdirSync(w.codeCache, { recursive: true });
    chmodSync(w.codeCache, 0o777);
    const r = await w.run(['which']);
    assert.is(r.code, 0, r.stderr);
    assert.equal(w.files(), []);
    chmodSync(w.codeCache, 0o700);
    const off = await w.run(['which'], { WEFT_CODE_CACHE: '0' });
    assert.is(off.code, 0, off.stderr);
    assert.equal(w.files(), []);
  } finally {
    w.cleanup();
  }
});

test('a run that stops at a usage or manifest error keeps no cache; a new cache removes day-old files of other builds', async () => {
  const w = world();
  try {
    const bad = await w.run(['up', '--no-such-option']);
    assert.is(bad.code, 2);
    assert.equal(w.files(), []);
    mkdirSync(w.codeCache, { recursive: true, mode: 0o700 });
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
    for (const old of ['which.1-2-3-v0.0.0-x64.bin', 'up.1-2-3-v0.0.0-x64.bin.77.tmp']) {
      writeFileSync(join(w.codeCache, old), 'old');
      utimesSync(join(w.codeCache, old), twoDaysAgo, twoDaysAgo);
    }
    // Another install's recent cache stays: both may be in use.
    writeFileSync(join(w.codeCache, 'which.4-5-6-v0.0.0-x64.bin'), 'recent');
    assert.is((await w.run(['which'])).code, 0);
    const left = w.files();
    assert.is(left.length, 2, left.join(' '));
    assert.ok(left.includes('which.4-5-6-v0.0.0-x64.bin'));
    assert.ok(left.some((f) => f.startsWith('which.') && !/1-2-3|4-5-6/.test(f)), left.join(' '));
  } finally {
    w.cleanup();
  }
});

test('the bundle and the ES modules print the same plan', async () => {
  const w = world();
  try {
    const bundled = await w.run(['up', '--dry-run', '--json']);
    const modules = await w.run(['up', '--dry-run', '--json'], { WEFT_BUNDLE: '0' });
    assert.is(bundled.code, 0, bundled.stderr);
    assert.is(modules.code, 0, modules.stderr);
    assert.is(bundled.stdout, modules.stdout);
  } finally {
    w.cleanup();
  }
});

test('modules compiled after the bundle was made (tsc without the bundle step) run instead of the stale bundle', async () => {
  const w = world();
  try {
    // A copy of the package: the shared dist must stay as it is for the other tests.
    const pkg = join(w.dir, 'pkg');
    cpSync(join(repoRoot, 'bin'), join(pkg, 'bin'), { recursive: true });
    // Times kept: which file the copy wrote last must not decide whether the bundle is stale.
    cpSync(join(repoRoot, 'dist', 'src'), join(pkg, 'dist', 'src'), { recursive: true, preserveTimestamps: true, filter: (f) => !f.endsWith('.map') });
    cpSync(join(repoRoot, 'package.json'), join(pkg, 'package.json'));
    symlinkSync(join(repoRoot, 'node_modules'), join(pkg, 'node_modules'));
    const bin = join(pkg, 'bin', 'weft.js');
    const which = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: w.ws, env: { ...w.env, NODE_DEBUG: 'esm' }, encoding: 'utf8' });
    const fresh = which(['which']);
    assert.is(fresh.status, 0, fresh.stderr);
    assert.not.match(fresh.stderr, 'ESM', 'the bundle loads no ES module of weft');
    const later = new Date(Date.now() + 5000);
    utimesSync(join(pkg, 'dist', 'src', 'cli', 'main.js'), later, later);
    const stale = which(['which']);
    assert.is(stale.status, 0, stale.stderr);
    assert.is(stale.stdout, fresh.stdout);
    assert.match(stale.stderr, /ESM.*cli\/main\.js/, 'the newer modules ran');
    // weft env's fast path, bundled the same way, follows the same rule.
    assert.is((await w.run(['up', '-q'])).code, 0);
    const env = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { cwd: w.ws, env: { ...w.env, NODE_DEBUG: 'module' }, encoding: 'utf8' });
    const fast = env(['env', '--shell', 'bash']);
    assert.is(fast.status, 0, fast.stderr);
    assert.match(fast.stderr, 'env-fast.bundle.cjs');
    utimesSync(join(pkg, 'dist', 'src', 'cli', 'env-fast.cjs'), later, later);
    const modules = env(['env', '--shell', 'bash']);
    assert.is(modules.stdout, fast.stdout);
    assert.not.match(modules.stderr, 'env-fast.bundle.cjs');
    assert.match(modules.stderr, 'env-fast.cjs');
  } finally {
    w.cleanup();
  }
});

test('the cache is kept per command, found past global options', () => {
  assert.is(commandWord(['-C', 'ws', 'up', '-j', '8']), 'up');
  assert.is(commandWord(['--var', 'x=1', '--json', 'status']), 'status');
  assert.is(commandWord(['--manifest', 'up', 'which']), 'which');
  assert.is(commandWord(['-v']), 'other');
  assert.is(commandWord(['Up!']), 'other');
  // Every global option that takes a value is skipped with its value.
  const valued = Object.entries(globalOptions).filter(([, o]) => o.type === 'string');
  const names = valued.flatMap(([long, o]) => [`--${long}`, ...(o.short ? [`-${o.short}`] : [])]);
  assert.equal([...VALUED_GLOBALS].sort(), names.sort());
});

test.run();
