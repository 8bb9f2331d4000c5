// The plan cache (.weft/plan-cache.json): a no-op `weft up` takes its plan from there, and
// any edit of any input — each kind below — makes weft resolve again. Each test first
// marks the cached plan (its name becomes "from-the-cache") and shows the mark is seen,
// so it proves both that the cache answers and that the edit sent weft past it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { weft, isolatedEnv } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const MARK = 'from-the-cache';

interface Ws {
  root: string;
  ws: string;
  env: NodeJS.ProcessEnv;
  cleanup: () => void;
}

/** A workspace of local sources with an include, an import and a variable read from the environment. */
function workspace(): Ws {
  const { dir, cleanup } = tempDir();
  const ws = join(dir, 'ws');
  mkdirSync(join(ws, 'lib'), { recursive: true });
  mkdirSync(join(ws, 'extra'));
  writeFileSync(
    join(ws, 'weft.yaml'),
    'weft: 1\nname: lab\ninclude: [./base.weft.yaml]\nvars:\n  tag: ${env.WEFT_TEST_TAG}\nsources:\n  lib:\n    local: ./lib\n    env:\n      MODE: ${tag}\nimport:\n  - from: lib\n',
  );
  writeFileSync(join(ws, 'base.weft.yaml'), 'weft: 1\nsources:\n  tools:\n    local: ./extra\n    env: { TOOLS: one }\n');
  writeFileSync(join(ws, 'lib', 'weft.yaml'), 'weft: 1\nsources:\n  deep:\n    local: ../extra\n    env: { DEEP: one }\n');
  return { root: dir, ws, env: isolatedEnv(dir, { WEFT_TEST_TAG: 'red' }), cleanup };
}

const cacheFile = (w: Ws) => join(w.ws, '.weft', 'plan-cache.json');

async function upOk(w: Ws, env = w.env, args: string[] = []): Promise<void> {
  const r = await weft(['up', ...args], { cwd: w.ws, env });
  assert.is(r.code, 0, r.stderr);
}

interface PlanOut {
  name: string;
  sources: { name: string; env: { name: string; value?: string }[] }[];
}

async function planOf(w: Ws, env = w.env, args: string[] = []): Promise<PlanOut> {
  const r = await weft(['up', '--dry-run', '--json', ...args], { cwd: w.ws, env });
  assert.is(r.code, 0, r.stderr);
  return JSON.parse(r.stdout) as PlanOut;
}

function envValue(plan: PlanOut, source: string, name: string): string | undefined {
  return plan.sources.find((s) => s.name === source)?.env.find((e) => e.name === name)?.value;
}

function editCache(w: Ws, edit: (data: { build: string; plan: { name: string } }) => void): void {
  const data = JSON.parse(readFileSync(cacheFile(w), 'utf8'));
  edit(data);
  writeFileSync(cacheFile(w), JSON.stringify(data));
}

/** `weft up`, then the cached plan marked, and shown to be what the next run uses. */
async function cachedAndMarked(w: Ws, env = w.env, args: string[] = []): Promise<void> {
  await upOk(w, env, args);
  editCache(w, (d) => (d.plan.name = MARK));
  assert.is((await planOf(w, env, args)).name, MARK, 'the cache answers while nothing changed');
}

function cacheTest(name: string, body: (w: Ws) => Promise<void>): void {
  test(name, async () => {
    const w = workspace();
    try {
      await body(w);
    } finally {
      w.cleanup();
    }
  });
}

cacheTest('a no-op weft up takes the plan from the cache and leaves the cache file as it was', async (w) => {
  await cachedAndMarked(w);
  const before = statSync(cacheFile(w), { bigint: true }).mtimeNs;
  assert.is(statSync(cacheFile(w)).mode & 0o777, 0o600, 'it holds the user config text: owner only');
  const r = await weft(['up', '--json'], { cwd: w.ws, env: w.env });
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).ok, true);
  assert.is(statSync(cacheFile(w), { bigint: true }).mtimeNs, before);
});

cacheTest('editing the manifest is seen', async (w) => {
  await cachedAndMarked(w);
  writeFileSync(join(w.ws, 'weft.yaml'), readFileSync(join(w.ws, 'weft.yaml'), 'utf8').replace('MODE: ${tag}', 'MODE: plain'));
  const plan = await planOf(w);
  assert.is(plan.name, 'lab');
  assert.is(envValue(plan, 'lib', 'MODE'), 'plain');
});

cacheTest('an edit that keeps the manifest\'s size and modification time is seen too', async (w) => {
  const file = join(w.ws, 'weft.yaml');
  await cachedAndMarked(w);
  const st = statSync(file);
  writeFileSync(file, readFileSync(file, 'utf8').replace('name: lab', 'name: bat'));
  utimesSync(file, st.atime, st.mtime);
  assert.is(statSync(file).size, st.size);
  assert.is((await planOf(w)).name, 'bat');
});

cacheTest('editing an included file is seen', async (w) => {
  await cachedAndMarked(w);
  writeFileSync(join(w.ws, 'base.weft.yaml'), 'weft: 1\nsources:\n  tools:\n    local: ./extra\n    env: { TOOLS: two }\n');
  const plan = await planOf(w);
  assert.is(plan.name, 'lab');
  assert.is(envValue(plan, 'tools', 'TOOLS'), 'two');
});

