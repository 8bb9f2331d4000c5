// Converging a checkout directory: replace only what weft wrote and nobody touched.
import { mkdirSync, readFileSync, utimesSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createArchiveFetcher } from '../../../src/fetch/archive/index.js';
import { buildTar, gzip } from '../../helpers/archive-builder.js';
import { sandbox, snapshot, sri } from '../../helpers/archive-sandbox.js';
import { serve } from '../../helpers/http-server.js';

const v1 = gzip(buildTar([{ name: 'v', data: '1' }, { name: 'same', data: 's' }]));
const v2 = gzip(buildTar([{ name: 'v', data: '2' }, { name: 'new', data: 'n' }]));
const fetchArchive = createArchiveFetcher();

async function world() {
  const sb = sandbox();
  const server = await serve({ '/v1.tgz': { body: v1 }, '/v2.tgz': { body: v2 } });
  const s1 = sb.source(`${server.url}/v1.tgz`, sri('sha256', v1));
  const s2 = sb.source(`${server.url}/v2.tgz`, sri('sha256', v2));
  return { sb, server, s1, s2, done: async () => (await server.close(), sb.cleanup()) };
}

test('a new integrity replaces an untouched checkout', async () => {
  const w = await world();
  try {
    assert.is((await fetchArchive(w.s1, w.sb.ctx())).status, 'cloned');
    const co = await fetchArchive(w.s2, w.sb.ctx());
    assert.is(co.status, 'updated', co.message);
    assert.is(readFileSync(join(co.dir, 'v'), 'utf8'), '2');
    assert.not.ok(existsSync(join(co.dir, 'same')), 'files of the old archive are gone');
    assert.equal(readdirSync(w.sb.workspace), ['pkg'], 'no temp or old trees left beside it');
  } finally {
    await w.done();
  }
});

for (const [what, edit] of [
  ['modified', (dir: string) => writeFileSync(join(dir, 'v'), 'mine')],
  ['added', (dir: string) => writeFileSync(join(dir, 'notes.txt'), 'mine')],
  ['touched', (dir: string) => utimesSync(join(dir, 'v'), new Date(2001, 1, 1), new Date(2001, 1, 1))],
] as const) {
  test(`a checkout with a ${what} file is kept and reported skipped`, async () => {
    const w = await world();
    try {
      await fetchArchive(w.s1, w.sb.ctx());
      edit(w.s1.dir);
      const before = snapshot(w.s1.dir);
      const co = await fetchArchive(w.s2, w.sb.ctx());
      assert.is(co.status, 'skipped');
      assert.match(co.message!, 'changed since weft extracted it');
      assert.equal(snapshot(w.s1.dir), before, 'the user’s work is untouched');
      assert.is(w.server.count('/v2.tgz'), 0, 'nothing downloaded for a skipped source');
      const forced = await fetchArchive(w.s2, w.sb.ctx({ force: true }));
      assert.is(forced.status, 'updated', forced.message);
      assert.is(readFileSync(join(forced.dir, 'v'), 'utf8'), '2');
    } finally {
      await w.done();
    }
  });
}

