import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mirrorPath, readCheckouts, up, type FetchEvent } from '../../src/fetch/index.js';
import { git, gitSandbox, gitSource, makePlan, richUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
let upstream: ReturnType<typeof richUpstream>;
test.before.each(() => {
  sb = gitSandbox();
  upstream = richUpstream(sb, 'lib');
});
test.after.each(() => sb.cleanup());

const opts = () => ({ env: sb.env, cacheDir: sb.cache });

test('a branch ref checks out a local branch tracking origin/<branch>', async () => {
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ref: 'dev' })]);
  const [c] = await up(plan, opts());
  assert.is(c!.status, 'cloned', c!.message);
  assert.is(c!.branch, 'dev');
  assert.is(c!.revision, upstream.d1);
  const dir = join(sb.workspace, 'lib');
  assert.is(readFileSync(join(dir, 'dev.txt'), 'utf8'), 'dev\n');
  assert.is(git(sb, dir, 'rev-parse', '--abbrev-ref', 'dev@{upstream}'), 'origin/dev');
  assert.is(git(sb, dir, 'status', '--porcelain'), '');
});

test('a tag checks out detached at the tag, annotated or not', async () => {
  const plan = makePlan(sb.workspace, [
    gitSource(sb, 'a', { url: upstream.dir, ref: 'v1' }),
    gitSource(sb, 'b', { url: upstream.dir, ref: 'v2' }),
  ]);
  const [a, b] = await up(plan, opts());
  assert.is(a!.status, 'cloned', a!.message);
  assert.is(a!.revision, upstream.c1);
  assert.is(a!.branch, undefined);
  assert.is(b!.revision, upstream.c2);
  assert.is(readFileSync(join(sb.workspace, 'b', 'README'), 'utf8'), 'lib 2\n');
  assert.is(git(sb, join(sb.workspace, 'b'), 'rev-parse', '--abbrev-ref', 'HEAD'), 'HEAD');
});

test('a full commit checks out detached at that commit', async () => {
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ref: upstream.c2 })]);
  const [c] = await up(plan, opts());
  assert.is(c!.status, 'cloned', c!.message);
  assert.is(c!.revision, upstream.c2);
  assert.is(c!.branch, undefined);
});

test('no ref checks out the remote default branch', async () => {
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir })]);
  const [c] = await up(plan, opts());
  assert.is(c!.status, 'cloned', c!.message);
  assert.is(c!.branch, 'main');
  assert.is(c!.revision, upstream.c3);
});

test('origin is the real URL and origin/* mirror the upstream branches', async () => {
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ref: 'main' })]);
  await up(plan, opts());
  const dir = join(sb.workspace, 'lib');
  assert.is(git(sb, dir, 'remote', 'get-url', 'origin'), upstream.dir);
  const remotes = git(sb, dir, 'for-each-ref', '--format=%(refname)', 'refs/remotes/origin/').split('\n').sort();
  assert.equal(remotes, ['refs/remotes/origin/HEAD', 'refs/remotes/origin/dev', 'refs/remotes/origin/main']);
  assert.is(git(sb, dir, 'rev-parse', 'origin/dev'), upstream.d1);
});

test('credentials in the URL never reach .git/config or state.json', async () => {
  // A file URL cannot carry credentials, so an http URL whose server is absent proves what is stored.
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url: 'http://user:s3cret@127.0.0.1:9/lib.git' })]);
  const [c] = await up(plan, { ...opts(), defaults: { retries: 0 } });
  assert.is(c!.status, 'failed');
  assert.not.match(c!.message ?? '', 's3cret');
  assert.not.match(c!.cause ?? '', 's3cret');
  const files = readdirSync(sb.cache, { recursive: true }).map(String);
  for (const f of files.filter((f) => f.endsWith('config'))) assert.not.match(readFileSync(join(sb.cache, f), 'utf8'), 's3cret');
});

