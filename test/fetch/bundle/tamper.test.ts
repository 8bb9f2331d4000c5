// A damaged or tampered bundle is refused with the name of the entry that failed, exit 1,
// and nothing written: no workspace file, no checkout, no cache entry, an empty cache tmp/.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { create, extract } from 'tar';
import { buildTar } from '../../helpers/archive-builder.js';
import { isolatedEnv, weft, type WeftResult } from '../../helpers/cli.js';
import { git } from '../../helpers/git-repo.js';
import { bundleWorld, listing, type BundleWorld } from '../../helpers/bundle-world.js';

interface Index {
  entries: Record<string, { size: number; sha256: string }>;
  sources: Array<{ name: string; entry: string; commit?: string }>;
}

let w: BundleWorld;
let good: string;
let n = 0;

test.before(async () => {
  w = await bundleWorld();
  const up = await w.send('up');
  assert.is(up.code, 0, up.stderr);
  good = join(w.sb.root, 'good.weft.tar');
  const r = await w.send('bundle', '-o', good);
  assert.is(r.code, 0, r.stderr);
  await w.goOffline();
});

test.after(async () => {
  await w.cleanup();
});

/** The bundle's entries unpacked into a fresh directory, with its index parsed. */
async function unpacked(): Promise<{ dir: string; index: Index; names: string[] }> {
  const dir = join(w.sb.root, `edit-${++n}`);
  mkdirSync(dir);
  const names: string[] = [];
  await extract({ file: good, cwd: dir, onReadEntry: (e) => void names.push(e.path) });
  return { dir, index: JSON.parse(readFileSync(join(dir, 'weft-bundle.json'), 'utf8')) as Index, names };
}

function sum(file: string): { size: number; sha256: string } {
  const data = readFileSync(file);
  return { size: data.length, sha256: createHash('sha256').update(data).digest('hex') };
}

async function repack(dir: string, names: string[], index?: Index): Promise<string> {
  if (index) writeFileSync(join(dir, 'weft-bundle.json'), JSON.stringify(index));
  const out = `${dir}.tar`;
  await create({ file: out, cwd: dir, portable: true, noDirRecurse: true }, names);
  return out;
}

/** Runs `weft init --from FILE` in a fresh empty directory with a fresh cache. */
async function receiveInto(file: string): Promise<{ r: WeftResult; ws: string; cache: string }> {
  const root = join(w.sb.root, `recv-${++n}`);
  const ws = join(root, 'ws');
  mkdirSync(ws, { recursive: true });
  const env = isolatedEnv(root);
  const r = await weft(['init', '--from', file], { cwd: ws, env });
  return { r, ws, cache: env.WEFT_CACHE_DIR! };
}

function refusedNothingWritten(res: { r: WeftResult; ws: string; cache: string }, entry: string, why: RegExp): void {
  assert.is(res.r.code, 1, `${res.r.stdout}\n${res.r.stderr}`);
  assert.match(res.r.stderr, 'WEFT_E_BUNDLE_DAMAGED');
  assert.match(res.r.stderr, `entry ${entry}`);
  assert.match(res.r.stderr, why);
  assert.not.match(res.r.stderr, /\n\s+at /, 'no stack trace');
  assert.equal(listing(res.ws), [], 'nothing written into the workspace');
  for (const part of ['git', 'archives', 'archive-files', 'tmp']) assert.equal(listing(join(res.cache, part)), [], `nothing in the cache's ${part}/`);
}

test('an intact bundle is accepted (the control for every case below)', async () => {
  const { dir, names } = await unpacked();
  const res = await receiveInto(await repack(dir, names));
  assert.is(res.r.code, 0, res.r.stderr);
});

test('a changed byte in a git bundle is refused, naming the entry', async () => {
  const { dir, names } = await unpacked();
  const file = join(dir, 'git', 'app.bundle');
  const data = readFileSync(file);
  data[data.length - 30]! ^= 0xff;
  writeFileSync(file, data);
  refusedNothingWritten(await receiveInto(await repack(dir, names)), 'git/app.bundle', /checksum mismatch/);
});

