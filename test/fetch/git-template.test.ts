// New checkouts get a lean .git (template.ts): no sample hooks or initial reflogs, but the
// directories tools expect and the config a clone has. A user's own template (hooks
// installed through init.templateDir) still lands in every checkout, cold or warm; the
// `weft up` command asks git for it before loading the plan, from no repository at all.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { up } from '../../src/fetch/index.js';
import { weft } from '../helpers/cli.js';
import { git, gitSandbox, gitSource, makePlan, richUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
let upstream: ReturnType<typeof richUpstream>;
test.before.each(() => {
  sb = gitSandbox();
  upstream = richUpstream(sb, 'lib');
});
test.after.each(() => sb.cleanup());

test('a cold clone has empty hooks/ and info/, no sample hooks, and logs later ref updates', async () => {
  const [c] = await up(makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir, ref: 'main' })]), { env: sb.env, cacheDir: sb.cache });
  assert.is(c!.status, 'cloned', c!.message);
  const gitDir = join(sb.workspace, 'lib', '.git');
  assert.equal(readdirSync(join(gitDir, 'hooks')), []);
  assert.ok(existsSync(join(gitDir, 'info')));
  assert.not.ok(existsSync(join(gitDir, 'description')));
  assert.is(git(sb, join(sb.workspace, 'lib'), 'config', '--get', 'core.logallrefupdates'), 'true');
  git(sb, join(sb.workspace, 'lib'), 'checkout', '-q', '-b', 'topic');
  assert.ok(existsSync(join(gitDir, 'logs', 'refs', 'heads', 'topic')), 'a branch made later has its reflog');
});

test("the user's init.templateDir reaches cold and warm checkouts alike", async () => {
  const tpl = join(sb.root, 'tpl');
  mkdirSync(join(tpl, 'hooks'), { recursive: true });
  writeFileSync(join(tpl, 'hooks', 'pre-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  git(sb, sb.root, 'config', '--global', 'init.templateDir', tpl);
  const plan = (name: string) => makePlan(sb.workspace, [gitSource(sb, name, { url: upstream.dir, ref: 'main' })]);
  const [cold] = await up(plan('cold'), { env: sb.env, cacheDir: sb.cache });
  const [warm] = await up(plan('warm'), { env: sb.env, cacheDir: sb.cache });
  assert.is(cold!.status, 'cloned', cold!.message);
  assert.is(warm!.status, 'cloned', warm!.message);
  for (const name of ['cold', 'warm']) {
    assert.ok(existsSync(join(sb.workspace, name, '.git', 'hooks', 'pre-commit')), `${name} has the user's hook`);
    assert.is(git(sb, join(sb.workspace, name), 'status', '--porcelain'), '');
    assert.is(git(sb, join(sb.workspace, name), 'remote', 'get-url', 'origin'), upstream.dir);
  }
});

test('GIT_TEMPLATE_DIR in the environment is honoured too', async () => {
  const tpl = join(sb.root, 'tpl');
  mkdirSync(join(tpl, 'info'), { recursive: true });
  writeFileSync(join(tpl, 'info', 'exclude'), '*.log\n');
  const [c] = await up(makePlan(sb.workspace, [gitSource(sb, 'lib', { url: upstream.dir })]), {
    env: { ...sb.env, GIT_TEMPLATE_DIR: tpl },
    cacheDir: sb.cache,
  });
  assert.is(c!.status, 'cloned', c!.message);
  assert.ok(existsSync(join(sb.workspace, 'lib', '.git', 'info', 'exclude')));
});

/** A one-source weft.yaml for `weft up` (the command, which asks for the config early). */
function writeManifest(dir: string, url: string): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'weft.yaml'), `weft: 1\nname: t\nsources:\n  lib:\n    git: ${JSON.stringify(url)}\n    ref: main\n`);
}

/** A template whose only file is hooks/pre-commit. */
function hookTemplate(dir: string): string {
  mkdirSync(join(dir, 'hooks'), { recursive: true });
  writeFileSync(join(dir, 'hooks', 'pre-commit'), '#!/bin/sh\nexit 0\n', { mode: 0o755 });
  return dir;
}

test("weft up, the command: the user's template reaches its cold and warm checkouts", async () => {
  git(sb, sb.root, 'config', '--global', 'init.templateDir', hookTemplate(join(sb.root, 'tpl')));
  for (const ws of ['one', 'two']) {
    const dir = join(sb.root, ws);
    writeManifest(dir, upstream.dir);
    const r = await weft(['-C', dir, 'up', '-q'], { cwd: sb.root, env: sb.env });
    assert.is(r.code, 0, r.stderr);
    assert.ok(existsSync(join(dir, 'lib', '.git', 'hooks', 'pre-commit')), `${ws}: the user's hook`);
  }
});

test('weft up run inside a repository: that repository\'s own config is not taken for the user\'s', async () => {
  // The directory weft runs in is a repository whose config names a template and a
  // checkout filter: neither is the user's, so the checkouts stay lean and batched.
  const outer = join(sb.root, 'outer');
  mkdirSync(outer);
  git(sb, outer, 'init', '-q');
  git(sb, outer, 'config', 'init.templateDir', hookTemplate(join(sb.root, 'tpl')));
  git(sb, outer, 'config', 'filter.weft-test.clean', 'cat');
  for (const run of ['cold', 'warm']) {
    const target = join(outer, run);
    writeManifest(target, upstream.dir);
    const r = await weft(['up', '-q'], { cwd: target, env: sb.env });
    assert.is(r.code, 0, r.stderr);
    assert.ok(existsSync(join(target, 'lib', '.git', 'hooks')), `${run}: a checkout`);
    assert.equal(readdirSync(join(target, 'lib', '.git', 'hooks')), [], `${run}: no hook from the repository weft ran in`);
  }
});

test.run();
