import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseLock, renderLock, type Lock } from '../../src/resolve/index.js';
import { parseLockFast } from '../../src/resolve/lock-fast.js';
import type { WeftError } from '../../src/errors.js';

const lock: Lock = {
  version: 1,
  sources: {
    app: { type: 'git', url: 'https://h.example/app.git', ref: 'main', commit: 'a'.repeat(40), defined: 'weft.yaml' },
    'num.ref': { type: 'git', url: 'file:///srv/x.git', ref: '1.0', commit: 'b'.repeat(40), defined: 'inc/b.yaml' },
    tar: { type: 'archive', url: 'https://h.example/t.tgz', integrity: 'sha256-' + 'A'.repeat(43) + '=', defined: 'weft.yaml' },
    here: { type: 'local', defined: 'weft.yaml' },
    docs: { type: 'svn', url: 'svn://h.example/docs', ref: '1234', revision: '1234', defined: 'weft.yaml' },
    'with space': { type: 'git', url: 'https://h.example/a b.git', ref: 'true', commit: '1'.repeat(40), defined: 'weft.yaml' },
  },
};

function failure(fn: () => unknown): WeftError {
  try {
    fn();
  } catch (err) {
    return err as WeftError;
  }
  throw new Error('expected a failure');
}

test('a lock as weft writes it reads back the same, whichever parser takes it', () => {
  const text = renderLock(lock);
  assert.equal(parseLock(text, '/ws/weft.lock'), lock);
});

test('the fast reader takes a plainly written lock and leaves anything quoted or typed to the full parser', () => {
  const plain: Lock = { version: 1, sources: { app: lock.sources.app! } };
  assert.equal(parseLockFast(renderLock(plain), 1), plain);
  assert.is(parseLockFast(renderLock(lock), 1), undefined, 'quoted values (1.0, true, a space) go to the full parser');
  assert.is(parseLockFast('version: 1\nsources:\n  a:\n    type: git\n    ref: 1.0\n', 1), undefined);
  assert.is(parseLockFast('version: 1\nsources:\n  a:\n    type: git # note\n', 1), undefined);
  assert.is(parseLockFast('version: 1\r\nsources: {}\r\n', 1), undefined);
});

test('a source locked twice is an error at the second entry, not a silent pick', () => {
  const text = 'version: 1\nsources:\n  a:\n    type: local\n  a:\n    type: local\n';
  assert.is(parseLockFast(text, 1), undefined);
  const err = failure(() => parseLock(text, '/ws/weft.lock'));
  assert.is(err.code, 'WEFT_E_LOCK_SYNTAX');
  assert.is(err.loc?.line, 5);
});

test('a field given twice in one entry is an error at the second one', () => {
  const err = failure(() => parseLock('version: 1\nsources:\n  a:\n    type: local\n    type: git\n', '/ws/weft.lock'));
  assert.is(err.code, 'WEFT_E_LOCK_SYNTAX');
  assert.is(err.loc?.line, 5);
});

test.run();
