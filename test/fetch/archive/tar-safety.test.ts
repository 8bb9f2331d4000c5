// Every known tar attack shape: each must fail with its code and leave no trace — the
// canary beside the sandbox unchanged, the cache's tmp/ empty, no entry, no target.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createArchiveFetcher, type ArchiveFetcherDeps } from '../../../src/fetch/archive/index.js';
import type { Checkout } from '../../../src/types.js';
import { buildTar, gzip, xz, type TarEntrySpec } from '../../helpers/archive-builder.js';
import { sandbox, sri, type Limits, type Sandbox } from '../../helpers/archive-sandbox.js';
import { serve } from '../../helpers/http-server.js';

interface Run {
  co: Checkout;
  sb: Sandbox;
}

/** Serves `bytes`, fetches them, returns the checkout; the caller cleans up `sb`. */
async function fetchBytes(bytes: Buffer, name: string, limits: Limits = {}, deps: ArchiveFetcherDeps = {}): Promise<Run> {
  const sb = sandbox();
  const server = await serve({ [`/${name}`]: { body: bytes } });
  try {
    const source = sb.source(`${server.url}/${name}`, sri('sha256', bytes));
    const co = await createArchiveFetcher(deps)(source, sb.ctx({ defaults: limits }));
    return { co, sb };
  } finally {
    await server.close();
  }
}

async function refused(entries: TarEntrySpec[] | Buffer, code: string, opts: { limits?: Limits; deps?: ArchiveFetcherDeps; name?: string } = {}): Promise<Checkout> {
  const bytes = Buffer.isBuffer(entries) ? entries : gzip(buildTar(entries));
  const { co, sb } = await fetchBytes(bytes, opts.name ?? 'evil.tgz', opts.limits, opts.deps);
  try {
    assert.is(co.status, 'failed', co.message);
    assert.is(co.code, code, co.message);
    sb.assertNothingHappened(sb.source('', '', {}));
    return co;
  } finally {
    sb.cleanup();
  }
}

const canaryPath = (sb: Sandbox): string => join(sb.canary, 'pwned');
const sbProbe = sandbox();
const CANARY = canaryPath(sbProbe);
sbProbe.cleanup();

test('entries with ../ are refused and listed', async () => {
  const co = await refused(
    [
      { name: 'ok.txt', data: 'fine' },
      { name: '../../../../canary/pwned', data: 'x' },
      { name: 'a/../../b', data: 'x' },
    ],
    'WEFT_E_ARCHIVE_UNSAFE',
  );
  assert.match(co.message!, '../../../../canary/pwned');
  assert.match(co.message!, 'a/../../b');
  assert.not.match(co.message!, 'ok.txt');
});

test('absolute, //// and drive-relative paths are refused', async () => {
  const co = await refused(
    [
      { name: CANARY, data: 'x' },
      { name: '////tmp/weft-pwned', data: 'x' },
      { name: 'C:pwned', data: 'x' },
      { name: 'C:/pwned', data: 'x' },
    ],
    'WEFT_E_ARCHIVE_UNSAFE',
  );
  assert.match(co.message!, 'refused 4 unsafe entries');
  assert.not.ok(existsSync('/tmp/weft-pwned'));
});

test('a symlink then a file written through it is refused', async () => {
  await refused(
    [
      { name: 'link', type: 'symlink', linkname: join(CANARY, '..') },
      { name: 'link/pwned', data: 'x' },
      { name: 'rel', type: 'symlink', linkname: '../../../../canary' },
      { name: 'rel/pwned', data: 'x' },
    ],
    'WEFT_E_ARCHIVE_UNSAFE',
  );
});

test('a hard link to a file outside is refused', async () => {
  const co = await refused(
    [
      { name: 'h', type: 'hardlink', linkname: join(CANARY, '../keep.txt') },
      { name: 'h2', type: 'hardlink', linkname: '../../../../canary/keep.txt' },
    ],
    'WEFT_E_ARCHIVE_UNSAFE',
  );
  assert.match(co.message!, 'hardlink');
});

