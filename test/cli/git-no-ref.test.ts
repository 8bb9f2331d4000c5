// A ref upstream does not have is one failure, WEFT_E_GIT_NO_REF, pointing at the `ref:` in
// the manifest, whether `weft lock` (git ls-remote) or `weft up` (the cache's mirror) meets it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { weft, isolatedEnv } from '../helpers/cli.js';
import { gitSandbox, makeUpstream } from '../helpers/git-repo.js';

test('a branch upstream does not have: weft lock and weft up both say WEFT_E_GIT_NO_REF at the ref in weft.yaml, with a hint', async () => {
  const sb = gitSandbox();
  try {
    const a = makeUpstream(sb, 'alpha');
    const b = makeUpstream(sb, 'beta');
    b.checkout('release-1.0', true);
    b.checkout('main');
    const env = isolatedEnv(sb.root);
    // beta's ref value is at weft.yaml:9:10.
    writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\n# two sources\nsources:\n  alpha:\n    git: ${a.dir}\n    ref: main\n  beta:\n    git: ${b.dir}\n    ref: release-1.1\n`);
    for (const args of [['lock'], ['up'], ['lock', '--json'], ['up', '--json']]) {
      const cmd = args.join(' ');
      const r = await weft(args, { cwd: sb.workspace, env });
      assert.is(r.code, 1, `${cmd}: ${r.stderr}`);
      const out = r.stdout + r.stderr;
      assert.match(out, 'WEFT_E_GIT_NO_REF', `${cmd}:\n${out}`);
      assert.not.match(out, 'WEFT_E_GIT_REF_NOT_FOUND', cmd);
      assert.match(out, 'release-1.1', cmd);
      assert.match(out, 'release-1.0', `${cmd} suggests the close branch:\n${out}`);
      assert.match(out, `git ls-remote --heads --tags ${b.dir}`, `${cmd} says how to list them:\n${out}`);
      if (args.includes('--json')) {
        const data = JSON.parse(r.stdout) as { errors?: { code: string; file: string; line: number; col: number }[]; checkouts?: { name: string; code?: string; loc?: { file: string; line: number; col: number } }[] };
        const where = data.errors?.[0] ?? data.checkouts?.find((c) => c.name === 'beta')?.loc;
        assert.equal(where && [where.file, where.line, where.col], [join(sb.workspace, 'weft.yaml'), 9, 10], `${cmd}:\n${r.stdout}`);
      } else {
        assert.match(out, 'weft.yaml:9:10', `${cmd}:\n${out}`);
      }
    }
  } finally {
    sb.cleanup();
  }
});

test('a branch named by a weft.local.yaml override is pointed at there', async () => {
  const sb = gitSandbox();
  try {
    const a = makeUpstream(sb, 'alpha');
    const env = isolatedEnv(sb.root);
    writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  alpha:\n    git: ${a.dir}\n    ref: main\n`);
    writeFileSync(join(sb.workspace, 'weft.local.yaml'), 'sources:\n  alpha:\n    ref: mian\n');
    const r = await weft(['up'], { cwd: sb.workspace, env });
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stdout + r.stderr, 'weft.local.yaml:3:10');
    assert.match(r.stdout + r.stderr, 'did you mean "main"');
  } finally {
    sb.cleanup();
  }
});

test('an abbreviated commit: weft lock resolves it in the cache, as weft up does, and says how to fix it when the cache has none', async () => {
  const sb = gitSandbox();
  try {
    const a = makeUpstream(sb, 'alpha');
    const first = a.rev('HEAD');
    a.commit('later', { 'later.txt': 'later\n' });
    const env = isolatedEnv(sb.root);
    const short = first.slice(0, 9);
    writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  alpha:\n    git: ${a.dir}\n    ref: ${short}\n`);
    // No mirror yet: the remote knows no such name; the error says what to do instead.
    const none = await weft(['lock'], { cwd: sb.workspace, env });
    assert.is(none.code, 1, none.stderr);
    assert.match(none.stderr, 'WEFT_E_GIT_NO_REF');
    assert.match(none.stderr, 'weft.yaml:5:10');
    assert.match(none.stderr, `git rev-parse ${short}`);
    const up = await weft(['up'], { cwd: sb.workspace, env });
    assert.is(up.code, 0, up.stderr);
    assert.match(readFileSync(join(sb.workspace, 'weft.lock'), 'utf8'), `commit: ${first}`);
    // With the mirror weft up made, weft lock gives the same answer.
    rmSync(join(sb.workspace, 'weft.lock'));
    const again = await weft(['lock'], { cwd: sb.workspace, env });
    assert.is(again.code, 0, again.stderr);
    assert.match(readFileSync(join(sb.workspace, 'weft.lock'), 'utf8'), `commit: ${first}`);
  } finally {
    sb.cleanup();
  }
});

test('a remote weft lock cannot reach is pointed at by its git: line', async () => {
  const sb = gitSandbox();
  try {
    const env = isolatedEnv(sb.root);
    writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  gone:\n    git: ${join(sb.root, 'no-such-repo')}\n    ref: main\n`);
    const r = await weft(['lock'], { cwd: sb.workspace, env });
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, 'WEFT_E_GIT_LS_REMOTE');
    assert.match(r.stderr, 'weft.yaml:4:5');
    assert.match(r.stderr, /failed: .*no-such-repo.* does not appear to be a git repository/, 'git\'s own reason, not the tail of its last sentence');
  } finally {
    sb.cleanup();
  }
});

test.run();
