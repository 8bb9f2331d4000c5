// When setup steps are due (src/shell/setup/due.ts), for the cases the end-to-end tests in
// test/shell/setup.test.ts can only meet by chance: a checkout weft deleted and made again
// may get the old directory's inode number back from the filesystem.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isDue } from '../../../src/shell/setup/due.js';
import type { SetupStep } from '../../../src/types.js';

const step = (when: SetupStep['when']): SetupStep => ({ run: 'make', when }) as SetupStep;
const stamp = { ranAt: '2026-11-26T00:00:00.000Z', dir: '/ws/a', ino: 42, revision: 'r1' };

test('the same directory, inode and revision: only "always" is due', () => {
  const now = { dir: '/ws/a', ino: 42, revision: 'r1' };
  assert.equal(['changed', 'always', 'once'].map((w) => isDue(step(w as SetupStep['when']), stamp, now)), [false, true, false]);
});

test('a checkout this run made is new even when the filesystem gave it the old inode number', () => {
  const now = { dir: '/ws/a', ino: 42, revision: 'r1', created: true };
  assert.equal(['changed', 'always', 'once'].map((w) => isDue(step(w as SetupStep['when']), stamp, now)), [true, true, true]);
});

test('another inode is another checkout; a moved revision makes "changed" due', () => {
  assert.equal(['changed', 'once'].map((w) => isDue(step(w as SetupStep['when']), stamp, { dir: '/ws/a', ino: 43, revision: 'r1' })), [true, true]);
  assert.equal(['changed', 'once'].map((w) => isDue(step(w as SetupStep['when']), stamp, { dir: '/ws/a', ino: 42, revision: 'r2' })), [true, false]);
});

test.run();