test('a directory, then a symlink of the same name, then a file through it is refused', async () => {
  await refused(
    [
      { name: 'd/', type: 'dir' },
      { name: 'd', type: 'symlink', linkname: join(CANARY, '..') },
      { name: 'd/pwned', data: 'x' },
    ],
    'WEFT_E_ARCHIVE_UNSAFE',
  );
});

test('FIFO and device entries are refused, every one of them listed', async () => {
  const co = await refused(
    [
      { name: 'fifo', type: 'fifo' },
      { name: 'chr', type: 'char' },
      { name: 'blk', type: 'block' },
    ],
    'WEFT_E_ARCHIVE_UNSAFE',
  );
  for (const n of ['"fifo" (fifo)', '"chr" (device)', '"blk" (device)']) assert.match(co.message!, n);
});

test('a backslash traversal name such as a\\..\\..\\x is refused on POSIX too', async () => {
  await refused([{ name: 'a\\..\\..\\x', data: 'x' }, { name: '..\\..\\..\\canary\\pwned', data: 'x' }], 'WEFT_E_ARCHIVE_UNSAFE');
});

test('a truncated gzip fails as corrupt', async () => {
  const whole = gzip(buildTar([{ name: 'big.bin', data: Buffer.alloc(200_000, 7) }, { name: 'b', data: 'y' }]));
  await refused(whole.subarray(0, Math.floor(whole.length / 2)), 'WEFT_E_ARCHIVE_CORRUPT');
});

test('a truncated plain tar fails as corrupt', async () => {
  const whole = buildTar([{ name: 'big.bin', data: Buffer.alloc(20_000, 7) }]);
  await refused(whole.subarray(0, 5000), 'WEFT_E_ARCHIVE_CORRUPT', { name: 'evil.tar' });
});

test('a PAX header whose path is all digits yields that literal name inside the target', async () => {
  const bytes = gzip(buildTar([{ name: 'innocent', data: 'digits', pax: { path: '1234' } }]));
  const { co, sb } = await fetchBytes(bytes, 'digits.tgz');
  try {
    assert.is(co.status, 'cloned', co.message);
    assert.is(readFileSync(join(co.dir, '1234'), 'utf8'), 'digits');
    assert.not.ok(existsSync(join(co.dir, 'innocent')));
  } finally {
    sb.cleanup();
  }
});

test('a PAX path override that traverses is refused', async () => {
  await refused([{ name: 'innocent', data: 'x', pax: { path: '../../../../canary/pwned' } }], 'WEFT_E_ARCHIVE_UNSAFE');
});

test('2 000 nested directories are refused as too deep', async () => {
  const deep = 'a/'.repeat(2000);
  const co = await refused(
    [
      { name: 'dir', type: 'dir', pax: { path: deep } },
      { name: 'file', data: 'x', pax: { path: `${deep}f` } },
    ],
    'WEFT_E_ARCHIVE_UNSAFE',
  );
  assert.match(co.message!, 'deeper than 200 levels');
});

test('set-uid, set-gid and sticky bits never survive', async () => {
  const bytes = gzip(
    buildTar([
      { name: 'sticky/', type: 'dir', mode: 0o1777 },
      { name: 'sticky/suid', data: 'x', mode: 0o4755 },
      { name: 'sticky/sgid', data: 'x', mode: 0o2644 },
      { name: 'sticky/both', data: 'x', mode: 0o6711 },
    ]),
  );
  const { co, sb } = await fetchBytes(bytes, 'modes.tgz');
  try {
    assert.is(co.status, 'cloned', co.message);
    const mode = (p: string): number => statSync(join(co.dir, p)).mode & 0o7777;
    assert.is(mode('sticky'), 0o755);
    assert.is(mode('sticky/suid'), 0o755);
    assert.is(mode('sticky/sgid'), 0o644);
    assert.is(mode('sticky/both'), 0o755);
  } finally {
    sb.cleanup();
  }
});

