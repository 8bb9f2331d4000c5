// The checkout's .git written by weft itself from the mirror (materialize.ts) must be one
// git reads exactly like a clone: same refs, config, upstream, a clean status, and whole
// without the cache.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { prepareGitDir, writeGitDirFiles } from '../../src/fetch/git/materialize.js';
import type { Want } from '../../src/fetch/git/want.js';
import { listRefs } from '../../src/fetch/git/refs-fs.js';
import { git, gitSandbox, richUpstream, type GitSandbox } from '../helpers/git-repo.js';

let sb: GitSandbox;
let upstream: ReturnType<typeof richUpstream>;
let mirror: string;
test.before.each(() => {
  sb = gitSandbox();
  upstream = richUpstream(sb, 'lib');
  mirror = join(sb.root, 'mirror.git');
  git(sb, sb.root, 'clone', '--bare', '--quiet', upstream.dir, mirror);
});
test.after.each(() => sb.cleanup());

/** The whole .git, as node writes it for a lone checkout; false when the mirror needs git's clone. */
async function materialize(tmp: string, mirror: string, originUrl: string, want: Want): Promise<boolean> {
  const rest = prepareGitDir(tmp, mirror, originUrl, want);
  if (rest) writeGitDirFiles(rest);
  return rest !== undefined;
}

const fill = (dir: string) => git(sb, dir, 'read-tree', '--reset', '-u', 'HEAD');

test('a branch checkout reads like a clone: origin/*, tags, upstream, clean status', async () => {
  const dir = join(sb.root, 'co');
  assert.ok(await materialize(dir, mirror, 'https://example.org/lib.git', { branch: 'dev', commit: upstream.d1 }));
  fill(dir);
  assert.is(git(sb, dir, 'rev-parse', 'HEAD'), upstream.d1);
  assert.is(git(sb, dir, 'rev-parse', '--abbrev-ref', 'HEAD'), 'dev');
  assert.is(git(sb, dir, 'rev-parse', '--abbrev-ref', 'dev@{upstream}'), 'origin/dev');
  assert.is(git(sb, dir, 'status', '--porcelain'), '');
  assert.is(git(sb, dir, 'remote', 'get-url', 'origin'), 'https://example.org/lib.git');
  const refs = git(sb, dir, 'for-each-ref', '--format=%(refname)').split('\n').sort();
  assert.equal(refs, ['refs/heads/dev', 'refs/remotes/origin/HEAD', 'refs/remotes/origin/dev', 'refs/remotes/origin/main', 'refs/tags/v1', 'refs/tags/v2']);
  assert.is(git(sb, dir, 'symbolic-ref', 'refs/remotes/origin/HEAD'), 'refs/remotes/origin/main');
  assert.is(git(sb, dir, 'rev-parse', 'v2^{commit}'), upstream.c2);
  assert.ok(existsSync(join(dir, '.git', 'info')) && existsSync(join(dir, '.git', 'hooks')));
});

test('a detached checkout at a locked commit behind the branch tip', async () => {
  const dir = join(sb.root, 'co');
  assert.ok(await materialize(dir, mirror, upstream.dir, { commit: upstream.c1, tag: 'v1' }));
  fill(dir);
  assert.is(git(sb, dir, 'rev-parse', '--abbrev-ref', 'HEAD'), 'HEAD');
  assert.is(git(sb, dir, 'rev-parse', 'HEAD'), upstream.c1);
  assert.is(git(sb, dir, 'status', '--porcelain'), '');
});

test('the checkout is whole once the mirror is gone, its objects hardlinked not copied', async () => {
  const dir = join(sb.root, 'co');
  git(sb, mirror, 'repack', '-q', '-a', '-d');
  assert.ok(await materialize(dir, mirror, upstream.dir, { branch: 'main', commit: upstream.c3 }));
  fill(dir);
  const packs = execFileSync('find', [join(dir, '.git', 'objects', 'pack'), '-name', '*.pack']).toString().trim().split('\n');
  assert.ok(packs.length > 0 && packs.every((p) => statSync(p).nlink > 1));
  rmSync(mirror, { recursive: true, force: true });
  git(sb, dir, 'fsck', '--no-progress', '--strict');
  assert.is(git(sb, dir, 'show', `${upstream.c1}:README`), 'lib 1');
});