test('the checkout keeps working when the cache is deleted', async () => {
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ref: 'main' })]);
  await up(plan, opts());
  rmSync(sb.cache, { recursive: true, force: true });
  const dir = join(sb.workspace, 'lib');
  assert.is(git(sb, dir, 'fsck', '--no-progress', '--connectivity-only').length >= 0, true);
  assert.is(git(sb, dir, 'log', '--format=%H', '-n', '3').split('\n').length, 3);
  assert.is(git(sb, dir, 'show', `${upstream.c1}:README`), 'lib 1');
});

test('the checkout shares objects with the mirror instead of copying them again', async () => {
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ref: 'main' })]);
  await up(plan, opts());
  const mirror = mirrorPath(sb.cache, upstream.dir);
  assert.ok(existsSync(join(mirror, 'HEAD')));
  assert.not.ok(existsSync(join(sb.workspace, 'lib', '.git', 'objects', 'info', 'alternates')));
  const objects = join(sb.workspace, 'lib', '.git', 'objects');
  const files = readdirSync(objects, { recursive: true }).map(String).filter((f) => /^[0-9a-f]{2}\/|^pack\/.*\.pack$/.test(f));
  const { statSync } = await import('node:fs');
  const linked = files.filter((f) => statSync(join(objects, f)).isFile()).some((f) => statSync(join(objects, f)).nlink > 1);
  assert.ok(linked, 'pack files are hardlinked into the checkout');
});

test('state.json records each source and readCheckouts reads it back without git', async () => {
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ref: 'v2' })]);
  await up(plan, opts());
  const state = JSON.parse(readFileSync(join(sb.workspace, '.weft', 'state.json'), 'utf8'));
  const entry = state.sources.lib;
  assert.is(state.version, 1);
  assert.is(entry.type, 'git');
  assert.is(entry.dir, join(sb.workspace, 'lib'));
  assert.is(entry.revision, upstream.c2);
  assert.is(entry.url, upstream.dir);
  assert.is(entry.ref, 'v2');
  assert.type(entry.fingerprint, 'string');
  assert.type(entry.durationMs, 'number');
  // With git unavailable on PATH, readCheckouts still answers from state.json.
  const saved = process.env.PATH;
  process.env.PATH = '/nonexistent';
  try {
    const [c] = await readCheckouts(plan);
    assert.is(c!.revision, upstream.c2);
    assert.is(c!.status, 'unchanged');
  } finally {
    process.env.PATH = saved;
  }
});

test('readCheckouts falls back to the plan dir for sources never fetched', async () => {
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir })]);
  const [c] = await readCheckouts(plan);
  assert.equal(c, { name: 'lib', type: 'git', dir: join(sb.workspace, 'lib'), status: 'unchanged' });
});

test('events report queued, checkout and done for each source', async () => {
  const events: FetchEvent[] = [];
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir })]);
  await up(plan, { ...opts(), onEvent: (e) => events.push(e) });
  const phases = events.filter((e) => e.name === 'lib').map((e) => e.phase);
  assert.equal(phases, ['queued', 'fetching', 'checkout', 'done']);
});

test('an unknown ref fails with a clear message and leaves nothing behind', async () => {
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ref: 'nope' })]);
  const [c] = await up(plan, opts());
  assert.is(c!.status, 'failed');
  assert.is(c!.code, 'WEFT_E_GIT_NO_REF');
  assert.match(c!.message!, 'nope');
  assert.not.ok(existsSync(join(sb.workspace, 'lib')));
  assert.equal(readdirSync(sb.workspace).filter((f) => f.includes('weft-tmp')), []);
});

test('a shallow depth is honoured and a commit outside it is still reached', async () => {
  const url = `file://${upstream.dir}`;
  const plan = makePlan(sb.workspace, [gitSource(sb, 'lib', { url, ref: 'main', depth: 1 })]);
  const [c] = await up(plan, opts());
  assert.is(c!.status, 'cloned', c!.message);
  assert.ok(existsSync(join(mirrorPath(sb.cache, url), 'shallow')));
  const plan2 = makePlan(sb.workspace, [gitSource(sb, 'lib', { url, ref: upstream.c1, depth: 1 })]);
  const [d] = await up(plan2, opts());
  assert.is(d!.status, 'updated', d!.message);
  assert.is(d!.revision, upstream.c1);
});

test.run();
