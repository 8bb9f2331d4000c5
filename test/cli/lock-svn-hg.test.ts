// weft lock for svn and hg sources: their revision comes from the checkout weft made, so
// only a checkout made for the very entry the manifest holds now may be recorded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { makeHgRepo } from '../helpers/hg-repo.js';
import { makeSvnRepo } from '../helpers/svn-repo.js';
import { tempDir } from '../helpers/tmp.js';

type LockFile = { sources: Record<string, { ref?: string; revision?: string }> };

test('after the manifest moves an hg or svn ref, weft lock records no revision of the checkout made for the old ref', async () => {
  const t = tempDir('weft-lock-vcs-');
  try {
    const env = isolatedEnv(t.dir);
    const hg = makeHgRepo(join(t.dir, 'hg'), env);
    const first = hg.commit({ README: 'one\n' });
    hg.tag('v1');
    hg.commit({ README: 'two\n' });
    const svn = makeSvnRepo(t.dir, env);
    const r1 = svn.commit({ README: 'one\n' });
    svn.commit({ README: 'two\n' });
    const ws = join(t.dir, 'ws');
    mkdirSync(ws);
    const manifest = (hgRef: string, svnRef: string) =>
      writeFileSync(join(ws, 'weft.yaml'), `sources:\n  h:\n    hg: ${hg.path}\n    ref: ${hgRef}\n  s:\n    svn: ${svn.trunk}\n    ref: "${svnRef}"\n`);
    const run = (...args: string[]) => weft(args, { cwd: ws, env });
    const lock = () => parse(readFileSync(join(ws, 'weft.lock'), 'utf8')) as LockFile;

    manifest('default', 'HEAD');
    const up = await run('up');
    assert.is(up.code, 0, up.stderr);
    const tip = lock();

    manifest('v1', String(r1));
    const r = await run('lock');
    assert.is(r.code, 0, r.stderr);
    const after = lock();
    for (const name of ['h', 's']) {
      const e = after.sources[name];
      assert.ok(e === undefined || e.revision !== tip.sources[name]!.revision, `${name}: ${JSON.stringify(e)} pins the old ref's revision under the new ref`);
    }
    assert.match(r.stderr, 'h: hg revision unknown until "weft up" checks it out');

    const again = await run('up');
    assert.is(again.code, 0, again.stderr);
    assert.is(lock().sources['h']!.revision, first, 'weft up then checks out and records what v1 names');
    assert.is(lock().sources['s']!.revision, String(r1));
  } finally {
    t.cleanup();
  }
});

test.run();
