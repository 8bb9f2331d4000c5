import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendFileSync, existsSync, mkdirSync, readFileSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

function workspace() {
  const t = tempDir('weft-trust-');
  const ws = join(t.dir, 'ws');
  mkdirSync(join(ws, 'lib'), { recursive: true });
  writeFileSync(join(ws, 'weft.yaml'), 'include: [./base.weft.yaml]\nsources:\n  mylib:\n    local: lib\n');
  writeFileSync(join(ws, 'base.weft.yaml'), 'env:\n  DEMO: one\n');
  const env = isolatedEnv(t.dir);
  const run = (...args: string[]) => weft(args, { cwd: ws, env });
  return { ...t, ws, env, run };
}

test('a workspace is untrusted until weft trust, then trusted', async () => {
  const w = workspace();
  try {
    const before = await w.run('trust', '--status');
    assert.is(before.code, 1);
    assert.match(before.stdout, 'not trusted');
    const rec = await w.run('trust');
    assert.is(rec.code, 0, rec.stderr);
    const after = await w.run('trust', '--status');
    assert.is(after.code, 0, after.stderr);
    assert.match(after.stdout, /^trusted: /);
  } finally {
    w.cleanup();
  }
});

test('the record lives in XDG_CONFIG_HOME/weft/trust.json, readable only by the user, keyed by the manifest realpath', async () => {
  const w = workspace();
  try {
    await w.run('trust');
    const file = join(w.env['XDG_CONFIG_HOME']!, 'weft', 'trust.json');
    assert.ok(existsSync(file));
    assert.is(statSync(file).mode & 0o777, 0o600);
    const data = JSON.parse(readFileSync(file, 'utf8'));
    const entry = data.workspaces[join(w.ws, 'weft.yaml')];
    assert.ok(entry, 'keyed by manifest path');
    assert.equal(Object.keys(entry.files).sort(), [join(w.ws, 'base.weft.yaml'), join(w.ws, 'weft.yaml')]);
  } finally {
    w.cleanup();
  }
});

test('a workspace reached through a symlinked path is the same workspace: trusted one way, trusted the other, as the hook asks with -C "$PWD"', async () => {
  const w = workspace();
  try {
    const link = join(w.dir, 'link');
    symlinkSync(w.ws, link);
    assert.is((await w.run('trust')).code, 0);
    const viaLink = await weft(['-C', link, 'trust', '--status'], { cwd: w.dir, env: w.env });
    assert.is(viaLink.code, 0, viaLink.stdout);
    assert.is((await weft(['-C', link, 'trust', '--revoke'], { cwd: w.dir, env: w.env })).code, 0);
    assert.is((await weft(['-C', link, 'trust'], { cwd: w.dir, env: w.env })).code, 0);
    const direct = await w.run('trust', '--status');
    assert.is(direct.code, 0, direct.stdout);
    // An edit is seen whichever way it is reached.
    appendFileSync(join(link, 'base.weft.yaml'), '# edited\n');
    assert.is((await weft(['-C', link, 'trust', '--status'], { cwd: w.dir, env: w.env })).code, 1);
    assert.is((await w.run('trust', '--status')).code, 1);
  } finally {
    w.cleanup();
  }
});

test('editing the manifest revokes trust and --status names the file', async () => {
  const w = workspace();
  try {
    await w.run('trust');
    appendFileSync(join(w.ws, 'weft.yaml'), '# edited\n');
    const s = await w.run('trust', '--status');
    assert.is(s.code, 1);
    assert.match(s.stdout, join(w.ws, 'weft.yaml'));
    assert.not.match(s.stdout, 'base.weft.yaml');
  } finally {
    w.cleanup();
  }
});

test('editing an included file revokes trust', async () => {
  const w = workspace();
  try {
    await w.run('trust');
    writeFileSync(join(w.ws, 'base.weft.yaml'), 'env:\n  DEMO: two\n');
    const s = await w.run('trust', '--status');
    assert.is(s.code, 1);
    assert.match(s.stdout, join(w.ws, 'base.weft.yaml'));
  } finally {
    w.cleanup();
  }
});

