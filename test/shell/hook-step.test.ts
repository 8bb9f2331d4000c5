// `weft hook --apply` / `--revert`: the JSON steps the nu and PowerShell hooks load. Applying a step's
// `set` and `unset` to the environment weft ran in must give what the bash hook gives:
// weft's entries in, then out again with the user's own edits kept.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

interface Step {
  trusted?: boolean;
  problem?: string;
  set: Record<string, string>;
  unset: string[];
}

async function workspace(trusted: boolean) {
  const t = tempDir('weft-hook-step-');
  const ws = join(t.dir, 'ws');
  mkdirSync(join(ws, 'lib', 'bin'), { recursive: true });
  writeFileSync(join(ws, 'weft.yaml'), 'sources:\n  lib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  WEFT_DEMO: hello\n');
  const env = isolatedEnv(t.dir, { PATH: '/usr/bin:/bin' });
  assert.is((await weft(['up', '-q'], { cwd: ws, env })).code, 0);
  if (trusted) assert.is((await weft(['trust', '-q'], { cwd: ws, env })).code, 0);
  const step = async (args: string[], stepEnv: NodeJS.ProcessEnv): Promise<Step> => {
    const r = await weft(['hook', ...args], { cwd: t.dir, env: stepEnv });
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stderr, '');
    return JSON.parse(r.stdout) as Step;
  };
  return { ...t, ws, env, step, libBin: join(ws, 'lib', 'bin') };
}

function load(env: NodeJS.ProcessEnv, step: Step): NodeJS.ProcessEnv {
  const out = { ...env, ...step.set };
  for (const name of step.unset) delete out[name];
  return out;
}

test('weft hook --apply in a trusted workspace sets its entries and scalars with the bookkeeping, and --revert takes out only those', async () => {
  const w = await workspace(true);
  try {
    const before = { ...w.env, WEFT_DEMO: 'orig' };
    const applied = await w.step(['-C', w.ws, '--apply'], before);
    assert.is(applied.trusted, true);
    assert.is(applied.set['PATH'], `${w.libBin}:/usr/bin:/bin`);
    assert.is(applied.set['WEFT_DEMO'], 'hello');
    assert.is(applied.set['WEFT_PREV_WEFT_DEMO'], 'orig');
    assert.is(applied.set['WEFT_WORKSPACE'], w.ws);
    assert.ok(applied.set['WEFT_ENV_ADDED']);
    assert.equal(applied.unset, []);
    const inside = load(before, applied);
    inside['PATH'] = `/mine:${inside['PATH']}`;
    const reverted = await w.step(['--revert'], inside);
    assert.is(reverted.trusted, undefined);
    const after = load(inside, reverted);
    assert.equal(after, { ...before, PATH: '/mine:/usr/bin:/bin' });
  } finally {
    w.cleanup();
  }
});

test('weft hook --revert --apply re-applies in one step: a second apply over the first adds nothing twice', async () => {
  const w = await workspace(true);
  try {
    const first = load(w.env, await w.step(['-C', w.ws, '--apply'], w.env));
    const again = await w.step(['-C', w.ws, '--revert', '--apply'], first);
    assert.equal(again, { trusted: true, set: {}, unset: [] });
  } finally {
    w.cleanup();
  }
});

test('weft hook --apply in an untrusted workspace changes nothing and says it is not trusted', async () => {
  const w = await workspace(false);
  try {
    assert.equal(await w.step(['-C', w.ws, '--apply'], w.env), { trusted: false, set: {}, unset: [] });
  } finally {
    w.cleanup();
  }
});

test('weft hook --apply in a workspace whose manifest has an error changes nothing and says why, as the bash hook does (not "not trusted")', async () => {
  const w = await workspace(true);
  try {
    writeFileSync(join(w.ws, 'weft.yaml'), readFileSync(join(w.ws, 'weft.yaml'), 'utf8') + 'oops: [\n');
    const step = await w.step(['-C', w.ws, '--apply'], w.env);
    assert.equal({ ...step, problem: undefined }, { trusted: false, problem: undefined, set: {}, unset: [] });
    assert.match(step.problem ?? '', /^ws\/weft\.yaml:\d+:\d+: error WEFT_E_MANIFEST_SYNTAX: [^\n]+$/);
    assert.not.match(step.problem ?? '', /^weft: |hint:/);
  } finally {
    w.cleanup();
  }
});

