// The zip reader applies the same rules as tar; each refusal leaves no trace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createArchiveFetcher, type ArchiveFetcherDeps } from '../../../src/fetch/archive/index.js';
import type { Checkout } from '../../../src/types.js';
import { buildZip, type ZipEntrySpec } from '../../helpers/archive-builder.js';
import { sandbox, sri, type Limits } from '../../helpers/archive-sandbox.js';
import { serve } from '../../helpers/http-server.js';

async function refused(entries: ZipEntrySpec[] | Buffer, code: string, limits: Limits = {}, deps: ArchiveFetcherDeps = {}): Promise<Checkout> {
  const bytes = Buffer.isBuffer(entries) ? entries : buildZip(entries);
  const sb = sandbox();
  const server = await serve({ '/evil.zip': { body: bytes } });
  try {
    const source = sb.source(`${server.url}/evil.zip`, sri('sha256', bytes));
    const co = await createArchiveFetcher(deps)(source, sb.ctx({ defaults: limits }));
    assert.is(co.status, 'failed', co.message);
    assert.is(co.code, code, co.message);
    sb.assertNothingHappened(source);
    return co;
  } finally {
    await server.close();
    sb.cleanup();
  }
}

test('a zip entry named ../ is refused', async () => {
  const co = await refused([{ name: 'ok', data: 'x' }, { name: '../../../../canary/pwned', data: 'x' }], 'WEFT_E_ARCHIVE_UNSAFE');
  assert.match(co.message!, '../../../../canary/pwned');
});

test('absolute and backslash-traversal zip names are refused', async () => {
  const co = await refused(
    [
      { name: '/tmp/weft-zip-pwned', data: 'x' },
      { name: '..\\..\\canary\\pwned', data: 'x' },
      { name: 'C:\\pwned', data: 'x' },
    ],
    'WEFT_E_ARCHIVE_UNSAFE',
  );
  assert.match(co.message!, 'refused 3 unsafe entries');
});

test('symlinks, FIFOs and devices in Unix external attributes are refused', async () => {
  const co = await refused(
    [
      { name: 'link', data: '/etc/passwd', unixMode: 0o120777 },
      { name: 'fifo', unixMode: 0o010644 },
      { name: 'dev', unixMode: 0o020644 },
    ],
    'WEFT_E_ARCHIVE_UNSAFE',
  );
  for (const n of ['"link" (symlink)', '"fifo" (fifo)', '"dev" (device)']) assert.match(co.message!, n);
});

test('two entries with the same name are refused', async () => {
  await refused([{ name: 'a', data: '1' }, { name: 'a', data: '2' }], 'WEFT_E_ARCHIVE_UNSAFE');
});

test('a file and a directory of the same name are refused as unsafe, not as a corrupt zip', async () => {
  const co = await refused([{ name: 'a', data: 'x' }, { name: 'a/b', data: 'y' }], 'WEFT_E_ARCHIVE_UNSAFE');
  assert.match(co.message!, '"a/b" (inside "a", which the archive also has as a file)');
  const dir = await refused([{ name: 'a/b', data: 'y' }, { name: 'a', data: 'x' }], 'WEFT_E_ARCHIVE_UNSAFE');
  assert.match(dir.message!, '"a" (the archive also has a directory of that name)');
});

test('names colliding after case folding are refused', async () => {
  await refused([{ name: 'Makefile', data: '1' }, { name: 'makefile', data: '2' }], 'WEFT_E_ARCHIVE_UNSAFE');
});

test('a zip bomb over the extracted-bytes cap fails before writing anything', async () => {
  const entries = Array.from({ length: 4 }, (_, i) => ({ name: `z${i}`, data: Buffer.alloc(16 << 20) }));
  await refused(entries, 'WEFT_E_ARCHIVE_LIMIT', { maxExtractedBytes: 8 << 20 });
});

test('a zip whose data is larger than its declared size is cut off', async () => {
  await refused([{ name: 'liar', data: Buffer.alloc(8 << 20), size: 10 }], 'WEFT_E_ARCHIVE_CORRUPT');
});

test('a zip expanding past the ratio limit fails', async () => {
  await refused([{ name: 'zeros', data: Buffer.alloc(16 << 20) }], 'WEFT_E_ARCHIVE_LIMIT', {}, { maxCompressionRatio: 50 });
});

test('zip64 archives are refused clearly', async () => {
  const zip = buildZip([{ name: 'a', data: 'x' }]);
  zip.writeUInt16LE(0xffff, zip.length - 22 + 10);
  const co = await refused(zip, 'WEFT_E_ARCHIVE_UNSUPPORTED');
  assert.match(co.message!, 'zip64');
});

test('a truncated zip fails as corrupt', async () => {
  const zip = buildZip([{ name: 'a', data: Buffer.alloc(100_000, 1), method: 0 }]);
  await refused(zip.subarray(0, 50_000), 'WEFT_E_ARCHIVE_CORRUPT');
});

test('a corrupted CRC fails as corrupt', async () => {
  const zip = buildZip([{ name: 'a', data: 'hello', method: 0 }]);
  zip[30 + 1] ^= 0xff; // first data byte, after the 30-byte local header and the 1-byte name
  await refused(zip, 'WEFT_E_ARCHIVE_CORRUPT');
});

test.run();