test('--force names the changes it discards before it does, and keeps what the user added', async () => {
  const w = await world();
  try {
    await fetchArchive(w.s1, w.sb.ctx());
    writeFileSync(join(w.s1.dir, 'v'), 'my edit');
    writeFileSync(join(w.s1.dir, 'notes.txt'), 'mine');
    mkdirSync(join(w.s1.dir, 'build', 'deep'), { recursive: true });
    writeFileSync(join(w.s1.dir, 'build', 'deep', 'out'), 'o');
    const said: string[] = [];
    const ctx = w.sb.ctx({
      force: true,
      // Said while the change is still there.
      report: (e) => e.phase === 'discarding' && said.push(`${e.message} / v: ${readFileSync(join(w.s1.dir, 'v'), 'utf8')}`),
    });
    const co = await fetchArchive(w.s2, ctx);
    assert.is(co.status, 'updated', co.message);
    assert.equal(said, ['--force: your changes to v / v: my edit']);
    assert.match(co.message!, '--force discarded: your changes to v');
    assert.match(co.message!, 'kept what you added: build/, notes.txt');
    assert.is(readFileSync(join(co.dir, 'v'), 'utf8'), '2');
    assert.is(readFileSync(join(co.dir, 'notes.txt'), 'utf8'), 'mine');
    assert.is(readFileSync(join(co.dir, 'build', 'deep', 'out'), 'utf8'), 'o');
    assert.is(readFileSync(join(co.dir, 'new'), 'utf8'), 'n');
    assert.not.ok(existsSync(join(co.dir, 'same')));
    assert.equal(readdirSync(w.sb.workspace), ['pkg'], 'no temp or old trees left beside it');
    // Kept files stay the user's: the next change of archive is refused again without --force.
    const again = await fetchArchive(w.s1, w.sb.ctx());
    assert.is(again.status, 'skipped');
    assert.match(again.message!, 'added ');
  } finally {
    await w.done();
  }
});

test('--force: an added file the new archive also has is named as replaced first; one in its way is moved aside and said where', async () => {
  const w = await world();
  try {
    await fetchArchive(w.s1, w.sb.ctx());
    writeFileSync(join(w.s1.dir, 'new'), 'my new');
    // v3 has a file `tools` where the user made a directory `tools/` (and a directory `docs` the user's files join).
    const v3 = gzip(buildTar([{ name: 'v', data: '3' }, { name: 'new', data: 'n' }, { name: 'tools', data: 't' }, { name: 'docs/a', data: 'a' }]));
    const server = await serve({ '/v3.tgz': { body: v3 } });
    mkdirSync(join(w.s1.dir, 'tools'));
    writeFileSync(join(w.s1.dir, 'tools', 'script'), 'mine');
    mkdirSync(join(w.s1.dir, 'docs'));
    writeFileSync(join(w.s1.dir, 'docs', 'mine.md'), 'mine');
    const said: string[] = [];
    const ctx = w.sb.ctx({ force: true, report: (e) => e.phase === 'discarding' && said.push(`${e.message} / ${readFileSync(join(w.s1.dir, 'new'), 'utf8')}`) });
    const co = await fetchArchive(w.sb.source(`${server.url}/v3.tgz`, sri('sha256', v3)), ctx);
    await server.close();
    assert.is(co.status, 'updated', co.message);
    assert.equal(said, ['--force: new, which you added and the new archive also has (replaced) / my new']);
    assert.match(co.message!, 'new, which you added and the new archive also has (replaced)');
    assert.match(co.message!, 'kept what you added: docs/mine.md');
    const aside = readdirSync(w.sb.workspace).find((n) => n.startsWith('pkg.weft-kept-'));
    assert.ok(aside, readdirSync(w.sb.workspace).join());
    assert.match(co.message!, `moved aside to ${join(w.sb.workspace, aside!)}`);
    assert.match(co.message!, ': tools/');
    assert.is(readFileSync(join(w.sb.workspace, aside!, 'tools', 'script'), 'utf8'), 'mine');
    assert.is(readFileSync(join(co.dir, 'tools'), 'utf8'), 't');
    assert.is(readFileSync(join(co.dir, 'docs', 'mine.md'), 'utf8'), 'mine');
    assert.is(readFileSync(join(co.dir, 'docs', 'a'), 'utf8'), 'a');
    assert.is(readFileSync(join(co.dir, 'new'), 'utf8'), 'n');
  } finally {
    await w.done();
  }
});

