import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRequires, parseRange, parseToolVersion, probeTools, requiresError, satisfies } from '../../src/resolve/index.js';
import type { Version } from '../../src/resolve/version-range.js';
import { checkRange } from '../../src/resolve/requires.js';
import { weft, isolatedEnv } from '../helpers/cli.js';
import { gitSandbox, makeUpstream } from '../helpers/git-repo.js';
import { tempDir } from '../helpers/tmp.js';

const v = (s: string): Version => parseToolVersion(s)!;
const ok = (version: string, range: string): boolean => satisfies(v(version), parseRange(range)!);

test('the version of a tool is the first x.y[.z] in what --version prints', () => {
  assert.equal(parseToolVersion('git version 2.39.2\n'), [2, 39, 2]);
  assert.equal(parseToolVersion('Python 3.11.2'), [3, 11, 2]);
  assert.equal(parseToolVersion('v20.20.2'), [20, 20, 2]);
  assert.equal(parseToolVersion('GNU bash, version 5.2.15(1)-release'), [5, 2, 15]);
  assert.equal(parseToolVersion('tmux 3.3'), [3, 3, 0]);
  assert.is(parseToolVersion('no numbers here'), undefined);
});

test('comparators, partial versions, caret, tilde, AND and || mean what they mean in npm', () => {
  assert.ok(ok('2.30.0', '>=2.30'));
  assert.not.ok(ok('2.29.9', '>=2.30'));
  assert.ok(ok('2.39.2', '>=2.30'), '2.39 is above 2.30: parts compare as numbers');
  assert.not.ok(ok('1.2.9', '>1.2'));
  assert.ok(ok('1.3.0', '>1.2'));
  assert.ok(ok('1.2.9', '<=1.2'));
  assert.not.ok(ok('1.3.0', '<=1.2'));
  assert.not.ok(ok('4.0.0', '>=3.9 <4'));
  assert.ok(ok('3.12.1', '>=3.9 <4'));
  assert.ok(ok('1.9.0', '^1.2'));
  assert.not.ok(ok('2.0.0', '^1.2'));
  assert.not.ok(ok('0.3.0', '^0.2.3'));
  assert.ok(ok('0.2.9', '^0.2.3'));
  assert.ok(ok('1.2.9', '~1.2.3'));
  assert.not.ok(ok('1.3.0', '~1.2.3'));
  assert.ok(ok('1.7.0', '1.x'));
  assert.not.ok(ok('2.0.0', '1.x'));
  assert.ok(ok('5.0.0', '*'));
  assert.ok(ok('20.1.0', '=20.1.0'));
  assert.not.ok(ok('20.1.1', '=20.1.0'));
  assert.ok(ok('18.0.0', '^16 || ^18'));
  assert.not.ok(ok('17.0.0', '^16 || ^18'));
});

test('a range that is not one is refused with the part at fault', () => {
  assert.is(checkRange('>=2.30'), undefined);
  assert.match(checkRange('>= 2.30')!, '`>=`');
  assert.match(checkRange('>=2.30 ||')!, 'empty alternative');
  assert.match(checkRange('latest')!, '`latest`');
});

test('installed tools are checked with their real --version; missing and too old ones are listed together', async () => {
  const { dir, cleanup } = tempDir('weft-req-');
  try {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'oldtool'), '#!/bin/sh\necho "oldtool version 1.4.2"\n');
    chmodSync(join(bin, 'oldtool'), 0o755);
    const env = { PATH: `${bin}:${process.env.PATH}` };
    const tools = probeTools(env, join(dir, 'cache', 'tools.json'));
    const checks = await checkRequires({ git: '>=1', node: '>=18', oldtool: '>=2', 'weft-no-such-tool': '>=1' }, tools);
    const by = Object.fromEntries(checks.map((c) => [c.tool, c]));
    assert.ok(by.git!.ok, JSON.stringify(by.git));
    assert.ok(by.node!.ok);
    assert.is(by.oldtool!.ok, false);
    assert.is(by.oldtool!.version, '1.4.2');
    assert.is(by['weft-no-such-tool']!.problem, 'not found on PATH');
    const err = requiresError(checks, 'weft.yaml')!;
    assert.is(err.code, 'WEFT_E_REQUIRES');
    assert.is(err.exitCode, 1);
    assert.match(err.message, 'oldtool >=2: 1.4.2 does not match >=2');
    assert.match(err.message, 'weft-no-such-tool >=1: not found on PATH');
    assert.not.match(err.message, 'git >=1');
    tools.save();
    assert.ok(existsSync(join(dir, 'cache', 'tools.json')), 'versions of real binaries are remembered');
  } finally {
    cleanup();
  }
});

test('"*" asks only that the tool is there: one that does not answer --version (ssh, openssl) passes it, and fails a real range', async () => {
  const { dir, cleanup } = tempDir('weft-req-');
  try {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'mute'), '#!/bin/sh\necho "unknown option -- -" >&2\nexit 255\n');
    chmodSync(join(bin, 'mute'), 0o755);
    const tools = probeTools({ PATH: `${bin}:${process.env.PATH}` });
    const [any] = await checkRequires({ mute: '*' }, tools);
    assert.ok(any!.ok, JSON.stringify(any));
    assert.is(any!.path, join(bin, 'mute'));
    const [ranged] = await checkRequires({ mute: '>=1' }, tools);
    assert.is(ranged!.ok, false);
    assert.match(ranged!.problem!, 'neither `mute --version` nor `mute -V` tells its version');
    assert.match(ranged!.fix!, 'require it as "*"');
  } finally {
    cleanup();
  }
});

test('a tool that answers only -V (ssh, tmux) is checked with it', async () => {
  const { dir, cleanup } = tempDir('weft-req-');
  try {
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'vtool'), '#!/bin/sh\nif [ "$1" = -V ]; then echo "VTool_9.2p1, OtherLib 3.0.1" >&2; exit 0; fi\necho "unknown option -- -" >&2\nexit 255\n');
    chmodSync(join(bin, 'vtool'), 0o755);
    const tools = probeTools({ PATH: `${bin}:${process.env.PATH}` });
    const checks = await checkRequires({ vtool: '>=9', git: '>=1' }, tools);
    assert.ok(checks[0]!.ok, JSON.stringify(checks[0]));
    assert.is(checks[0]!.version, '9.2.0');
    assert.ok(checks[1]!.ok, 'tools answering --version are read as before');
  } finally {
    cleanup();
  }
});

test('weft up checks requires before fetching anything and fails with exit 1 naming every tool', async () => {
  const sb = gitSandbox();
  try {
    const a = makeUpstream(sb, 'a');
    writeFileSync(join(sb.workspace, 'weft.yaml'), `sources:\n  a:\n    git: ${a.dir}\nrequires:\n  git: ">=999"\n  weft-no-such-tool: ">=1"\n  node: ">=1"\n`);
    const r = await weft(['up'], { cwd: sb.workspace, env: isolatedEnv(sb.root) });
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, 'WEFT_E_REQUIRES');
    assert.match(r.stderr, 'git >=999');
    assert.match(r.stderr, 'weft-no-such-tool >=1: not found on PATH');
    assert.not.match(r.stderr, 'node >=1');
    assert.not.ok(existsSync(join(sb.workspace, 'a')), 'nothing was fetched');
    assert.not.ok(existsSync(join(sb.workspace, 'weft.lock')));
  } finally {
    sb.cleanup();
  }
});

test.run();
