// findManifest: --manifest, or the nearest weft.yaml / weft.yml up from the cwd.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { findManifest } from '../../src/resolve/index.js';
import { rejects, testWorkspace } from '../helpers/manifest.js';

test('the nearest manifest up the tree is found, weft.yaml before weft.yml', () => {
  const ws = testWorkspace({ 'weft.yml': 'sources: {}\n', 'a/weft.yml': 'sources: {}\n', 'a/weft.yaml': 'sources: {}\n' });
  ws.mkdir('a/b/c', 'd');
  try {
    assert.is(findManifest(join(ws.dir, 'a/b/c')), join(ws.dir, 'a/weft.yaml'));
    assert.is(findManifest(join(ws.dir, 'd')), join(ws.dir, 'weft.yml'));
  } finally {
    ws.cleanup();
  }
});

test('--manifest is taken relative to the cwd, and must exist', async () => {
  const ws = testWorkspace({ 'conf/lab.yaml': 'sources:\n  a: {git: "https://h/a.git"}\n' });
  try {
    assert.is(findManifest(ws.dir, 'conf/lab.yaml'), join(ws.dir, 'conf/lab.yaml'));
    const plan = await ws.load({ manifest: 'conf/lab.yaml' });
    assert.is(plan.workspace, join(ws.dir, 'conf'));
    const err = await rejects(async () => findManifest(ws.dir, 'nope.yaml'));
    assert.is(err.code, 'WEFT_E_MANIFEST_NOT_FOUND');
    assert.is(err.exitCode, 2);
  } finally {
    ws.cleanup();
  }
});

test('no manifest anywhere is WEFT_E_MANIFEST_NOT_FOUND with a hint to run weft init', async () => {
  const ws = testWorkspace();
  try {
    // Assumes no weft.yaml in the temp dir's ancestors (e.g. /tmp), which is what users have.
    const err = await rejects(async () => findManifest(ws.dir));
    assert.is(err.code, 'WEFT_E_MANIFEST_NOT_FOUND');
    assert.is(err.exitCode, 2);
    assert.match(err.hint!, 'weft init');
    assert.match(err.message, ws.dir);
  } finally {
    ws.cleanup();
  }
});

test.run();