test('--force does not delete a directory weft did not create: it is refused, naming what it holds', async () => {
  const w = await world();
  try {
    mkdirSync(w.s1.dir);
    writeFileSync(join(w.s1.dir, 'own.txt'), 'mine');
    const co = await fetchArchive(w.s1, w.sb.ctx({ force: true }));
    assert.is(co.status, 'skipped', co.message);
    assert.match(co.message!, 'a directory weft did not create (holding own.txt)');
    assert.match(co.message!, 'even with --force');
    assert.match(co.message!, 'move it away');
    assert.is(readFileSync(join(w.s1.dir, 'own.txt'), 'utf8'), 'mine');
    assert.equal(w.sb.events.filter((e) => e.phase === 'discarding'), []);
  } finally {
    await w.done();
  }
});

test('a directory weft did not create is left alone', async () => {
  const w = await world();
  try {
    mkdirSync(w.s1.dir);
    writeFileSync(join(w.s1.dir, 'own.txt'), 'mine');
    const co = await fetchArchive(w.s1, w.sb.ctx());
    assert.is(co.status, 'skipped');
    assert.is(readFileSync(join(w.s1.dir, 'own.txt'), 'utf8'), 'mine');
    assert.is(w.server.count('/v1.tgz'), 0);
  } finally {
    await w.done();
  }
});

test('an empty directory is filled', async () => {
  const w = await world();
  try {
    mkdirSync(w.s1.dir);
    const co = await fetchArchive(w.s1, w.sb.ctx());
    assert.is(co.status, 'cloned', co.message);
    assert.is(readFileSync(join(co.dir, 'v'), 'utf8'), '1');
  } finally {
    await w.done();
  }
});

test('a changed strip re-installs from the cache', async () => {
  const w = await world();
  try {
    const nested = gzip(buildTar([{ name: 'top/inner/f', data: 'f' }]));
    const server = await serve({ '/n.tgz': { body: nested } });
    const s = w.sb.source(`${server.url}/n.tgz`, sri('sha256', nested));
    assert.is((await fetchArchive(s, w.sb.ctx())).status, 'cloned');
    const co = await fetchArchive({ ...s, strip: 2 }, w.sb.ctx());
    assert.is(co.status, 'updated', co.message);
    assert.is(readFileSync(join(co.dir, 'f'), 'utf8'), 'f');
    assert.is(server.count('/n.tgz'), 1);
    await server.close();
  } finally {
    await w.done();
  }
});

test('strip that merges two entries onto one path fails without touching the target', async () => {
  const w = await world();
  try {
    const clash = gzip(buildTar([{ name: 'a/x', data: '1' }, { name: 'b/x', data: '2' }]));
    const server = await serve({ '/c.tgz': { body: clash } });
    const s = w.sb.source(`${server.url}/c.tgz`, sri('sha256', clash), { strip: 1 });
    const co = await fetchArchive(s, w.sb.ctx());
    assert.is(co.code, 'WEFT_E_ARCHIVE_STRIP', co.message);
    assert.equal(readdirSync(w.sb.workspace), []);
    await server.close();
  } finally {
    await w.done();
  }
});

test('strip that brings names differing only in case or Unicode form side by side fails, naming both', async () => {
  const w = await world();
  try {
    // Apart in the archive, so its own audit passes; strip 1 puts them in one directory,
    // where a case-insensitive or normalising filesystem would hold only one of them.
    const clash = gzip(
      buildTar([
        { name: 'a/README', data: '1' },
        { name: 'b/readme', data: '2' },
        { name: 'a/caf\u00e9/x', data: '3' },
        { name: 'b/cafe\u0301/y', data: '4' },
      ]),
    );
    const server = await serve({ '/c.tgz': { body: clash } });
    try {
      const s = w.sb.source(`${server.url}/c.tgz`, sri('sha256', clash), { strip: 1 });
      const co = await fetchArchive(s, w.sb.ctx());
      assert.is(co.code, 'WEFT_E_ARCHIVE_STRIP', co.message);
      assert.match(co.message!, 'a/README and b/readme');
      assert.equal(readdirSync(w.sb.workspace), []);
      // Without strip they stay apart: nothing collides.
      assert.is((await fetchArchive({ ...s, strip: 0 }, w.sb.ctx())).status, 'cloned');
    } finally {
      await server.close();
    }
  } finally {
    await w.done();
  }
});