test('an origin URL with quotes, backslashes, # and ; survives the config file', async () => {
  const dir = join(sb.root, 'co');
  const url = 'https://example.org/a "b"\\c#d;e.git';
  assert.ok(await materialize(dir, mirror, url, { branch: 'main', commit: upstream.c3 }));
  assert.is(git(sb, dir, 'config', '--get', 'remote.origin.url'), url);
  assert.is(git(sb, dir, 'config', '--get', 'branch.main.merge'), 'refs/heads/main');
});

test('a branch the mirror does not have gets no upstream', async () => {
  const dir = join(sb.root, 'co');
  assert.ok(await materialize(dir, mirror, upstream.dir, { branch: 'gone', commit: upstream.c2 }));
  fill(dir);
  assert.is(git(sb, dir, 'rev-parse', '--abbrev-ref', 'HEAD'), 'gone');
  assert.throws(() => git(sb, dir, 'rev-parse', '--abbrev-ref', 'gone@{upstream}'));
});

test('shallow, sha256 or alternates mirrors are left to git clone', async () => {
  writeFileSync(join(mirror, 'shallow'), `${upstream.c3}\n`);
  assert.not.ok(await materialize(join(sb.root, 'a'), mirror, upstream.dir, { branch: 'main', commit: upstream.c3 }));
  rmSync(join(mirror, 'shallow'));
  git(sb, mirror, 'config', 'extensions.objectformat', 'sha1');
  assert.not.ok(await materialize(join(sb.root, 'b'), mirror, upstream.dir, { branch: 'main', commit: upstream.c3 }));
  assert.not.ok(existsSync(join(sb.root, 'a')) || existsSync(join(sb.root, 'b')));
});

test('listRefs reads loose refs over packed ones, nested names, and skips symbolic refs and locks', () => {
  git(sb, mirror, 'pack-refs', '--all');
  git(sb, mirror, 'update-ref', 'refs/heads/main', upstream.c1);
  git(sb, mirror, 'branch', 'feature/x', upstream.c2);
  git(sb, mirror, 'symbolic-ref', 'refs/heads/alias', 'refs/heads/dev');
  mkdirSync(join(mirror, 'refs', 'heads'), { recursive: true });
  writeFileSync(join(mirror, 'refs', 'heads', 'wip.lock'), `${upstream.c3}\n`);
  const heads = listRefs(mirror, 'refs/heads/')!;
  assert.equal(
    [...heads].map(([k, v]) => `${k} ${v.commit}`).sort(),
    [`refs/heads/dev ${upstream.d1}`, `refs/heads/feature/x ${upstream.c2}`, `refs/heads/main ${upstream.c1}`],
  );
  assert.is(listRefs(mirror, 'refs/tags/')!.get('refs/tags/v2')!.peeled, upstream.c2);
});

test('packed-refs read once is read again after git rewrites it, even to the same size', () => {
  git(sb, mirror, 'pack-refs', '--all');
  const before = listRefs(mirror, 'refs/heads/')!;
  assert.is(before.get('refs/heads/main')!.commit, upstream.c3);
  // Same length of text: only the file's identity and times tell the new one apart.
  git(sb, mirror, 'update-ref', 'refs/heads/main', upstream.c1);
  git(sb, mirror, 'pack-refs', '--all');
  assert.is(listRefs(mirror, 'refs/heads/')!.get('refs/heads/main')!.commit, upstream.c1);
  rmSync(join(mirror, 'packed-refs'));
  assert.is(listRefs(mirror, 'refs/heads/')!.get('refs/heads/main'), undefined);
});

test.run();