test('adding a weft.local.yaml after trusting revokes trust', async () => {
  const w = workspace();
  try {
    await w.run('trust');
    writeFileSync(join(w.ws, 'weft.local.yaml'), 'sources:\n  mylib:\n    local: lib\n');
    const s = await w.run('trust', '--status');
    assert.is(s.code, 1, s.stdout + s.stderr);
    assert.match(s.stdout, 'weft.local.yaml');
    await w.run('trust');
    assert.is((await w.run('trust', '--status')).code, 0);
  } finally {
    w.cleanup();
  }
});

test('weft trust --revoke forgets the workspace', async () => {
  const w = workspace();
  try {
    await w.run('trust');
    const r = await w.run('trust', '--revoke');
    assert.is(r.code, 0, r.stderr);
    assert.is((await w.run('trust', '--status')).code, 1);
  } finally {
    w.cleanup();
  }
});

test('weft trust --json says what it did as data: the files trusted, then whether --revoke had anything to forget', async () => {
  const w = workspace();
  try {
    const manifest = join(realpathSync(w.ws), 'weft.yaml');
    const rec = await w.run('trust', '--json');
    assert.is(rec.code, 0, rec.stderr);
    assert.equal(JSON.parse(rec.stdout), { manifest, trusted: true, files: [manifest, join(realpathSync(w.ws), 'base.weft.yaml')] });
    assert.equal(JSON.parse((await w.run('trust', '--revoke', '--json')).stdout), { manifest, trusted: false, revoked: true });
    assert.equal(JSON.parse((await w.run('trust', '--revoke', '--json')).stdout), { manifest, trusted: false, revoked: false });
  } finally {
    w.cleanup();
  }
});

test('weft trust --revoke works on a manifest that no longer loads (its YAML broken since it was trusted)', async () => {
  const w = workspace();
  try {
    assert.is((await w.run('trust')).code, 0);
    appendFileSync(join(w.ws, 'weft.yaml'), 'env: [unclosed\n');
    const r = await w.run('trust', '--revoke');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, /^revoked trust for .*weft\.yaml$/m);
    writeFileSync(join(w.ws, 'weft.yaml'), 'include: [./base.weft.yaml]\nsources:\n  mylib:\n    local: lib\n');
    const after = await w.run('trust', '--status');
    assert.is(after.code, 1);
    assert.match(after.stdout, /^not trusted: .*\n  run "weft trust" to trust it/);
  } finally {
    w.cleanup();
  }
});

test('--status --quiet prints nothing and only answers with the exit code', async () => {
  const w = workspace();
  try {
    const s = await w.run('trust', '--status', '--quiet');
    assert.is(s.code, 1);
    assert.is(s.stdout, '');
  } finally {
    w.cleanup();
  }
});

test('--status of a manifest given by --manifest says the command that trusts that manifest, and it does', async () => {
  const w = workspace();
  try {
    const other = join(w.ws, 'other.yaml');
    writeFileSync(other, 'sources:\n  mylib:\n    local: lib\n');
    const status = () => weft(['--manifest', 'ws/other.yaml', 'trust', '--status'], { cwd: w.dir, env: w.env });
    const before = await status();
    assert.is(before.code, 1);
    assert.match(before.stdout, `run "weft --manifest '${other}' trust" to trust it`);
    assert.is((await weft(['--manifest', other, 'trust'], { cwd: w.dir, env: w.env })).code, 0);
    appendFileSync(other, '# edited\n');
    assert.match((await status()).stdout, `run "weft --manifest '${other}' trust" again after checking the changes`);
    // In the workspace, for its weft.yaml: the short form.
    assert.match((await w.run('trust', '--status')).stdout, 'run "weft trust" to trust it');
  } finally {
    w.cleanup();
  }
});

test('a corrupt trust file is a config error, not trust', async () => {
  const w = workspace();
  try {
    const file = join(w.env['XDG_CONFIG_HOME']!, 'weft', 'trust.json');
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '{not json');
    const s = await w.run('trust', '--status');
    assert.is(s.code, 2);
    assert.match(s.stderr, 'WEFT_E_CONFIG_TRUST');
    assert.is(readFileSync(file, 'utf8'), '{not json');
  } finally {
    w.cleanup();
  }
});

test.run();