test('a file and a directory of the same name are refused as unsafe, naming both, in either order', async () => {
  const fileFirst = await refused([{ name: 'a', data: 'file' }, { name: 'a/b', data: 'x' }], 'WEFT_E_ARCHIVE_UNSAFE');
  assert.match(fileFirst.message!, '"a/b" (inside "a", which the archive also has as a file)');
  assert.not.match(fileFirst.message!, 'tmp/');
  const dirFirst = await refused(
    [{ name: 'a', type: 'dir' }, { name: 'a/b', data: 'x' }, { name: 'a', data: 'file' }],
    'WEFT_E_ARCHIVE_UNSAFE',
  );
  assert.match(dirFirst.message!, '"a" (the archive also has a directory of that name)');
  // An empty directory, then a file over it: node-tar would quietly replace the one with the other.
  await refused([{ name: 'a', type: 'dir' }, { name: 'a', data: 'file' }], 'WEFT_E_ARCHIVE_UNSAFE');
});

test('two files of the same name are refused, as in a zip: which one wins differs between readers', async () => {
  const co = await refused([{ name: 'x', data: 'one' }, { name: './x', data: 'two' }], 'WEFT_E_ARCHIVE_UNSAFE');
  assert.match(co.message!, '"./x" (duplicate name)');
});

test('a directory listed twice is no conflict', async () => {
  const bytes = gzip(buildTar([{ name: 'd', type: 'dir' }, { name: 'd/f', data: 'x' }, { name: 'd/', type: 'dir' }]));
  const { co, sb } = await fetchBytes(bytes, 'ok.tgz');
  try {
    assert.is(co.status, 'cloned', co.message);
  } finally {
    sb.cleanup();
  }
});

test('names that collide after case folding are refused', async () => {
  await refused([{ name: 'README', data: 'a' }, { name: 'readme', data: 'b' }], 'WEFT_E_ARCHIVE_UNSAFE');
});

test('names that collide after Unicode NFC folding are refused', async () => {
  await refused([{ name: 'caf\u00e9', data: 'a' }, { name: 'cafe\u0301', data: 'b' }], 'WEFT_E_ARCHIVE_UNSAFE');
});

test('a gzip bomb over the extracted-bytes cap fails fast', async () => {
  const bomb = gzip(buildTar([{ name: 'zeros', data: Buffer.alloc(64 << 20) }]));
  assert.ok(bomb.length < 200_000);
  const co = await refused(bomb, 'WEFT_E_ARCHIVE_LIMIT', { limits: { maxExtractedBytes: 1 << 20 } });
  assert.match(co.message!, 'bytes once extracted');
});

test('an entry over the single-entry cap fails', async () => {
  const bytes = gzip(buildTar([{ name: 'big', data: Buffer.alloc(3 << 20) }]));
  const co = await refused(bytes, 'WEFT_E_ARCHIVE_LIMIT', { limits: { maxEntryBytes: 1 << 20 } });
  // The cap is built in: the hint must not send the user looking for a setting to raise.
  assert.not.match(co.hint!, 'raise maxEntryBytes');
  assert.match(co.hint!, 'built-in limit');
});

test('more entries than the cap fails', async () => {
  const entries = Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, data: 'x' }));
  await refused(entries, 'WEFT_E_ARCHIVE_LIMIT', { limits: { maxArchiveEntries: 10 } });
});

test('a gzip stream expanding past the ratio limit fails', async () => {
  const bomb = gzip(buildTar([{ name: 'zeros', data: Buffer.alloc(32 << 20) }]));
  await refused(bomb, 'WEFT_E_ARCHIVE_LIMIT', { deps: { maxCompressionRatio: 50 } });
});

test('an xz stream expanding past the ratio limit fails', async () => {
  const bomb = xz(buildTar([{ name: 'zeros', data: Buffer.alloc(32 << 20) }]));
  await refused(bomb, 'WEFT_E_ARCHIVE_LIMIT', { deps: { maxCompressionRatio: 50 }, name: 'evil.tar.xz' });
});

test.run();
