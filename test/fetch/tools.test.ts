// A source whose version-control tool is not installed fails as "not installed", with how
// to install it, and nothing is started or written for it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { whichTool } from '../../src/exec.js';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('git, svn and hg sources whose tool is not on PATH fail as not installed; the others are fetched', async () => {
  const t = tempDir('weft-tools-');
  try {
    const ws = join(t.dir, 'ws');
    mkdirSync(join(ws, 'lib'), { recursive: true });
    writeFileSync(join(ws, 'weft.yaml'), [
      'weft: 1',
      'sources:',
      '  lib:',
      '    local: ./lib',
      '  s:',
      `    svn: file://${t.dir}/no-such-svn-repo`,
      '  h:',
      `    hg: ${t.dir}/no-such-hg-repo`,
      '  g:',
      `    git: ${t.dir}/no-such-git-repo`,
      '',
    ].join('\n'));
    // A PATH with only what weft itself needs for local sources: no git, svn or hg.
    const bin = join(t.dir, 'bin');
    mkdirSync(bin);
    for (const tool of ['sh']) symlinkSync(`/bin/${tool}`, join(bin, tool));
    const env = isolatedEnv(t.dir, { PATH: bin });
    const r = await weft(['up'], { cwd: ws, env });
    assert.is(r.code, 1, r.stderr + r.stdout);
    for (const [name, pkg] of [['s', 'subversion'], ['h', 'mercurial'], ['g', 'git']] as const) {
      assert.match(r.stdout, new RegExp(`${name}\\s+failed\\s+WEFT_E_TOOL_MISSING`));
      assert.match(r.stdout, `apt install ${pkg}`);
    }
    assert.match(r.stdout, /lib\s+\S+/);
    assert.not.match(r.stdout + r.stderr, /command not found|exited with 127/);
    assert.not.ok(['s', 'h', 'g'].some((n) => existsSync(join(ws, n))), 'no checkout made');
    assert.not.ok(existsSync(join(t.dir, 'cache', 'git')), 'no cache entry made');
  } finally {
    t.cleanup();
  }
});

test('whichTool, which the check asks, finds executable files only, in PATH order', () => {
  const t = tempDir('weft-tools-');
  try {
    const a = join(t.dir, 'a');
    const b = join(t.dir, 'b');
    mkdirSync(a);
    mkdirSync(join(b, 'dirtool'), { recursive: true });
    writeFileSync(join(a, 'plain'), 'not executable');
    writeFileSync(join(b, 'tool'), '#!/bin/sh\n');
    chmodSync(join(b, 'tool'), 0o755);
    const env = { PATH: [a, b].join(':') };
    assert.ok(whichTool('tool', env) !== undefined);
    assert.not.ok(whichTool('dirtool', env) !== undefined, 'a directory is not a program');
    assert.not.ok(whichTool('missing', env) !== undefined);
    if (process.getuid?.() !== 0) assert.not.ok(whichTool('plain', env) !== undefined, 'not executable');
    assert.not.ok(whichTool('tool', { PATH: a }) !== undefined);
    assert.not.ok(whichTool('tool', {}) !== undefined);
  } finally {
    t.cleanup();
  }
});

test.run();
