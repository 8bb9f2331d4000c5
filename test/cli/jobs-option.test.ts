// -j/--jobs of weft up, update and foreach: a whole number from 1 to a documented maximum.
// Above it, weft up on a big manifest would start that many git processes at once (and
// foreach that many commands): a usage error naming the maximum, before anything runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaults } from '../../src/defaults.js';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { gitSandbox, makeUpstream } from '../helpers/git-repo.js';
import { statusWorkspace } from '../helpers/status-workspace.js';

const NAMES = ['alpha', 'beta'];

function assertJobsRefused(r: { code: number | null; stderr: string }, value: string, what: string): void {
  assert.is(r.code, 2, `${what}: ${r.stderr}`);
  assert.match(r.stderr, `error WEFT_E_USAGE: --jobs needs a whole number from 1 to 256, got "${value}"`, what);
  assert.not.match(r.stderr, /internal error|\n\s+at /, what);
}

test('the maximum is 256, and the default stays within it', () => {
  assert.is(defaults.maxJobs, 256);
  assert.ok(defaults.jobs >= 1 && defaults.jobs <= defaults.maxJobs);
});

test('weft up and update refuse -j above the maximum, or not a whole number from 1, before fetching anything', async () => {
  const sb = gitSandbox();
  try {
    const env = isolatedEnv(sb.root);
    writeFileSync(join(sb.workspace, 'weft.yaml'), `sources:\n${NAMES.map((n) => `  ${n}:\n    git: ${makeUpstream(sb, n).dir}\n`).join('')}`);
    for (const value of ['257', '100000', '0', '1.5', 'many', '1e2', '0x10', ' 8', '8.0']) {
      for (const args of [['up', '-j', value], ['up', `--jobs=${value}`], ['update', '-j', value]]) {
        assertJobsRefused(await weft(args, { cwd: sb.workspace, env }), value, `weft ${args.join(' ')}`);
      }
    }
    assert.equal(readdirSync(sb.workspace), ['weft.yaml'], 'no checkout, no .weft, no weft.lock');
    assert.equal(existsSync(sb.cache) ? readdirSync(sb.cache) : [], [], 'nothing fetched into the cache');
    // The maximum itself is taken.
    const r = await weft(['up', '-j', '256'], { cwd: sb.workspace, env });
    assert.is(r.code, 0, r.stderr);
    for (const n of NAMES) assert.ok(existsSync(join(sb.workspace, n, 'README')), `${n} checked out`);
  } finally {
    sb.cleanup();
  }
});

test('weft up --from and --dry-run refuse a -j above the maximum too, before placing or printing anything', async () => {
  const sb = gitSandbox();
  try {
    const env = isolatedEnv(sb.root);
    writeFileSync(join(sb.workspace, 'weft.yaml'), `sources:\n${NAMES.map((n) => `  ${n}:\n    git: ${makeUpstream(sb, n).dir}\n`).join('')}`);
    const sent = await weft(['up'], { cwd: sb.workspace, env });
    assert.is(sent.code, 0, sent.stderr);
    const bundle = join(sb.root, 'sprint.weft');
    const packed = await weft(['bundle', '-o', bundle], { cwd: sb.workspace, env });
    assert.is(packed.code, 0, packed.stderr);
    // A receiver with its own home and cache: the bundle would fill both.
    const receiver = join(sb.root, 'receiver');
    mkdirSync(receiver);
    const renv = isolatedEnv(join(sb.root, 'other'));
    assertJobsRefused(await weft(['up', '--from', bundle, '-j', '257'], { cwd: receiver, env: renv }), '257', 'weft up --from -j 257');
    assert.equal(readdirSync(receiver), [], 'nothing placed in the receiver');
    assert.equal(existsSync(renv['WEFT_CACHE_DIR']!) ? readdirSync(renv['WEFT_CACHE_DIR']!) : [], [], "nothing put in the receiver's cache");
    const dry = await weft(['up', '--dry-run', '-j', '257'], { cwd: sb.workspace, env });
    assertJobsRefused(dry, '257', 'weft up --dry-run -j 257');
    assert.is(dry.stdout, '', 'no plan printed');
  } finally {
    sb.cleanup();
  }
});

test('weft foreach refuses -j above the maximum before running the command anywhere; 256 runs it everywhere', async () => {
  const w = await statusWorkspace(NAMES);
  try {
    for (const value of ['257', '100000']) {
      assertJobsRefused(await w.run('foreach', '-j', value, '--', 'touch', 'ran'), value, `foreach -j ${value}`);
      for (const n of NAMES) assert.not.ok(existsSync(join(w.ws, n, 'ran')), `ran in ${n}`);
    }
    const r = await w.run('foreach', '-j', '256', '--', 'touch', 'ran');
    assert.is(r.code, 0, r.stderr);
    for (const n of NAMES) assert.ok(existsSync(join(w.ws, n, 'ran')), `not run in ${n}`);
  } finally {
    w.cleanup();
  }
});

test('the help of up, update and foreach gives the maximum', async () => {
  const sb = gitSandbox();
  try {
    const env = isolatedEnv(sb.root);
    for (const cmd of ['up', 'update', 'foreach']) {
      const r = await weft(['help', cmd], { cwd: sb.root, env });
      assert.is(r.code, 0, r.stderr);
      assert.match(r.stdout, /-j, --jobs N .*at most 256/, cmd);
    }
  } finally {
    sb.cleanup();
  }
});

test.run();
