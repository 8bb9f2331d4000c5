// Downloads against a real loopback server that misbehaves on purpose.
import { createHash, randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createArchiveFetcher, type ArchiveFetcherDeps } from '../../../src/fetch/archive/index.js';
import { nextHop, firstHop } from '../../../src/fetch/http/redirect.js';
import { retryAfterMs } from '../../../src/fetch/http/retry.js';
import type { Checkout } from '../../../src/types.js';
import { buildTar, gzip } from '../../helpers/archive-builder.js';
import { sandbox, sri, type Limits, type Sandbox } from '../../helpers/archive-sandbox.js';
import { serve, startProxy, type Behaviour, type TestServer } from '../../helpers/http-server.js';
import { selfSignedCert } from '../../helpers/http-tls.js';
import { tempDir } from '../../helpers/tmp.js';

// Incompressible, so that byte counts (caps, stalls) apply to the wire as written.
const bytes = gzip(buildTar([{ name: 'a.txt', data: randomBytes(100_000) }, { name: 'b.txt', data: 'b' }]));
const good = sri('sha256', bytes);
const ok: Behaviour = { body: bytes };

interface Opts {
  limits?: Limits;
  env?: NodeJS.ProcessEnv;
  deps?: ArchiveFetcherDeps;
  integrity?: string;
  path?: string;
}

async function run(server: TestServer, opts: Opts = {}): Promise<{ co: Checkout; sb: Sandbox }> {
  const sb = sandbox();
  const source = sb.source(`${server.url}${opts.path ?? '/a.tgz'}`, opts.integrity ?? good);
  const co = await createArchiveFetcher(opts.deps)(source, sb.ctx({ defaults: opts.limits, env: opts.env ?? {} }));
  return { co, sb };
}

async function expectOk(routes: Record<string, Behaviour | Behaviour[]>, hits: number, opts: Opts = {}): Promise<void> {
  const server = await serve(routes);
  const { co, sb } = await run(server, opts);
  try {
    assert.is(co.status, 'cloned', co.message);
    assert.is(server.count(opts.path ?? '/a.tgz'), hits);
  } finally {
    await server.close();
    sb.cleanup();
  }
}

async function expectFail(routes: Record<string, Behaviour | Behaviour[]>, code: string, hits: number, opts: Opts = {}): Promise<Checkout> {
  const server = await serve(routes);
  const { co, sb } = await run(server, opts);
  try {
    assert.is(co.status, 'failed', co.message);
    assert.is(co.code, code, co.message);
    assert.is(server.count(opts.path ?? '/a.tgz'), hits, 'request count');
    sb.assertNothingHappened();
    return co;
  } finally {
    await server.close();
    sb.cleanup();
  }
}

test('a reset connection is retried', () => expectOk({ '/a.tgz': [{ reset: true }, ok] }, 2));

test('a 500 is retried and the next answer used', () => expectOk({ '/a.tgz': [{ status: 500 }, { status: 503 }, ok] }, 3));

test('a 404 is not retried', async () => {
  await expectFail({}, 'WEFT_E_DOWNLOAD_HTTP', 1);
});

test('a 403 is not retried', async () => {
  await expectFail({ '/a.tgz': { status: 403 } }, 'WEFT_E_DOWNLOAD_HTTP', 1);
});

// A rate limit says how long to wait: retrying sooner only earns another 429.
test('a 429 with Retry-After is retried no sooner than the server asked', async () => {
  const slow: Behaviour = { body: Buffer.from('slow down'), status: 429, headers: { 'retry-after': '1' } };
  const server = await serve({ '/a.tgz': [slow, ok] });
  const { co, sb } = await run(server);
  try {
    assert.is(co.status, 'cloned', co.message);
    assert.is(server.count('/a.tgz'), 2);
    const [first, second] = server.requests.map((r) => r.at);
    // A lower bound only: what the server asked for, never how fast weft was.
    assert.ok(second! - first! >= 950, `retried after ${second! - first!} ms, the server asked for 1 s`);
  } finally {
    await server.close();
    sb.cleanup();
  }
});