test('weft hook --apply after weft.yaml was edited and trusted again sets the edited values, not the ones weft up rendered into env.json', async () => {
  const w = await workspace(true);
  try {
    writeFileSync(join(w.ws, 'weft.yaml'), 'sources:\n  lib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  WEFT_DEMO: edited\n');
    assert.is((await weft(['trust', '-q'], { cwd: w.ws, env: w.env })).code, 0);
    const applied = await w.step(['-C', w.ws, '--apply'], w.env);
    assert.is(applied.trusted, true);
    assert.is(applied.set['WEFT_DEMO'], 'edited');
    assert.is(applied.set['PATH'], `${w.libBin}:/usr/bin:/bin`);
  } finally {
    w.cleanup();
  }
});

test('weft hook --apply after a file weft.yaml includes was edited and trusted again sets the edited values', async () => {
  const w = await workspace(true);
  try {
    writeFileSync(join(w.ws, 'weft.yaml'), 'include: [base.yaml]\nsources:\n  lib:\n    local: lib\n    env: { PATH: bin }\n');
    writeFileSync(join(w.ws, 'base.yaml'), 'env:\n  WEFT_DEMO: hello\n');
    assert.is((await weft(['up', '-q'], { cwd: w.ws, env: w.env })).code, 0);
    writeFileSync(join(w.ws, 'base.yaml'), 'env:\n  WEFT_DEMO: edited\n');
    assert.is((await weft(['trust', '-q'], { cwd: w.ws, env: w.env })).code, 0);
    assert.is((await w.step(['-C', w.ws, '--apply'], w.env)).set['WEFT_DEMO'], 'edited');
  } finally {
    w.cleanup();
  }
});

test('weft hook --apply after weft.local.yaml was deleted and the workspace trusted again sets weft.yaml\'s values, not the override env.json holds', async () => {
  const w = await workspace(true);
  try {
    writeFileSync(join(w.ws, 'weft.local.yaml'), 'env:\n  WEFT_DEMO: mine\n');
    assert.is((await weft(['up', '-q'], { cwd: w.ws, env: w.env })).code, 0);
    assert.is((await weft(['trust', '-q'], { cwd: w.ws, env: w.env })).code, 0);
    assert.is((await w.step(['-C', w.ws, '--apply'], w.env)).set['WEFT_DEMO'], 'mine');
    rmSync(join(w.ws, 'weft.local.yaml'));
    assert.is((await weft(['trust', '-q'], { cwd: w.ws, env: w.env })).code, 0);
    assert.is((await w.step(['-C', w.ws, '--apply'], w.env)).set['WEFT_DEMO'], 'hello');
  } finally {
    w.cleanup();
  }
});

test('weft hook --apply with nothing edited since weft up applies what weft up rendered into env.json', async () => {
  const w = await workspace(true);
  try {
    // A value only env.json holds shows which model was applied.
    const file = join(w.ws, '.weft', 'env', 'env.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"hello"', '"from-env-json"'));
    assert.is((await w.step(['-C', w.ws, '--apply'], w.env)).set['WEFT_DEMO'], 'from-env-json');
  } finally {
    w.cleanup();
  }
});

test('weft hook --revert with nothing applied prints an empty step', async () => {
  const w = await workspace(true);
  try {
    assert.equal(await w.step(['--revert'], w.env), { set: {}, unset: [] });
  } finally {
    w.cleanup();
  }
});

test('weft hook with a shell name and --apply is a usage error', async () => {
  const w = await workspace(true);
  try {
    const r = await weft(['hook', 'nu', '--apply'], { cwd: w.ws, env: w.env });
    assert.is(r.code, 2);
    assert.match(r.stderr, 'WEFT_E_USAGE');
    assert.is(r.stdout, '');
  } finally {
    w.cleanup();
  }
});

test.run();
