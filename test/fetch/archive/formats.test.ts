import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { createArchiveFetcher } from '../../../src/fetch/archive/index.js';
import { buildTar, buildZip, bzip2, gzip, xz } from '../../helpers/archive-builder.js';
import { sandbox, snapshot, sri } from '../../helpers/archive-sandbox.js';
import { serve } from '../../helpers/http-server.js';
import type { ArchiveSource } from '../../../src/types.js';

const fetchArchive = createArchiveFetcher();

const tree = buildTar([
  { name: 'pkg-1.0/', type: 'dir' },
  { name: 'pkg-1.0/README', data: 'hello\n' },
  { name: 'pkg-1.0/bin/', type: 'dir' },
  { name: 'pkg-1.0/bin/run', data: '#!/bin/sh\necho run\n', mode: 0o4755 },
  { name: 'pkg-1.0/lib/deep/x.txt', data: 'x' },
]);
const zip = buildZip([
  { name: 'pkg-1.0/', unixMode: 0o40755 },
  { name: 'pkg-1.0/README', data: 'hello\n' },
  { name: 'pkg-1.0/bin/run', data: '#!/bin/sh\necho run\n', unixMode: 0o104755, method: 0 },
  { name: 'pkg-1.0/lib/deep/x.txt', data: 'x' },
]);

const formats: Array<[string, Buffer]> = [
  ['pkg.tar', tree],
  ['pkg.tar.gz', gzip(tree)],
  ['pkg.tgz', gzip(tree)],
  ['pkg.tar.xz', xz(tree)],
  ['pkg.tar.bz2', bzip2(tree)],
  ['pkg.zip', zip],
];

function assertInstalled(dir: string): void {
  assert.is(readFileSync(join(dir, 'README'), 'utf8'), 'hello\n');
  assert.is(readFileSync(join(dir, 'lib/deep/x.txt'), 'utf8'), 'x');
  assert.is(statSync(join(dir, 'bin/run')).mode & 0o7777, 0o755, 'set-uid dropped, exec kept');
  assert.is(statSync(join(dir, 'README')).mode & 0o7777, 0o644);
  assert.is(statSync(join(dir, 'lib')).mode & 0o7777, 0o755);
}

for (const [name, bytes] of formats) {
  test(`a ${name.slice(4)} archive over http is verified, extracted with strip 1 and installed`, async () => {
    const sb = sandbox();
    const server = await serve({ [`/${name}`]: { body: bytes } });
    try {
      const source = sb.source(`${server.url}/${name}`, sri('sha256', bytes), { strip: 1 });
      const co = await fetchArchive(source, sb.ctx());
      assert.is(co.status, 'cloned', co.message);
      assert.is(co.revision, source.integrity);
      assertInstalled(source.dir);
      assert.ok(sb.events.some((e) => e.phase === 'fetching' && e.bytes === bytes.length));
      assert.ok(sb.events.some((e) => e.phase === 'extracting'));
      assert.equal(readdirSafe(join(sb.cacheDir, 'tmp')), []);
    } finally {
      await server.close();
      sb.cleanup();
    }
  });
}

function readdirSafe(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}

test('sha512 integrity and a format that only the bytes reveal are accepted', async () => {
  const sb = sandbox();
  const bytes = xz(tree);
  const server = await serve({ '/download': { body: bytes } });
  try {
    const source = sb.source(`${server.url}/download`, sri('sha512', bytes), { strip: 1 });
    const co = await fetchArchive(source, sb.ctx());
    assert.is(co.status, 'cloned', co.message);
    assertInstalled(source.dir);
    const key = `sha512-${createHash('sha512').update(bytes).digest('hex')}`;
    assert.ok(existsSync(join(sb.cacheDir, 'archives', key, 'pkg-1.0/README')), 'cache keyed by algo and hex digest');
  } finally {
    await server.close();
    sb.cleanup();
  }
});

// The integrity matched, so the bytes are what the publisher meant: a suffix or a
// `format:` that names another format must not make a good archive fail as corrupt.
const misnamed: Array<[string, Buffer, Partial<ArchiveSource>]> = [
  ['a plain tar served as .tar.gz', tree, {}],
  ['a .tar.gz declared as `format: zip`', gzip(tree), { format: 'zip' }],
  ['a zip declared as `format: tar.xz`', zip, { format: 'tar.xz' }],
  ['a .tar.bz2 served as .tgz', bzip2(tree), {}],
];
for (const [what, bytes, over] of misnamed) {
  test(`${what} is extracted as what its bytes are`, async () => {
    const sb = sandbox();
    const server = await serve({ '/pkg.tar.gz': { body: bytes }, '/pkg.tgz': { body: bytes } });
    try {
      const path = what.includes('.tgz') ? '/pkg.tgz' : '/pkg.tar.gz';
      const source = sb.source(`${server.url}${path}`, sri('sha256', bytes), { strip: 1, format: 'tar.gz', ...over });
      const co = await fetchArchive(source, sb.ctx());
      assert.is(co.status, 'cloned', co.message);
      assertInstalled(source.dir);
    } finally {
      await server.close();
      sb.cleanup();
    }
  });
}