test('a strip deeper than the archive fails, saying how deep its files are, instead of an empty checkout', async () => {
  const w = await world();
  try {
    const shallow = gzip(buildTar([{ name: 'pkg/lib/x.py', data: '1' }, { name: 'pkg/README', data: '2' }]));
    const server = await serve({ '/s.tgz': { body: shallow } });
    const s = w.sb.source(`${server.url}/s.tgz`, sri('sha256', shallow), { strip: 3 });
    const co = await fetchArchive(s, w.sb.ctx());
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_ARCHIVE_STRIP', co.message);
    assert.match(co.message!, 'with strip 3, no file of the archive is left (its files are at most 3 levels deep)');
    assert.equal(readdirSync(w.sb.workspace), []);
    // strip 2 still keeps lib/x.py's file: not refused.
    assert.is((await fetchArchive({ ...s, strip: 2 }, w.sb.ctx())).status, 'cloned');
    await server.close();
  } finally {
    await w.done();
  }
});

test('concurrent fetches of one archive download it once and all succeed', async () => {
  const w = await world();
  try {
    const sources = Array.from({ length: 6 }, (_, i) => ({ ...w.s1, name: `p${i}`, dir: join(w.sb.workspace, `p${i}`) }));
    const results = await Promise.all(sources.map((s) => createArchiveFetcher()(s, w.sb.ctx())));
    assert.equal(results.map((r) => r.status), Array(6).fill('cloned'));
    assert.is(w.server.count('/v1.tgz'), 1);
    assert.equal(readdirSync(join(w.sb.cacheDir, 'tmp')), []);
    assert.equal(readdirSync(join(w.sb.cacheDir, 'locks')), []);
  } finally {
    await w.done();
  }
});

test('two fetches into one directory converge without error', async () => {
  const w = await world();
  try {
    const results = await Promise.all([fetchArchive(w.s1, w.sb.ctx()), fetchArchive(w.s1, w.sb.ctx())]);
    assert.equal(results.map((r) => r.status).sort(), ['cloned', 'unchanged']);
  } finally {
    await w.done();
  }
});

test('a lock left by a crashed process is recovered', async () => {
  const w = await world();
  try {
    const locks = join(w.sb.cacheDir, 'locks');
    mkdirSync(locks, { recursive: true });
    const key = `sha256-${Buffer.from(w.s1.integrity.slice(7), 'base64').toString('hex')}`;
    // pid 2^22+1 is above Linux's pid_max default, so no live process owns it.
    writeFileSync(join(locks, `archive-${key}.lock`), JSON.stringify({ pid: 4194305, host: (await import('node:os')).hostname(), at: 0 }));
    const co = await fetchArchive(w.s1, w.sb.ctx({ defaults: { fetchTimeoutMs: 2000 } }));
    assert.is(co.status, 'cloned', co.message);
    assert.equal(readdirSync(locks), []);
  } finally {
    await w.done();
  }
});

test('a lock held by a live process makes the wait time out with a clear code', async () => {
  const w = await world();
  try {
    const locks = join(w.sb.cacheDir, 'locks');
    mkdirSync(locks, { recursive: true });
    const key = `sha256-${Buffer.from(w.s1.integrity.slice(7), 'base64').toString('hex')}`;
    writeFileSync(join(locks, `archive-${key}.lock`), JSON.stringify({ pid: process.pid, host: (await import('node:os')).hostname(), at: Date.now() }));
    const co = await fetchArchive(w.s1, w.sb.ctx({ defaults: { fetchTimeoutMs: 300 } }));
    assert.is(co.code, 'WEFT_E_CACHE_BUSY', co.message);
    assert.is(w.server.count('/v1.tgz'), 0);
    assert.not.ok(existsSync(w.s1.dir));
  } finally {
    await w.done();
  }
});

test.run();
