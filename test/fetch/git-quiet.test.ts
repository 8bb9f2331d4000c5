// The quiet runner (quiet.ts) starts a run's output-less local commands from one shell:
// each call must get its own command's exit status, in its own directory, and anything it
// cannot carry must answer null so the caller falls back to an ordinary spawn.
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { quietRunner } from '../../src/fetch/git/quiet.js';

let root: string;
test.before.each(() => {
  root = mkdtempSync(join(tmpdir(), 'weft-quiet-'));
});
test.after.each(() => rmSync(root, { recursive: true, force: true }));

const env = { PATH: process.env.PATH };

test('parallel commands each report their own status, run in their own directory', async () => {
  // Exits with the number in its directory's name, after writing where it ran.
  const r = quietRunner(['sh', '-c', 'pwd > where; n=$(basename "$PWD"); exit "${n#d}"'], { env, timeoutMs: 10_000 });
  const dirs = [0, 3, 1, 7, 2].map((n) => join(root, `d${n}`));
  for (const d of dirs) mkdirSync(d);
  const codes = await Promise.all(dirs.map((d) => r.run(d)));
  r.close();
  assert.equal(codes, [0, 3, 1, 7, 2]);
  for (const d of dirs) assert.is(readFileSync(join(d, 'where'), 'utf8').trim(), d);
});

test('a missing directory is a failure, not a run elsewhere', async () => {
  const r = quietRunner(['sh', '-c', 'touch ran'], { env, timeoutMs: 10_000 });
  const code = await r.run(join(root, 'absent'));
  r.close();
  assert.ok(code !== null && code !== 0);
});

test('a relative or multi-line directory, a timeout and a closed runner all answer null', async () => {
  const r = quietRunner(['sleep', '5'], { env, timeoutMs: 200 });
  assert.is(await r.run('relative'), null);
  assert.is(await r.run(join(root, 'a\nb')), null);
  const started = Date.now();
  assert.is(await r.run(root), null, 'over time');
  assert.ok(Date.now() - started < 4000, 'the command was killed, not waited for');
  assert.is(await r.run(root), null, 'the runner is gone after a timeout');
});

test('an abort ends every running command', async () => {
  const ac = new AbortController();
  const r = quietRunner(['sleep', '5'], { env, timeoutMs: 10_000, signal: ac.signal });
  const pending = Promise.all([r.run(root), r.run(root)]);
  setTimeout(() => ac.abort(), 100);
  assert.equal(await pending, [null, null]);
});

test.run();
