import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { defaults } from '../../src/defaults.js';
import { up } from '../../src/fetch/index.js';
import { createGit } from '../../src/fetch/git/run.js';
import { git, gitSandbox, gitSource, makePlan, richUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
let canary: string;
test.before.each(() => {
  sb = gitSandbox();
  canary = join(sb.root, 'canary');
});
test.after.each(() => sb.cleanup());

const opts = (more: object = {}) => ({ env: sb.env, cacheDir: sb.cache, ...more });

function nothingHappened(): void {
  assert.not.ok(existsSync(canary), 'the canary was not created');
  assert.equal(readdirSync(sb.workspace).filter((f) => f !== '.weft'), [], 'nothing in the workspace');
  const tmp = join(sb.cache, 'tmp');
  assert.equal(existsSync(tmp) ? readdirSync(tmp) : [], [], 'cache tmp is empty');
  assert.not.ok(existsSync(join(sb.cache, 'git')) && readdirSync(join(sb.cache, 'git')).length > 0, 'no cache entry');
}

for (const url of [`--upload-pack=touch ${'CANARY'}`, `ext::sh -c touch% CANARY`, 'fd::17', 'evil+cmd::whatever']) {
  test(`the URL "${url.replace('CANARY', '<canary>')}" is refused before git runs`, async () => {
    const real = url.replace('CANARY', canary);
    const [c] = await up(makePlan(sb.workspace, [gitSource(sb, 'x', { url: real })]), opts());
    assert.is(c!.status, 'failed');
    assert.is(c!.code, 'WEFT_E_GIT_UNSAFE_URL');
    nothingHappened();
  });
}

test('command transports stay off even for a git call that skips the URL check', async () => {
  const run = createGit({ cacheDir: sb.cache, env: sb.env, offline: false, defaults });
  const res = await run(['ls-remote', '--', `ext::sh -c touch% ${canary}`], { network: true });
  assert.is.not(res.code, 0);
  assert.not.ok(existsSync(canary));
});

test('a mirror git no longer takes for a repository is never mistaken for a repository that holds the cache', async () => {
  // The cache inside a repository of the user's (a home directory kept in git).
  const home = join(sb.root, 'home-repo');
  const cache = join(home, 'cache');
  const broken = join(cache, 'git', 'broken.git');
  mkdirSync(join(broken, 'refs'), { recursive: true });
  git(sb, sb.root, 'init', '-q', home);
  const run = createGit({ cacheDir: cache, env: sb.env, offline: false, defaults });
  const res = await run(['rev-parse', '--absolute-git-dir'], { cwd: broken });
  assert.is.not(res.code, 0, res.stdout);
  assert.match(res.stderr, 'not a git repository');
  // The same call outside weft's runner finds the enclosing repository: the test can fail.
  assert.is(git(sb, broken, 'rev-parse', '--absolute-git-dir'), join(home, '.git'));
});

test('a ref that looks like an option is refused and writes nothing', async () => {
  const up1 = richUpstream(sb, 'lib');
  const out = join(sb.root, 'x');
  const [c] = await up(makePlan(sb.workspace, [gitSource(sb, 'lib', { url: up1.dir, ref: `--output=${out}` })]), opts());
  assert.is(c!.status, 'failed');
  assert.is(c!.code, 'WEFT_E_GIT_UNSAFE_REF');
  assert.not.ok(existsSync(out));
  nothingHappened();
});

test('a malformed locked commit is refused', async () => {
  const up1 = richUpstream(sb, 'lib');
  const [c] = await up(makePlan(sb.workspace, [gitSource(sb, 'lib', { url: up1.dir, commit: '--exec=x' })]), opts());
  assert.is(c!.code, 'WEFT_E_GIT_UNSAFE_REF');
});

test("hooks from the user's config never run during weft's git calls", async () => {
  const up1 = richUpstream(sb, 'lib');
  const hooks = join(sb.root, 'hooks');
  mkdirSync(hooks);
  for (const hook of ['post-checkout', 'reference-transaction', 'post-merge', 'pre-auto-gc']) {
    writeFileSync(join(hooks, hook), `#!/bin/sh\necho ${hook} >> '${canary}'\n`);
    chmodSync(join(hooks, hook), 0o755);
  }
  writeFileSync(join(sb.home, '.gitconfig'), `[core]\n\thooksPath = ${hooks}\n`);
  // The hooks are live for plain git (so this test can fail)...
  git(sb, up1.dir, 'checkout', '--quiet', 'dev');
  git(sb, up1.dir, 'checkout', '--quiet', 'main');
  assert.ok(existsSync(canary), 'hooks run for plain git');
  rmSync(canary);
  // ...but not for weft: clone, move and fast-forward.
  await up(makePlan(sb.workspace, [gitSource(sb, 'lib', { url: up1.dir, ref: 'v1' })]), opts());
  await up(makePlan(sb.workspace, [gitSource(sb, 'lib', { url: up1.dir, ref: 'main' })]), opts());
  up1.commit('more', { 'more.txt': 'more\n' });
  rmSync(canary, { force: true });
  const [c] = await up(makePlan(sb.workspace, [gitSource(sb, 'lib', { url: up1.dir, ref: 'main' })]), opts());
  assert.is(c!.status, 'updated', c!.message);
  assert.not.ok(existsSync(canary), 'no hook ran');
});

test('inherited GIT_DIR, GIT_WORK_TREE, GIT_INDEX_FILE and GIT_CONFIG_* are ignored', async () => {
  const up1 = richUpstream(sb, 'lib');
  const victim = richUpstream(sb, 'victim');
  const before = git(sb, victim.dir, 'for-each-ref');
  const hooks = join(sb.root, 'hooks');
  mkdirSync(hooks);
  writeFileSync(join(hooks, 'post-checkout'), `#!/bin/sh\ntouch '${canary}'\n`);
  chmodSync(join(hooks, 'post-checkout'), 0o755);
  const env = {
    ...sb.env,
    GIT_DIR: join(victim.dir, '.git'),
    GIT_WORK_TREE: victim.dir,
    GIT_INDEX_FILE: join(victim.dir, '.git', 'index'),
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'core.hooksPath',
    GIT_CONFIG_VALUE_0: hooks,
    GIT_CONFIG_PARAMETERS: `'core.hookspath'='${hooks}'`,
  };
  const [c] = await up(makePlan(sb.workspace, [gitSource(sb, 'lib', { url: up1.dir, ref: 'dev' })]), opts({ env }));
  assert.is(c!.status, 'cloned', c!.message);
  assert.is(c!.revision, up1.d1);
  assert.is(git(sb, victim.dir, 'for-each-ref'), before);
  assert.is(git(sb, victim.dir, 'status', '--porcelain'), '');
  assert.not.ok(existsSync(canary));
});

test('git never waits for a password: an auth failure is reported as needing credentials', async () => {
  // A local HTTP server that always answers 401 stands in for a private repository.
  const { createServer } = await import('node:http');
  const server = createServer((_req, res) => {
    res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="x"' });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const url = `http://127.0.0.1:${port}/private.git`;
    const [c] = await up(makePlan(sb.workspace, [gitSource(sb, 'priv', { url })]), opts());
    assert.is(c!.status, 'failed');
    assert.is(c!.code, 'WEFT_E_GIT_AUTH');
    assert.is(c!.needsAuth, true);
    assert.match(c!.message!, 'credentials');
    nothingHappened();
  } finally {
    server.close();
  }
});

test('credentials from the URL are given to git by a helper and stay out of config', async () => {
  const { createServer } = await import('node:http');
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(req.headers.authorization ?? '');
    res.writeHead(req.headers.authorization ? 403 : 401, { 'WWW-Authenticate': 'Basic realm="x"' });
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const [c] = await up(makePlan(sb.workspace, [gitSource(sb, 'priv', { url: `http://me:t0ken@127.0.0.1:${port}/p.git` })]), opts());
    assert.is(c!.status, 'failed');
    assert.ok(seen.includes(`Basic ${Buffer.from('me:t0ken').toString('base64')}`), 'git sent the credentials');
    assert.not.match(JSON.stringify(c), 't0ken');
  } finally {
    server.close();
  }
});

test.run();
