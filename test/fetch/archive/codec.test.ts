// The decompression paths: streams of many MiB (cut into chunks and glued back together
// on the way to node-tar) come out byte for byte; a codec tool that is missing, fails or
// is cancelled mid-way fails clearly and leaves nothing behind in the cache.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createArchiveFetcher, type ArchiveFetcherDeps } from '../../../src/fetch/archive/index.js';
import type { Checkout } from '../../../src/types.js';
import { buildTar, bzip2, gzip, xz, type TarEntrySpec } from '../../helpers/archive-builder.js';
import { sandbox, sri, type Sandbox } from '../../helpers/archive-sandbox.js';
import { serve } from '../../helpers/http-server.js';
import { tempDir } from '../../helpers/tmp.js';

/** Deterministic bytes that neither compress to nothing nor look like a bomb. */
function noise(seed: number, size: number): Buffer {
  const b = Buffer.alloc(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    // every fourth 4 KiB block is text, so the codecs have something to squeeze
    b[i] = (i >> 12) % 4 === 0 ? 97 + ((x >>> 0) % 26) : x & 0xff;
  }
  return b;
}

const files: Array<[string, Buffer]> = [
  ['big/one.bin', noise(1, 1_500_000)],
  ['big/two.bin', noise(2, 1_100_001)],
  ['big/three.bin', noise(3, 300_000)],
  ...Array.from({ length: 120 }, (_, i): [string, Buffer] => [`small/f${i}.txt`, noise(100 + i, (i * 977) % 5000)]),
];
const tar = buildTar(files.map(([name, data]): TarEntrySpec => ({ name, data })));
// xz and bzip2 take a while on these bytes: each is made once, when a test first wants it.
const once = (make: () => Buffer): (() => Buffer) => {
  let made: Buffer | undefined;
  return () => (made ??= make());
};
const packed = { tar: () => tar, gz: once(() => gzip(tar)), xz: once(() => xz(tar)), bz2: once(() => bzip2(tar)) };

/** An executable shell script standing in for a codec tool, outside the sandbox. */
function fakeTool(name: string, body: string): { path: string; cleanup: () => void } {
  const { dir, cleanup } = tempDir('weft-codec-');
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return { path, cleanup };
}

async function fetchWith(sb: Sandbox, bytes: Buffer, name: string, deps: ArchiveFetcherDeps = {}, signal?: AbortSignal): Promise<Checkout> {
  const server = await serve({ [`/${name}`]: { body: bytes } });
  try {
    const source = sb.source(`${server.url}/${name}`, sri('sha256', bytes));
    return await createArchiveFetcher(deps)(source, sb.ctx(signal ? { signal } : {}));
  } finally {
    await server.close();
  }
}

for (const [name, pack] of [
  ['big.tar', packed.tar],
  ['big.tar.gz', packed.gz],
  ['big.tar.xz', packed.xz],
  ['big.tar.bz2', packed.bz2],
] as const) {
  test(`a ${name.slice(4)} archive of several MiB is extracted byte for byte`, async () => {
    const sb = sandbox();
    try {
      const co = await fetchWith(sb, pack(), name);
      assert.is(co.status, 'cloned', co.message);
      for (const [rel, data] of files) {
        assert.ok(readFileSync(join(sb.workspace, 'pkg', rel)).equals(data), `${rel} differs`);
      }
    } finally {
      sb.cleanup();
    }
  });
}

for (const [name, outer] of [
  ['twice.tar.gz', gzip],
  ['twice.tar.xz', xz],
] as const) {
  test(`a ${name.slice(6)} holding a gzip instead of a tar is corrupt and not inflated twice`, async () => {
    const sb = sandbox();
    try {
      const co = await fetchWith(sb, outer(gzip(buildTar([{ name: 'a.txt', data: 'a' }]))), name);
      assert.is(co.status, 'failed');
      assert.is(co.code, 'WEFT_E_ARCHIVE_CORRUPT', co.message);
      assert.match(co.message!, 'another gzip stream');
      sb.assertNothingHappened(sb.source('', ''));
    } finally {
      sb.cleanup();
    }
  });
}

test('a missing xz tool fails as WEFT_E_ARCHIVE_TOOL naming it, and nothing is written', async () => {
  const sb = sandbox();
  try {
    const missing = join(sb.root, 'no-such-xz');
    const co = await fetchWith(sb, packed.xz(), 'big.tar.xz', { tools: { xz: missing } });
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_ARCHIVE_TOOL', co.message);
    assert.match(co.message!, 'no-such-xz');
    assert.match(co.hint ?? '', 'install xz');
    sb.assertNothingHappened(sb.source('', ''));
  } finally {
    sb.cleanup();
  }
});

test('a codec that writes the whole tar but then fails is corrupt, and nothing half-written stays in the cache', async () => {
  const sb = sandbox();
  // The whole tree reaches node-tar; only the exit status says the stream was bad.
  const tool = fakeTool('failing-xz', 'xz "$@"\necho "xz: corrupt data" >&2\nexit 3');
  try {
    const co = await fetchWith(sb, packed.xz(), 'big.tar.xz', { tools: { xz: tool.path } });
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_ARCHIVE_CORRUPT', co.message);
    assert.match(co.message!, 'exited with 3');
    assert.match(co.message!, 'corrupt data');
    sb.assertNothingHappened(sb.source('', ''));
  } finally {
    sb.cleanup();
    tool.cleanup();
  }
});

test('a codec that dies mid-stream is corrupt, and nothing is written', async () => {
  const sb = sandbox();
  const tool = fakeTool('dying-bzip2', 'bzip2 "$@" | head -c 1500000\nkill -9 $$');
  try {
    const co = await fetchWith(sb, packed.bz2(), 'big.tar.bz2', { tools: { bzip2: tool.path } });
    assert.is(co.status, 'failed');
    assert.is(co.code, 'WEFT_E_ARCHIVE_CORRUPT', co.message);
    sb.assertNothingHappened(sb.source('', ''));
  } finally {
    sb.cleanup();
    tool.cleanup();
  }
});

for (const [name, pack] of [
  ['big.tar.gz', packed.gz],
  ['big.tar.xz', packed.xz],
] as const) {
  test(`a ${name.slice(4)} extraction cancelled as it starts fails as cancelled and leaves nothing`, async () => {
    const sb = sandbox();
    try {
      const ac = new AbortController();
      const bytes = pack();
      const server = await serve({ [`/${name}`]: { body: bytes } });
      let co: Checkout;
      try {
        const source = sb.source(`${server.url}/${name}`, sri('sha256', bytes));
        const ctx = sb.ctx({ signal: ac.signal });
        const report = ctx.report;
        co = await createArchiveFetcher()(source, {
          ...ctx,
          report: (e) => {
            report(e);
            if (e.phase === 'extracting') ac.abort();
          },
        });
      } finally {
        await server.close();
      }
      assert.is(co.status, 'failed');
      assert.is(co.code, 'WEFT_E_CANCELLED', co.message);
      sb.assertNothingHappened(sb.source('', ''));
    } finally {
      sb.cleanup();
    }
  });
}

test.run();
