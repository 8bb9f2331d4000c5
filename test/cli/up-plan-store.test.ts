// The cache's plan store: a second workspace of the same manifest takes the plan `weft up`
// resolved in the first, moved to its own path, when every input checks out there; and
// never one that depends on where the first workspace was in any other way. Each test
// marks the stored plan (its name becomes "from-the-store") to see whether it was taken.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const MARK = 'from-the-store';

interface World {
  root: string;
  env: NodeJS.ProcessEnv;
  upstream: string;
  store: string;
  cleanup: () => void;
}

/** A sandbox (HOME, cache, workspaces) and, outside it, an upstream repository. */
function world(): World {
  const sandbox = tempDir();
  const outside = tempDir();
  const upstream = join(outside.dir, 'lib');
  const env = isolatedEnv(sandbox.dir);
  const git = (...args: string[]) => execFileSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd: upstream, env, stdio: 'pipe' });
  mkdirSync(upstream);
  git('init', '-q');
  writeFileSync(join(upstream, 'README'), 'lib\n');
  git('add', '-A');
  git('commit', '-qm', 'one');
  return {
    root: sandbox.dir,
    env,
    upstream,
    store: join(sandbox.dir, 'cache', 'plans'),
    cleanup: () => {
      sandbox.cleanup();
      outside.cleanup();
    },
  };
}

function manifest(w: World, extra = ''): string {
  return `weft: 1\nname: lab\nsources:\n  lib:\n    git: ${w.upstream}\n    ref: main\n    env:\n      LIB_HOME: { set: "\${source.lib}" }\n${extra}`;
}

function workspace(w: World, name: string, text: string): string {
  const ws = join(w.root, name);
  mkdirSync(ws);
  writeFileSync(join(ws, 'weft.yaml'), text);
  return ws;
}

function up(w: World, ws: string, args: string[] = []): ReturnType<typeof weft> {
  return weft(['up', ...args], { cwd: ws, env: w.env });
}

interface PlanOut {
  name: string;
  sources: { name: string; dir: string }[];
}

async function planOf(w: World, ws: string): Promise<PlanOut> {
  const r = await up(w, ws, ['--dry-run', '--json']);
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as PlanOut;
}

/** The one stored plan, marked. */
function markStore(w: World): void {
  const names = readdirSync(w.store);
  assert.is(names.length, 1, `one plan in the store: ${names.join(', ')}`);
  const file = join(w.store, names[0]!);
  const data = JSON.parse(readFileSync(file, 'utf8'));
  data.plan.name = MARK;
  writeFileSync(file, JSON.stringify(data));
}

/** `weft up` in a first workspace of `text`, its stored plan marked; that workspace's path. */
async function storedFrom(w: World, text = manifest(w)): Promise<string> {
  const ws1 = workspace(w, 'ws1', text);
  const r = await up(w, ws1);
  assert.is(r.code, 0, r.stderr);
  markStore(w);
  return ws1;
}

const nothingStored = (w: World) => assert.equal(existsSync(w.store) ? readdirSync(w.store) : [], [], 'nothing stored');

function storeTest(name: string, body: (w: World) => Promise<void>): void {
  test(name, async () => {
    const w = world();
    try {
      await body(w);
    } finally {
      w.cleanup();
    }
  });
}

storeTest('a second workspace of the same manifest takes the first one\'s plan, moved to it, and keeps it as its own', async (w) => {
  const ws1 = await storedFrom(w);
  const ws2 = workspace(w, 'ws2', manifest(w));
  const plan = await planOf(w, ws2);
  assert.is(plan.name, MARK, 'the stored plan was taken');
  assert.is(plan.sources[0]!.dir, join(ws2, 'lib'), 'moved to the second workspace');
  const r = await up(w, ws2);
  assert.is(r.code, 0, r.stderr);
  assert.ok(readFileSync(join(ws2, 'lib', 'README'), 'utf8') === 'lib\n');
  const own = JSON.parse(readFileSync(join(ws2, '.weft', 'plan-cache.json'), 'utf8'));
  assert.is(own.manifest, join(ws2, 'weft.yaml'));
  assert.not.ok(JSON.stringify(own).includes(ws1), 'nothing of the first workspace is left in it');
});

