import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { up } from '../../src/fetch/index.js';
import { git, gitSandbox, gitSource, makePlan, makeUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
test.before.each(() => {
  sb = gitSandbox();
});
test.after.each(() => sb.cleanup());

function withSubmodule() {
  const sub = makeUpstream(sb, 'sub');
  const top = makeUpstream(sb, 'top');
  git(sb, top.dir, '-c', 'protocol.file.allow=always', 'submodule', 'add', '--quiet', sub.dir, 'vendor/sub');
  git(sb, top.dir, 'commit', '--quiet', '-m', 'add sub');
  return top;
}

test('submodules are fetched only when the source asks for them', async () => {
  const top = withSubmodule();
  const plan = makePlan(sb.workspace, [
    gitSource(sb, 'plain', { url: top.dir }),
    gitSource(sb, 'full', { url: top.dir, submodules: true }),
  ]);
  const [plain, full] = await up(plan, { env: sb.env, cacheDir: sb.cache });
  assert.is(plain!.status, 'cloned', plain!.message);
  assert.is(full!.status, 'cloned', full!.message);
  assert.not.ok(existsSync(join(sb.workspace, 'plain', 'vendor', 'sub', 'README')));
  assert.is(readFileSync(join(sb.workspace, 'full', 'vendor', 'sub', 'README'), 'utf8'), 'sub 1\n');
  assert.is(git(sb, join(sb.workspace, 'full'), 'status', '--porcelain'), '');
});

test.run();
