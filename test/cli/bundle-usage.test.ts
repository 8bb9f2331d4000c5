// A directory where a bundle file belongs is a usage error (exit 2) that says so, found
// before any work: nothing written, no temporary file left beside it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listing } from '../helpers/bundle-world.js';
import { isolatedEnv, weft, type WeftResult } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

function usageError(r: WeftResult, what: RegExp): void {
  assert.is(r.code, 2, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stderr, 'error WEFT_E_USAGE');
  assert.match(r.stderr, what);
  assert.match(r.stderr, /\n {2}hint: /);
  assert.not.match(r.stderr, /internal error|EISDIR/);
}

test('weft init --from DIRECTORY is a usage error, and nothing is written', async () => {
  const t = tempDir();
  try {
    const ws = join(t.dir, 'ws');
    mkdirSync(join(t.dir, 'somedir'));
    mkdirSync(ws);
    usageError(await weft(['init', '--from', '../somedir'], { cwd: ws, env: isolatedEnv(t.dir) }), /--from \.\.\/somedir is a directory; --from reads one file/);
    assert.equal(listing(ws), []);
    assert.equal(listing(join(t.dir, 'somedir')), []);
  } finally {
    t.cleanup();
  }
});

test('weft up --from DIRECTORY says it is a directory (not that it does not exist), and nothing is written', async () => {
  const t = tempDir();
  try {
    const ws = join(t.dir, 'ws');
    mkdirSync(join(t.dir, 'somedir'));
    mkdirSync(ws);
    writeFileSync(join(ws, 'weft.yaml'), 'weft: 1\nsources: {}\n');
    usageError(await weft(['up', '--from', '../somedir'], { cwd: ws, env: isolatedEnv(t.dir) }), /--from \.\.\/somedir is a directory/);
    assert.equal(listing(ws), ['weft.yaml']);
  } finally {
    t.cleanup();
  }
});

test('weft bundle -o DIRECTORY is a usage error before anything is packed: the directory is untouched and no temporary file is left', async () => {
  const t = tempDir();
  try {
    const ws = join(t.dir, 'ws');
    const env = isolatedEnv(t.dir);
    mkdirSync(join(t.dir, 'somedir'));
    writeFileSync(join(t.dir, 'somedir', 'keep.txt'), 'mine\n');
    mkdirSync(ws);
    writeFileSync(join(ws, 'weft.yaml'), 'weft: 1\nsources: {}\n');
    assert.is((await weft(['up'], { cwd: ws, env })).code, 0);
    usageError(await weft(['bundle', '-o', '../somedir'], { cwd: ws, env }), /-o \.\.\/somedir names a directory/);
    assert.equal(listing(join(t.dir, 'somedir')), ['keep.txt']);
    assert.equal(listing(t.dir).filter((n) => n.includes('weft-tmp')), []);
    assert.equal(listing(join(env.WEFT_CACHE_DIR!, 'tmp')), []);
    usageError(await weft(['bundle', '-o', 'out/'], { cwd: ws, env }), /-o out\/ names a directory/);
    assert.not.ok(listing(ws).includes('out'));
    // A file where a directory of the path belongs.
    usageError(await weft(['bundle', '-o', '../somedir/keep.txt/deeper/x.weft'], { cwd: ws, env }), /keep\.txt is a file, so the bundle cannot be written under it/);
    assert.equal(listing(join(t.dir, 'somedir')), ['keep.txt']);
  } finally {
    t.cleanup();
  }
});

test('weft bundle -o naming the manifest, an included file or the lock is a usage error, and the file is left as it was', async () => {
  const t = tempDir();
  try {
    const ws = join(t.dir, 'ws');
    const env = isolatedEnv(t.dir);
    mkdirSync(join(ws, 'conf'), { recursive: true });
    writeFileSync(join(ws, 'weft.yaml'), 'weft: 1\ninclude: [conf/base.yaml]\nsources: {}\n');
    writeFileSync(join(ws, 'conf', 'base.yaml'), 'weft: 1\nsources: {}\n');
    assert.is((await weft(['up'], { cwd: ws, env })).code, 0);
    const before = Object.fromEntries(['weft.yaml', 'conf/base.yaml', 'weft.lock'].map((f) => [f, readFileSync(join(ws, f), 'utf8')]));
    usageError(await weft(['bundle', '-o', 'weft.yaml'], { cwd: ws, env }), /-o weft\.yaml is the workspace's manifest .*weft bundle would write over it/);
    usageError(await weft(['bundle', '-o', './conf/base.yaml'], { cwd: ws, env }), /-o \.\/conf\/base\.yaml is a file of this workspace/);
    usageError(await weft(['bundle', '-o', join(ws, 'weft.lock')], { cwd: ws, env }), /weft\.lock is a file of this workspace/);
    for (const [f, text] of Object.entries(before)) assert.is(readFileSync(join(ws, f), 'utf8'), text, f);
    assert.equal(listing(ws).filter((n) => n.includes('weft-tmp')), []);
  } finally {
    t.cleanup();
  }
});

test.run();