test('a plain tar whose first member is named BZh… is a tar, not bzip2', async () => {
  const sb = sandbox();
  const bytes = buildTar([
    { name: 'BZh-notes.txt', data: 'notes\n' },
    { name: 'lib/x.txt', data: 'x' },
  ]);
  assert.is(bytes.subarray(0, 3).toString('latin1'), 'BZh');
  const server = await serve({ '/download': { body: bytes } });
  try {
    // Nothing but the bytes to go by: no suffix, no `format:`.
    const source = sb.source(`${server.url}/download`, sri('sha256', bytes), { format: undefined });
    const co = await fetchArchive(source, sb.ctx());
    assert.is(co.status, 'cloned', co.message);
    assert.is(readFileSync(join(source.dir, 'BZh-notes.txt'), 'utf8'), 'notes\n');
  } finally {
    await server.close();
    sb.cleanup();
  }
});

test('bytes no magic recognises follow the declared format', async () => {
  const sb = sandbox();
  // An old (v7) tar: no ustar mark, so only `format: tar` can say what it is.
  const bytes = Buffer.from(tree);
  for (let off = 0; off < bytes.length; off += 512) {
    if (bytes.subarray(off + 257, off + 262).toString('latin1') !== 'ustar') continue;
    bytes.fill(0, off + 257, off + 265);
    let sum = 0;
    bytes.fill(0x20, off + 148, off + 156);
    for (let i = off; i < off + 512; i++) sum += bytes[i]!;
    bytes.write(sum.toString(8).padStart(6, '0') + '\0 ', off + 148, 'latin1');
  }
  const server = await serve({ '/download': { body: bytes } });
  try {
    const source = sb.source(`${server.url}/download`, sri('sha256', bytes), { strip: 1, format: 'tar' });
    const co = await fetchArchive(source, sb.ctx());
    assert.is(co.status, 'cloned', co.message);
    assert.is(readFileSync(join(source.dir, 'README'), 'utf8'), 'hello\n');
  } finally {
    await server.close();
    sb.cleanup();
  }
});

test('sha256:<hex> integrity is accepted and a file:// URL is read from disk', async () => {
  const sb = sandbox();
  const bytes = gzip(tree);
  const file = join(sb.root, 'pkg.tar.gz');
  writeFileSync(file, bytes);
  try {
    const hex = createHash('sha256').update(bytes).digest('hex');
    const source = sb.source(pathToFileURL(file).href, `sha256:${hex}`);
    const co = await fetchArchive(source, sb.ctx());
    assert.is(co.status, 'cloned', co.message);
    assertInstalled(join(source.dir, 'pkg-1.0'));
  } finally {
    sb.cleanup();
  }
});

test('a second run with the server gone reports unchanged and touches nothing', async () => {
  const sb = sandbox();
  const bytes = gzip(tree);
  const server = await serve({ '/p.tgz': { body: bytes } });
  const source = sb.source(`${server.url}/p.tgz`, sri('sha256', bytes), { strip: 1 });
  try {
    assert.is((await fetchArchive(source, sb.ctx())).status, 'cloned');
    await server.close();
    const before = snapshot(sb.root);
    const co = await fetchArchive(source, sb.ctx());
    assert.is(co.status, 'unchanged', co.message);
    assert.equal(snapshot(sb.root), before);
  } finally {
    sb.cleanup();
  }
});

test('a cached archive installs into a second workspace without any request', async () => {
  const sb = sandbox();
  const bytes = gzip(tree);
  const server = await serve({ '/p.tgz': { body: bytes } });
  try {
    const first = sb.source(`${server.url}/p.tgz`, sri('sha256', bytes), { strip: 1 });
    assert.is((await fetchArchive(first, sb.ctx())).status, 'cloned');
    const second = { ...first, dir: join(sb.workspace, 'other') };
    const co = await fetchArchive(second, sb.ctx({ offline: true }));
    assert.is(co.status, 'cloned', co.message);
    assertInstalled(second.dir);
    assert.is(server.count('/p.tgz'), 1);
  } finally {
    await server.close();
    sb.cleanup();
  }
});

test('offline without a cache entry fails clearly and does nothing', async () => {
  const sb = sandbox();
  try {
    const source = sb.source('http://127.0.0.1:9/p.tgz', sri('sha256', Buffer.from('x')));
    const co = await fetchArchive(source, sb.ctx({ offline: true }));
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_OFFLINE');
    sb.assertNothingHappened(source);
  } finally {
    sb.cleanup();
  }
});

test('a malformed integrity fails before any download', async () => {
  const sb = sandbox();
  const server = await serve({ '/p.tgz': { body: gzip(tree) } });
  try {
    const source = sb.source(`${server.url}/p.tgz`, 'sha256-tooShort');
    const co = await fetchArchive(source, sb.ctx());
    assert.is(co.code, 'WEFT_E_INTEGRITY_FORMAT');
    assert.is(server.count('/p.tgz'), 0);
    sb.assertNothingHappened(source);
  } finally {
    await server.close();
    sb.cleanup();
  }
});

test.run();
