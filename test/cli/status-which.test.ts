import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { statusWorkspace } from '../helpers/status-workspace.js';

test('weft which lists each source with its branch and directory, and prints one directory for a NAME', async () => {
  const w = await statusWorkspace(['alpha', 'beta']);
  try {
    const all = await w.run('which');
    assert.is(all.code, 0, all.stderr);
    const lines = all.stdout.trimEnd().split('\n');
    assert.equal(lines, [`alpha  main  ${join(w.ws, 'alpha')}`, `beta   main  ${join(w.ws, 'beta')}`]);
    const one = await w.run('which', 'beta');
    assert.is(one.code, 0);
    assert.is(one.stdout, join(w.ws, 'beta') + '\n');
  } finally {
    w.cleanup();
  }
});

test('weft which with an unknown name is a usage error that suggests the close one', async () => {
  const w = await statusWorkspace(['alpha']);
  try {
    const r = await w.run('which', 'alpah');
    assert.is(r.code, 2);
    assert.is(r.stdout, '');
    assert.match(r.stderr, /WEFT_E_USAGE_SOURCE/);
    assert.match(r.stderr, /did you mean "alpha"/);
  } finally {
    w.cleanup();
  }
});

test.run();