test('a missing entry is refused, naming it', async () => {
  const { dir, names } = await unpacked();
  refusedNothingWritten(await receiveInto(await repack(dir, names.filter((x) => x !== 'archives/pkg'))), 'archives/pkg', /missing/);
});

test('an entry the index does not list is refused, naming it', async () => {
  const { dir, names } = await unpacked();
  writeFileSync(join(dir, 'extra.txt'), 'surprise\n');
  refusedNothingWritten(await receiveInto(await repack(dir, [...names, 'extra.txt'])), 'extra.txt', /not listed/);
});

test('a path that climbs out of the bundle is refused, and nothing lands outside', async () => {
  const { dir, names } = await unpacked();
  const tar = buildTar([
    ...names.map((name) => ({ name, data: readFileSync(join(dir, name)) })),
    { name: '../../escaped.txt', data: 'pwned\n' },
  ]);
  const file = join(w.sb.root, `climb-${++n}.tar`);
  writeFileSync(file, tar);
  const before = listing(w.sb.root);
  const res = await receiveInto(file);
  refusedNothingWritten(res, '"../../escaped.txt"', /unsafe name/);
  assert.equal(listing(w.sb.root).filter((x) => !x.startsWith('recv-')), before.filter((x) => !x.startsWith('recv-')));
});

test('a symlink entry is refused, naming it', async () => {
  const { dir, names } = await unpacked();
  const tar = buildTar([
    ...names.map((name) => ({ name, data: readFileSync(join(dir, name)) })),
    { name: 'git/link', type: 'symlink' as const, linkname: '/etc/passwd' },
  ]);
  const file = join(w.sb.root, `link-${++n}.tar`);
  writeFileSync(file, tar);
  refusedNothingWritten(await receiveInto(file), '"git/link"', /SymbolicLink/);
});

test('a git bundle whose tip is not the locked commit is refused even when the index agrees with it', async () => {
  const { dir, names, index } = await unpacked();
  const locked = index.sources.find((s) => s.name === 'app')!.commit!;
  const upstream = join(w.sb.root, 'upstream.away', 'app');
  const older = git(w.sb, upstream, 'rev-parse', 'HEAD~1');
  const forge = join(w.sb.root, `forge-${++n}.git`);
  git(w.sb, w.sb.root, 'clone', '--quiet', '--bare', upstream, forge);
  git(w.sb, forge, 'update-ref', `refs/weft/keep/${locked}`, older);
  git(w.sb, forge, 'update-ref', 'refs/heads/main', older);
  git(w.sb, forge, 'bundle', 'create', '--quiet', join(dir, 'git', 'app.bundle'), `refs/weft/keep/${locked}`, 'refs/heads/main');
  index.entries['git/app.bundle'] = sum(join(dir, 'git', 'app.bundle'));
  refusedNothingWritten(await receiveInto(await repack(dir, names, index)), 'git/app.bundle', /locked commit/);
});

/** The app entry rebuilt from the upstream with `extra` refs besides the ones weft names. */
async function appBundleWith(extra: { head?: string; ref?: string }): Promise<string> {
  const { dir, names, index } = await unpacked();
  const locked = index.sources.find((s) => s.name === 'app')!.commit!;
  const forge = join(w.sb.root, `forge-${++n}.git`);
  git(w.sb, w.sb.root, 'clone', '--quiet', '--bare', join(w.sb.root, 'upstream.away', 'app'), forge);
  git(w.sb, forge, 'update-ref', `refs/weft/keep/${locked}`, locked);
  git(w.sb, forge, 'update-ref', 'refs/heads/main', locked);
  const refs = [`refs/weft/keep/${locked}`, 'refs/heads/main'];
  if (extra.head) {
    git(w.sb, forge, 'update-ref', '--no-deref', 'HEAD', extra.head);
    refs.push('HEAD');
  }
  if (extra.ref) refs.push(extra.ref);
  git(w.sb, forge, 'bundle', 'create', '--quiet', join(dir, 'git', 'app.bundle'), ...refs);
  index.entries['git/app.bundle'] = sum(join(dir, 'git', 'app.bundle'));
  return repack(dir, names, index);
}