cacheTest('creating, editing and removing weft.local.yaml are each seen', async (w) => {
  const local = join(w.ws, 'weft.local.yaml');
  await cachedAndMarked(w);
  writeFileSync(local, 'sources:\n  tools:\n    env: { TOOLS: mine }\n');
  assert.is(envValue(await planOf(w), 'tools', 'TOOLS'), 'mine');
  await cachedAndMarked(w);
  writeFileSync(local, 'sources:\n  tools:\n    env: { TOOLS: ours }\n');
  assert.is(envValue(await planOf(w), 'tools', 'TOOLS'), 'ours');
  await cachedAndMarked(w);
  rmSync(local);
  assert.is(envValue(await planOf(w), 'tools', 'TOOLS'), 'one');
});

cacheTest('editing a manifest imported from a source is seen', async (w) => {
  await cachedAndMarked(w);
  writeFileSync(join(w.ws, 'lib', 'weft.yaml'), 'weft: 1\nsources:\n  deep:\n    local: ../extra\n    env: { DEEP: two }\n');
  const plan = await planOf(w);
  assert.is(plan.name, 'lab');
  assert.is(envValue(plan, 'deep', 'DEEP'), 'two');
});

cacheTest('an environment variable the manifest reads, changed, is seen', async (w) => {
  await cachedAndMarked(w);
  const plan = await planOf(w, { ...w.env, WEFT_TEST_TAG: 'blue' });
  assert.is(plan.name, 'lab');
  assert.is(envValue(plan, 'lib', 'MODE'), 'blue');
});

cacheTest('a WEFT_VAR_ variable or a --var given is seen', async (w) => {
  await cachedAndMarked(w);
  assert.is(envValue(await planOf(w, { ...w.env, WEFT_VAR_tag: 'green' }), 'lib', 'MODE'), 'green');
  assert.is(envValue(await planOf(w, w.env, ['--var', 'tag=pink']), 'lib', 'MODE'), 'pink');
});

cacheTest('the user config file appearing, or another config directory, is seen', async (w) => {
  await cachedAndMarked(w);
  const config = join(w.env.XDG_CONFIG_HOME!, 'weft', 'config.yaml');
  mkdirSync(join(w.env.XDG_CONFIG_HOME!, 'weft'), { recursive: true });
  writeFileSync(config, 'mirrors:\n  "https://example.invalid/": "https://mirror.invalid/"\n');
  assert.is((await planOf(w)).name, 'lab');
  await cachedAndMarked(w);
  writeFileSync(config, 'mirrors: {}\n');
  assert.is((await planOf(w)).name, 'lab');
  await cachedAndMarked(w);
  assert.is((await planOf(w, { ...w.env, XDG_CONFIG_HOME: join(w.root, 'elsewhere') })).name, 'lab');
});

cacheTest('a broken user config file fails the run instead of being hidden by the cache', async (w) => {
  await cachedAndMarked(w);
  mkdirSync(join(w.env.XDG_CONFIG_HOME!, 'weft'), { recursive: true });
  writeFileSync(join(w.env.XDG_CONFIG_HOME!, 'weft', 'config.yaml'), 'mirrors: [\n');
  const r = await weft(['up', '--dry-run'], { cwd: w.ws, env: w.env });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /WEFT_E_CONFIG/);
});

cacheTest('a local directory removed fails the run as without the cache', async (w) => {
  await cachedAndMarked(w);
  rmSync(join(w.ws, 'extra'), { recursive: true });
  const r = await weft(['up'], { cwd: w.ws, env: w.env });
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /WEFT_E_MANIFEST_LOCAL_MISSING/);
});

cacheTest('a manifest nearer the working directory is the one used', async (w) => {
  await cachedAndMarked(w);
  const sub = join(w.ws, 'lib');
  assert.is((await weft(['up', '--dry-run', '--json'], { cwd: sub, env: w.env })).code, 0);
  const r = await weft(['up', '--dry-run', '--json'], { cwd: sub, env: w.env });
  assert.is(JSON.parse(r.stdout).manifest, join(sub, 'weft.yaml'));
});

cacheTest('a plan cached by another build of weft is not used', async (w) => {
  await cachedAndMarked(w);
  editCache(w, (d) => (d.build = `${d.build} other`));
  assert.is((await planOf(w)).name, 'lab');
});

cacheTest('--dry-run writes no cache', async (w) => {
  await planOf(w);
  assert.not.ok(statSync(cacheFile(w), { throwIfNoEntry: false }));
});

test('a token that reaches a source URL from the environment is not written to disk: no plan cache then; one written in weft.yaml itself is cached as before', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const ws = join(dir, 'ws');
    mkdirSync(ws);
    const TOKEN = 'env-only-Hq3-token';
    const env = isolatedEnv(dir, { WEFT_TEST_TOKEN: TOKEN });
    // Nothing answers on port 9: the source fails, and the run still records its plan.
    writeFileSync(join(ws, 'weft.yaml'), 'weft: 1\nsources:\n  lib:\n    git: http://ci:${env.WEFT_TEST_TOKEN}@127.0.0.1:9/lib.git\n');
    await weft(['up'], { cwd: ws, env });
    const files = (d: string): string[] => (statSync(d).isDirectory() ? readdirSync(d).flatMap((n) => files(join(d, n))) : [d]);
    const leaking = files(ws).filter((f) => readFileSync(f, 'utf8').includes(TOKEN));
    assert.equal(leaking, [], 'the token is in no file under the workspace');
    assert.not.ok(existsSync(join(ws, '.weft', 'plan-cache.json')));

    writeFileSync(join(ws, 'weft.yaml'), `weft: 1\nsources:\n  lib:\n    git: http://ci:${TOKEN}@127.0.0.1:9/lib.git\n`);
    await weft(['up'], { cwd: ws, env });
    assert.ok(existsSync(join(ws, '.weft', 'plan-cache.json')), 'written in weft.yaml, it is on disk already: the plan is cached');
  } finally {
    cleanup();
  }
});

test.run();