storeTest('a stored plan that others could have written (group- or world-writable) is not taken', async (w) => {
  await storedFrom(w);
  const file = join(w.store, readdirSync(w.store)[0]!);
  assert.is(statSync(file).mode & 0o777, 0o600, 'written for its owner only');
  chmodSync(file, 0o620);
  const ws2 = workspace(w, 'ws2', manifest(w));
  assert.is((await planOf(w, ws2)).name, 'lab');
  chmodSync(file, 0o600);
  const ws3 = workspace(w, 'ws3', manifest(w));
  assert.is((await planOf(w, ws3)).name, MARK, 'and is, once only its owner can write it');
});

storeTest('an input that differs in the second workspace (a weft.local.yaml) sends weft past the store', async (w) => {
  await storedFrom(w);
  const ws2 = workspace(w, 'ws2', manifest(w));
  writeFileSync(join(ws2, 'weft.local.yaml'), 'weft: 1\n');
  assert.is((await planOf(w, ws2)).name, 'lab');
});

storeTest('a manifest that names its workspace\'s path, or is under another name, is not taken from the store', async (w) => {
  const text = manifest(w, `env:\n  DATA: ${join(w.root, 'ws1', 'data')}\n`);
  await storedFrom(w, text);
  const ws2 = workspace(w, 'ws2', text);
  const plan = await planOf(w, ws2);
  assert.is(plan.name, 'lab', 'resolved again: the text moved to ws2 is not what ws2 has');
  const ws3 = join(w.root, 'ws3');
  mkdirSync(ws3);
  writeFileSync(join(ws3, 'other.yaml'), text);
  const r = await weft(['--manifest', 'other.yaml', 'up', '--dry-run', '--json'], { cwd: ws3, env: w.env });
  assert.is(r.code, 0, r.stderr);
  assert.is((JSON.parse(r.stdout) as PlanOut).name, 'lab');
});

storeTest('a variable whose value names the workspace keeps the plan out of the store', async (w) => {
  const ws1 = workspace(w, 'ws1', manifest(w, 'env:\n  DATA: { set: "${data}" }\n').replace('name: lab\n', 'name: lab\nvars:\n  data: none\n'));
  const r = await weft(['up'], { cwd: ws1, env: { ...w.env, WEFT_VAR_data: join(ws1, 'data') } });
  assert.is(r.code, 0, r.stderr);
  nothingStored(w);
  assert.is((await up(w, ws1)).code, 0, 'without it, the same manifest is stored');
  assert.is(readdirSync(w.store).length, 1);
});

storeTest('a plan with a password or token in a URL stays out of the store (the cache may be shared)', async (w) => {
  const pkg = 'sources:\n  pkg:\n    archive: https://ci:${env.TOKEN}@127.0.0.1:1/p.tgz\n    integrity: sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n';
  const ws1 = workspace(w, 'ws1', manifest(w).replace('sources:\n', pkg));
  // Nothing listens on port 1: the archive fails; the plan was made all the same.
  const r = await weft(['up'], { cwd: ws1, env: { ...w.env, TOKEN: 's3cr3t' } });
  assert.match(r.stdout + r.stderr, /pkg .*failed/);
  assert.ok(existsSync(join(ws1, 'lib', 'README')), r.stderr);
  nothingStored(w);
  const ws2 = workspace(w, 'ws2', manifest(w));
  assert.is((await up(w, ws2)).code, 0);
  assert.is(readdirSync(w.store).length, 1, 'the same manifest without it is stored');
});

storeTest('a plan whose checkouts are not under the workspace itself (root: ../elsewhere) is never stored', async (w) => {
  const ws1 = workspace(w, 'ws1', manifest(w).replace('name: lab\n', 'name: lab\nroot: ../elsewhere\n'));
  const r = await up(w, ws1);
  assert.is(r.code, 0, r.stderr);
  assert.ok(readFileSync(join(w.root, 'elsewhere', 'lib', 'README'), 'utf8') === 'lib\n');
  nothingStored(w);
});

storeTest('the store keeps its newest plans only', async (w) => {
  mkdirSync(w.store, { recursive: true });
  for (let i = 0; i < 70; i++) {
    const f = join(w.store, `${String(i).padStart(32, '0')}.json`);
    writeFileSync(f, '{}');
    utimesSync(f, new Date(2020, 0, 1), new Date(2020, 0, 1 + i));
  }
  const ws1 = workspace(w, 'ws1', manifest(w));
  assert.is((await up(w, ws1)).code, 0);
  const names = readdirSync(w.store);
  assert.is(names.length, 64);
  assert.not.ok(names.includes(`${'0'.repeat(32)}.json`), 'the oldest went first');
});

test.run();