test('a Retry-After longer than weft will wait fails at once, saying how long the server asked for', async () => {
  const slow: Behaviour = { body: Buffer.from('slow down'), status: 429, headers: { 'retry-after': '3600' } };
  const co = await expectFail({ '/a.tgz': slow }, 'WEFT_E_DOWNLOAD_HTTP', 1);
  assert.match(co.message!, 'HTTP 429');
  assert.match(co.message!, 'retry after 3600 s');
});

test('Retry-After is read as seconds or as an HTTP date', () => {
  const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
  assert.is(retryAfterMs('120', now), 120_000);
  assert.is(retryAfterMs('Wed, 21 Oct 2015 07:28:30 GMT', now), 30_000);
  assert.is(retryAfterMs('Wed, 21 Oct 2015 07:00:00 GMT', now), 0);
  assert.is(retryAfterMs('soon', now), undefined);
  assert.is(retryAfterMs(undefined, now), undefined);
});

test('persistent 5xx gives up after the configured retries', async () => {
  await expectFail({ '/a.tgz': { status: 502 } }, 'WEFT_E_DOWNLOAD_HTTP', 3, { limits: { retries: 2 } });
});

// The server really goes silent, so any limit shows it; 1.5 s leaves the healthy retry room.
const stall = { stallTimeoutMs: 1500 };

test('a download stalled mid-body is aborted and retried', () =>
  expectOk({ '/a.tgz': [{ stallAfter: 1000, body: bytes }, ok] }, 2, { limits: stall }));

test('a download that always stalls fails as stalled', async () => {
  await expectFail({ '/a.tgz': { stallAfter: 1000, body: bytes } }, 'WEFT_E_DOWNLOAD_STALLED', 2, { limits: { ...stall, retries: 1 } });
});

test('a connection closed mid-body is retried', () => expectOk({ '/a.tgz': [{ cutAfter: 1000, body: bytes }, ok] }, 2));

test('a body always cut short fails saying how much of it came, not only that the other side closed', async () => {
  const co = await expectFail({ '/a.tgz': { cutAfter: 1000, body: bytes } }, 'WEFT_E_DOWNLOAD', 2, { limits: { retries: 1 } });
  // How much was read depends on whether the close came before weft was reading: some of it, or none.
  assert.match(co.message!, new RegExp(`connection closed after (1000|0) of ${bytes.length} bytes`));
  assert.not.match(co.message!, /^[^:]*: UND_ERR_SOCKET/);
});

test('a short redirect chain is followed', () =>
  expectOk({ '/a.tgz': { status: 302, location: '/b' }, '/b': { status: 301, location: '/c.tgz' }, '/c.tgz': ok }, 1));

test('more than 10 redirects fail', async () => {
  const routes: Record<string, Behaviour> = { '/a.tgz': { status: 302, location: '/r0' } };
  for (let i = 0; i < 20; i++) routes[`/r${i}`] = { status: 307, location: `/r${i + 1}` };
  const co = await expectFail(routes, 'WEFT_E_DOWNLOAD_REDIRECT', 1);
  assert.match(co.message!, 'more than 10 redirects');
});

test('a redirect never goes from https to http, and credentials stay with their origin', () => {
  const from = firstHop('https://user:secret@example.org/a.tgz');
  assert.is(from.url.username, '');
  assert.ok(from.headers.authorization);
  assert.throws(() => nextHop(from, 'http://example.org/a.tgz', 'x'), (e: { code: string }) => e.code === 'WEFT_E_DOWNLOAD_REDIRECT');
  assert.ok(nextHop(from, '/b.tgz', 'x').headers.authorization, 'same origin keeps Authorization');
  assert.is(nextHop(from, 'https://cdn.example.net/a.tgz', 'x').headers.authorization, undefined);
  assert.throws(() => nextHop(from, 'file:///etc/passwd', 'x'));
});

