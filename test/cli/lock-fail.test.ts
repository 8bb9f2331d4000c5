// A failed `weft lock` leaves weft.lock as it was; `weft lock --json` prints JSON and only
// JSON on stdout.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { weft, isolatedEnv, type WeftResult } from '../helpers/cli.js';
import { gitSandbox, makeUpstream, type GitSandbox, type Upstream } from '../helpers/git-repo.js';

interface World {
  sb: GitSandbox;
  a: Upstream;
  b: Upstream;
  ws: string;
  run: (...args: string[]) => Promise<WeftResult>;
  manifest: (betaRef: string, alphaRef?: string) => void;
  lock: () => string;
}

function world(): World {
  const sb = gitSandbox();
  const a = makeUpstream(sb, 'alpha');
  a.checkout('dev', true);
  a.commit('dev work', { 'dev.txt': 'dev\n' });
  a.checkout('main');
  const b = makeUpstream(sb, 'beta');
  b.checkout('release-1.0', true);
  b.checkout('main');
  const env = isolatedEnv(sb.root);
  const ws = sb.workspace;
  // beta's ref value is at weft.yaml:9:10.
  const manifest = (betaRef: string, alphaRef = 'main'): void =>
    writeFileSync(join(ws, 'weft.yaml'), `weft: 1\n# two sources\nsources:\n  alpha:\n    git: ${a.dir}\n    ref: ${alphaRef}\n  beta:\n    git: ${b.dir}\n    ref: ${betaRef}\n`);
  manifest('main');
  return { sb, a, b, ws, manifest, run: (...args) => weft(args, { cwd: ws, env }), lock: () => readFileSync(join(ws, 'weft.lock'), 'utf8') };
}

/** Whatever lies beside weft.lock that a write could leave: the lock and temp files. */
const lockFiles = (ws: string): string[] => readdirSync(ws).filter((f) => f.includes('weft.lock')).sort();

function json(r: WeftResult, what: string): Record<string, unknown> {
  try {
    return JSON.parse(r.stdout) as Record<string, unknown>;
  } catch {
    assert.unreachable(`${what}: stdout is not JSON:\n${r.stdout}\n--- stderr:\n${r.stderr}`);
    throw new Error('unreachable');
  }
}

test('a weft lock that fails for one source writes nothing: the old lock stays byte-identical, and no temp file is left', async () => {
  const w = world();
  try {
    assert.is((await w.run('lock')).code, 0);
    const before = w.lock();
    // alpha's entry is stale and resolves fine: a lock written anyway would hold its new commit.
    w.manifest('no-such-branch', 'dev');
    const r = await w.run('lock');
    assert.is(r.code, 1, r.stderr);
    assert.match(r.stderr, 'beta');
    assert.not.match(r.stdout + r.stderr, 'wrote weft.lock');
    assert.is(w.lock(), before);
    assert.equal(lockFiles(w.ws), ['weft.lock']);
    // The server down: the same.
    renameSync(w.b.dir, w.b.dir + '.away');
    w.manifest('release-1.0', 'dev');
    const down = await w.run('lock');
    assert.is(down.code, 1, down.stderr);
    assert.match(down.stderr, 'WEFT_E_GIT_LS_REMOTE');
    assert.is(w.lock(), before);
    assert.equal(lockFiles(w.ws), ['weft.lock']);
  } finally {
    w.sb.cleanup();
  }
});

test('a first weft lock that fails for one source writes no weft.lock at all', async () => {
  const w = world();
  try {
    w.manifest('no-such-branch');
    const r = await w.run('lock');
    assert.is(r.code, 1, r.stderr);
    assert.not.ok(existsSync(join(w.ws, 'weft.lock')));
    assert.equal(lockFiles(w.ws), []);
  } finally {
    w.sb.cleanup();
  }
});

test('weft lock --json prints only JSON on stdout, on success, on failure, and with --check', async () => {
  const w = world();
  try {
    const wrote = await w.run('lock', '--json');
    assert.is(wrote.code, 0, wrote.stderr);
    const ok = json(wrote, 'lock --json');
    assert.is(ok['ok'], true);
    assert.is(ok['wrote'], true);
    const same = json(await w.run('lock', '--json'), 'lock --json, unchanged');
    assert.is(same['wrote'], false);
    const current = await w.run('lock', '--check', '--json');
    assert.is(current.code, 0, current.stderr);
    assert.is(json(current, 'lock --check --json').ok, true);
    w.manifest('release-1.0');
    const stale = await w.run('lock', '--check', '--json');
    assert.is(stale.code, 1, stale.stderr);
    const s = json(stale, 'lock --check --json, stale');
    assert.is(s['ok'], false);
    assert.equal((s['stale'] as { name: string }[]).map((p) => p.name), ['beta']);
    w.manifest('no-such-branch');
    const failed = await w.run('lock', '--json');
    assert.is(failed.code, 1, failed.stderr);
    const f = json(failed, 'lock --json, failed');
    assert.is(f['ok'], false);
    const [e] = f['errors'] as { code: string; message: string; file: string; line: number }[];
    assert.match(e?.message ?? '', 'beta');
    assert.is(e?.code, 'WEFT_E_GIT_NO_REF');
    assert.equal([e?.file, e?.line], [join(w.ws, 'weft.yaml'), 9]);
  } finally {
    w.sb.cleanup();
  }
});

test.run();