test('a git bundle that also carries HEAD at the locked commit (as weft bundle made for a source on the default branch) is accepted', async () => {
  const locked = git(w.sb, join(w.sb.root, 'upstream.away', 'app'), 'rev-parse', 'main');
  const res = await receiveInto(await appBundleWith({ head: locked }));
  assert.is(res.r.code, 0, res.r.stderr);
  assert.is(git(w.sb, join(res.ws, 'app'), 'rev-parse', 'HEAD'), locked);
  assert.is(git(w.sb, join(res.ws, 'app'), 'symbolic-ref', 'HEAD'), 'refs/heads/main');
});

test('a git bundle whose HEAD is another commit than the locked one is refused, naming the ref', async () => {
  const older = git(w.sb, join(w.sb.root, 'upstream.away', 'app'), 'rev-parse', 'main~1');
  refusedNothingWritten(await receiveInto(await appBundleWith({ head: older })), 'git/app.bundle', /unexpected ref HEAD/);
});

test('a git bundle with a ref weft did not ask for is refused, naming the ref', async () => {
  refusedNothingWritten(await receiveInto(await appBundleWith({ ref: 'refs/heads/dev' })), 'git/app.bundle', /unexpected ref refs\/heads\/dev/);
});

test('an archive whose bytes do not match the locked integrity is refused even when the index agrees with it', async () => {
  const { dir, names, index } = await unpacked();
  writeFileSync(join(dir, 'archives', 'pkg'), 'not the archive\n');
  index.entries['archives/pkg'] = sum(join(dir, 'archives', 'pkg'));
  refusedNothingWritten(await receiveInto(await repack(dir, names, index)), 'archives/pkg', /integrity mismatch/);
});

test('a file that is not a bundle is refused', async () => {
  const file = join(w.sb.root, `junk-${++n}.tar`);
  writeFileSync(file, buildTar([{ name: 'hello.txt', data: 'hi\n' }]));
  const root = join(w.sb.root, `recv-${++n}`);
  mkdirSync(join(root, 'ws'), { recursive: true });
  const env = isolatedEnv(root);
  const r = await weft(['up', '--from', file], { cwd: join(root, 'ws'), env });
  assert.is(r.code, 1, r.stderr);
  assert.match(r.stderr, 'entry weft-bundle.json');
  assert.equal(readdirSync(join(root, 'ws')), []);
});

test('weft init --from a .weft file that is empty, cut short or a web page is refused as a damaged bundle (not as a file of unknown kind to convert), and nothing is written', async () => {
  const cases: Array<[string, Buffer | string]> = [
    ['empty', Buffer.alloc(0)],
    ['cut short', readFileSync(good).subarray(0, 300)],
    ['a web page', '<!doctype html>\n<title>502 Bad Gateway</title>\n'],
  ];
  for (const [what, data] of cases) {
    const file = join(w.sb.root, `sprint-${++n}.weft`);
    writeFileSync(file, data);
    const res = await receiveInto(file);
    const msg = `${what}: ${res.r.stderr}`;
    assert.is(res.r.code, 1, msg);
    assert.match(res.r.stderr, 'WEFT_E_BUNDLE_DAMAGED', msg);
    assert.match(res.r.stderr, file, msg);
    assert.not.match(res.r.stderr, /WEFT_E_CONVERT_FORMAT|\.repos/, msg);
    assert.equal(listing(res.ws), [], `${what}: nothing written into the workspace`);
  }
});

test.run();