test('credentials are dropped on a redirect to another origin and never shown', async () => {
  const cdn = await serve({ '/a.tgz': ok });
  const origin = await serve({ '/a.tgz': { status: 302, location: `${cdn.url}/a.tgz` } });
  const sb = sandbox();
  try {
    const source = sb.source(`${origin.url.replace('://', '://me:s3cret@')}/a.tgz`, good);
    const co = await createArchiveFetcher()(source, sb.ctx());
    assert.is(co.status, 'cloned', co.message);
    assert.ok(origin.requests[0]!.headers.authorization, 'the origin got the credentials');
    assert.is(cdn.requests[0]!.headers.authorization, undefined, 'the other origin did not');
    const missing = sb.source(`${origin.url.replace('://', '://me:s3cret@')}/nope`, sri('sha256', Buffer.from('other')), { dir: `${sb.workspace}/x` });
    const bad = await createArchiveFetcher()(missing, sb.ctx());
    assert.is(bad.code, 'WEFT_E_DOWNLOAD_HTTP');
    assert.not.match(bad.message!, 's3cret');
  } finally {
    await cdn.close();
    await origin.close();
    sb.cleanup();
  }
});

test('a wrong integrity is refetched once, then fails naming expected and actual', async () => {
  const other = gzip(buildTar([{ name: 'evil', data: 'x' }]));
  const co = await expectFail({ '/a.tgz': { body: other } }, 'WEFT_E_INTEGRITY', 2);
  assert.match(co.message!, good);
  assert.match(co.message!, sri('sha256', other));
  // Also in hex, as a manifest may write it (sha256:<hex>) and sha256sum prints it.
  assert.match(co.message!, `(sha256:${createHash('sha256').update(bytes).digest('hex')}), got`);
  assert.match(co.message!, `(sha256:${createHash('sha256').update(other).digest('hex')})`);
});

test('a wrong download followed by the right one succeeds', () =>
  expectOk({ '/a.tgz': [{ body: gzip(buildTar([{ name: 'evil', data: 'x' }])) }, ok] }, 2));

test('a Content-Length over the cap is refused before downloading', async () => {
  const co = await expectFail({ '/a.tgz': ok }, 'WEFT_E_DOWNLOAD_TOO_LARGE', 1, { limits: { maxArchiveBytes: 1000 } });
  assert.match(co.hint!, 'built-in limit');
});

test('a body over the cap without Content-Length is cut off', async () => {
  await expectFail({ '/a.tgz': { body: bytes, omitLength: true } }, 'WEFT_E_DOWNLOAD_TOO_LARGE', 1, { limits: { maxArchiveBytes: 1000 } });
});

test('HTTP_PROXY from the context environment is used', async () => {
  const proxy = await startProxy();
  try {
    await expectOk({ '/a.tgz': ok }, 1, { env: { HTTP_PROXY: proxy.url } });
    assert.is(proxy.seen.length, 1);
    assert.match(proxy.seen[0]!, /^http:\/\/127\.0\.0\.1:\d+\/a\.tgz$/);
  } finally {
    await proxy.close();
  }
});

test('NO_PROXY bypasses the proxy', async () => {
  const proxy = await startProxy();
  try {
    await expectOk({ '/a.tgz': ok }, 1, { env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' } });
    assert.is(proxy.seen.length, 0);
  } finally {
    await proxy.close();
  }
});

test('HTTPS_PROXY tunnels https downloads, and an https→http redirect is refused', async () => {
  const tmp = tempDir();
  const tls = selfSignedCert(tmp.dir);
  const plain = await serve({ '/a.tgz': ok });
  const server = await serve({ '/a.tgz': ok, '/down': { status: 302, location: `${plain.url}/a.tgz` } }, { tls });
  const proxy = await startProxy();
  try {
    const deps = { ca: tls.cert };
    const { co, sb } = await run(server, { env: { HTTPS_PROXY: proxy.url }, deps });
    sb.cleanup();
    assert.is(co.status, 'cloned', co.message);
    assert.equal(proxy.seen, [`CONNECT ${new URL(server.url).host}`]);

    const down = await run(server, { deps, path: '/down' });
    try {
      assert.is(down.co.code, 'WEFT_E_DOWNLOAD_REDIRECT', down.co.message);
      assert.is(plain.count('/a.tgz'), 0);
      down.sb.assertNothingHappened();
    } finally {
      down.sb.cleanup();
    }
  } finally {
    await proxy.close();
    await server.close();
    await plain.close();
    tmp.cleanup();
  }
});

test.run();
