import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { up, updateState } from '../../src/fetch/index.js';
import { gitSandbox, localSource, makePlan } from '../helpers/git-repo.js';

test('sources that took longest last time start first; ties keep manifest order; results stay in manifest order', async () => {
  const sb = gitSandbox();
  try {
    const names = ['a', 'b', 'c', 'd'];
    const sources = names.map((n) => {
      mkdirSync(join(sb.root, n));
      return localSource(sb, n, join(sb.root, n));
    });
    const plan = makePlan(sb.workspace, sources);
    await up(plan, { env: sb.env, cacheDir: sb.cache, jobs: 1 });
    // a and d tie on purpose: their measured times (a millisecond or none) would order them by chance.
    updateState(sb.workspace, { a: { durationMs: 10 }, b: { durationMs: 500 }, c: { durationMs: 9000 }, d: { durationMs: 10 } });
    const started: string[] = [];
    const out = await up(plan, {
      env: sb.env,
      cacheDir: sb.cache,
      jobs: 1,
      onEvent: (e) => void (e.phase === 'done' && started.push(e.name)),
    });
    assert.equal(started, ['c', 'b', 'a', 'd']);
    assert.equal(out.map((c) => c.name), names);
  } finally {
    sb.cleanup();
  }
});

test.run();
