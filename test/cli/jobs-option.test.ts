// -j/--jobs of weft up, update and foreach: a whole number from 1 to a documented maximum.
// Above it, weft up on a big manifest would start that many git processes at once (and
// foreach that many commands): a usage error naming the maximum, before anything runs.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
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
    for (const value of ['257', '100000', '0', '1.5', 'many']) {
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
