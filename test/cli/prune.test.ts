import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../helpers/git-repo.js';
import { branchWorkspace, dropLib } from '../helpers/branch-workspace.js';

const sources = (ws: string) => Object.keys(JSON.parse(readFileSync(join(ws, '.weft', 'state.json'), 'utf8')).sources);

test('weft prune removes the checkout and branch checkouts of a source no longer listed, and forgets it', async () => {
  const w = await branchWorkspace(['other']);
  try {
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    assert.is((await w.run('switch', 'other', 'side', '--create')).code, 0);
    dropLib(w, ['other']);
    const dry = await w.run('prune', '--dry-run');
    assert.is(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would remove lib \(branch feature\) .*\.weft-branches\/lib\/feature/);
    assert.match(dry.stdout, /would remove lib .*\/lib\n/);
    assert.ok(existsSync(join(w.ws, 'lib')), '--dry-run removes nothing');
    assert.ok(sources(w.ws).includes('lib'));

    const r = await w.run('prune');
    assert.is(r.code, 0, r.stderr + r.stdout);
    assert.not.ok(existsSync(join(w.ws, 'lib')));
    assert.not.ok(existsSync(join(w.ws, '.weft-branches', 'lib')));
    assert.equal(sources(w.ws), ['other']);
    // A listed source and its branch checkout are not touched.
    assert.ok(existsSync(join(w.ws, 'other', 'README')));
    assert.ok(existsSync(join(w.ws, '.weft-branches', 'other', 'side', 'README')));
    const again = await w.run('prune');
    assert.match(again.stdout, /nothing to prune/);
  } finally {
    w.cleanup();
  }
});

test('weft prune keeps a checkout with uncommitted work or an unpushed branch, says why, and exits 1', async () => {
  const w = await branchWorkspace(['other']);
  try {
    assert.is((await w.run('switch', 'lib', 'topic', '--create')).code, 0);
    const wt = join(w.ws, '.weft-branches', 'lib', 'topic');
    writeFileSync(join(wt, 'work.txt'), 'mine\n');
    git(w.sb, wt, 'add', 'work.txt');
    git(w.sb, wt, 'commit', '--quiet', '-m', 'unpushed');
    writeFileSync(join(w.ws, 'lib', 'README'), 'edited\n');
    dropLib(w, ['other']);
    const r = await w.run('prune');
    assert.is(r.code, 1);
    assert.match(r.stdout, /kept lib \(branch topic\) .*1 commit on HEAD not on any remote/);
    assert.match(r.stdout, /kept lib .*\/lib: .*1 file with uncommitted changes/);
    assert.is(readFileSync(join(wt, 'work.txt'), 'utf8'), 'mine\n');
    assert.is(readFileSync(join(w.ws, 'lib', 'README'), 'utf8'), 'edited\n');
    assert.ok(sources(w.ws).includes('lib'), 'still recorded, so a later prune can finish the job');
  } finally {
    w.cleanup();
  }
});

test.run();
