import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFilesIfChanged } from '../src/atomic.cjs';
import { tempDir } from './helpers/tmp.js';

test('writeFilesIfChanged writes new and changed files, leaves unchanged ones alone, keeps modes, leaves no temp files', async () => {
  const t = tempDir('weft-atomic-');
  try {
    writeFileSync(join(t.dir, 'same'), 'same\n');
    writeFileSync(join(t.dir, 'old'), 'old\n');
    chmodSync(join(t.dir, 'old'), 0o664);
    const sameIno = statSync(join(t.dir, 'same')).ino;
    const wrote = await writeFilesIfChanged(t.dir, [['new', 'new\n'], ['same', 'same\n'], ['old', 'changed\n']]);
    assert.equal(wrote, ['new', 'old']);
    assert.is(readFileSync(join(t.dir, 'new'), 'utf8'), 'new\n');
    assert.is(readFileSync(join(t.dir, 'old'), 'utf8'), 'changed\n');
    assert.is(statSync(join(t.dir, 'old')).mode & 0o777, 0o664, 'the existing mode is kept');
    assert.is(statSync(join(t.dir, 'new')).mode & 0o777, 0o644);
    assert.is(statSync(join(t.dir, 'same')).ino, sameIno, 'an unchanged file is not rewritten');
    assert.equal(readdirSync(t.dir).sort(), ['new', 'old', 'same']);
    assert.equal(await writeFilesIfChanged(t.dir, [['new', 'new\n'], ['old', 'changed\n']]), []);
  } finally {
    t.cleanup();
  }
});

test('writeFilesIfChanged that cannot put a file in place throws and leaves no temp file behind', async () => {
  const t = tempDir('weft-atomic-');
  try {
    // A non-empty directory where a file should go: its rename fails.
    mkdirSync(join(t.dir, 'b', 'inside'), { recursive: true });
    let failed: unknown;
    await writeFilesIfChanged(t.dir, [['a', 'a\n'], ['b', 'b\n'], ['c', 'c\n']]).catch((err: unknown) => (failed = err));
    assert.ok(failed instanceof Error, 'the error reaches the caller');
    assert.equal(readdirSync(t.dir).filter((n) => n.endsWith('.tmp')), []);
    assert.is(readFileSync(join(t.dir, 'a'), 'utf8'), 'a\n', 'files before the failure are in place');
    assert.ok(statSync(join(t.dir, 'b')).isDirectory());
  } finally {
    t.cleanup();
  }
});

test.run();
