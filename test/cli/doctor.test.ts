import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { buildTar, gzip } from '../helpers/archive-builder.js';
import { sri } from '../helpers/archive-sandbox.js';
import { weft, isolatedEnv, type WeftResult } from '../helpers/cli.js';
import { cutPack, gitSandbox, makeUpstream, type GitSandbox } from '../helpers/git-repo.js';
import { makeHgRepo, openHgRepo } from '../helpers/hg-repo.js';
import { tempDir } from '../helpers/tmp.js';

interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
  fix?: string;
}

function checks(r: WeftResult): Check[] {
  return (JSON.parse(r.stdout) as { checks: Check[] }).checks;
}

/** Upstreams a and b, and the sandbox's workspace manifest naming them (then `extra`). */
function twoSources(sb: GitSandbox, extra = '') {
  const a = makeUpstream(sb, 'a');
  const b = makeUpstream(sb, 'b');
  writeFileSync(join(sb.workspace, 'weft.yaml'), `sources:\n  a:\n    git: ${a.dir}\n  b:\n    git: ${b.dir}\n${extra}`);
  return { a, b, env: isolatedEnv(sb.root), ws: sb.workspace };
}

function find(list: Check[], name: string): Check {
  const c = list.find((x) => x.name === name);
  assert.ok(c, `no check named ${name} in ${list.map((x) => x.name).join(', ')}`);
  return c!;
}

test('weft doctor passes a healthy workspace and flags a dirty checkout, a checkout off its lock, and a missing one', async () => {
  const sb = gitSandbox();
  try {
    const { a, env, ws } = twoSources(sb, 'requires:\n  git: ">=2"\n');
    const up = await weft(['up'], { cwd: ws, env });
    assert.is(up.code, 0, up.stderr);
    assert.is((await weft(['trust'], { cwd: ws, env })).code, 0);
    mkdirSync(join(env.HOME!), { recursive: true });
    writeFileSync(join(env.HOME!, '.bashrc'), 'eval "$(weft hook bash)"\n');

    const good = await weft(['doctor', '--json'], { cwd: ws, env });
    assert.is(good.code, 0, good.stdout + good.stderr);
    const g = checks(good);
    for (const name of ['requires git', 'git', 'cache', 'shell hook', 'trust', 'weft.lock', 'source a', 'source b', 'locks']) {
      assert.is(find(g, name).status, 'ok', `${name}: ${find(g, name).detail}`);
    }

    a.commit('second', { 'x': '1\n' });
    spawnSync('git', ['-C', join(ws, 'a'), 'fetch', '--quiet', 'origin'], { env });
    spawnSync('git', ['-C', join(ws, 'a'), 'checkout', '--quiet', '--detach', 'origin/HEAD'], { env });
    writeFileSync(join(ws, 'a', 'README'), 'changed\n');
    spawnSync('rm', ['-rf', join(ws, 'b')]);
    const bad = await weft(['doctor', '--json'], { cwd: ws, env });
    assert.is(bad.code, 0, 'warnings alone exit 0');
    const d = checks(bad);
    const sa = find(d, 'source a');
    assert.is(sa.status, 'warn');
    assert.match(sa.detail, '1 modified');
    assert.match(sa.detail, 'weft.lock says');
    const sbk = find(d, 'source b');
    assert.is(sbk.status, 'warn');
    assert.match(sbk.detail, 'not checked out');
    assert.is(sbk.fix, 'weft up b');
  } finally {
    sb.cleanup();
  }
});

test("weft doctor fails a checkout whose pack is damaged (cut short in the cache, whose files it shares), with a fix that keeps the user's files", async () => {
  const sb = gitSandbox();
  try {
    const { a, env, ws } = twoSources(sb);
    // Packed, as a repository fetched over the network arrives.
    spawnSync('git', ['-C', a.dir, 'repack', '-a', '-d', '-q'], { env });
    assert.is((await weft(['up'], { cwd: ws, env })).code, 0);
    // A full disk or a partial restore of the cache: the checkout's pack is the same file.
    cutPack(join(ws, 'a', '.git'));
    const r = await weft(['doctor', '--json'], { cwd: ws, env });
    assert.is(r.code, 1, r.stdout + r.stderr);
    const d = checks(r);
    const sa = find(d, 'source a');
    assert.is(sa.status, 'fail');
    assert.match(sa.detail, /^a: pack pack-[0-9a-f]+\.pack does not match its index \(cut short or overwritten\): git cannot read some of its objects$/);
    assert.match(sa.fix ?? '', 'move a away (your files stay in it) and run weft up a');
    assert.match(sa.fix ?? '', 'weft cache verify --repair');
    assert.is(find(d, 'source b').status, 'ok');
  } finally {
    sb.cleanup();
  }
});

test('weft doctor -q prints only the checks that warn or fail, with their fixes, and nothing at all when every check is ok', async () => {
  const sb = gitSandbox();
  try {
    const a = makeUpstream(sb, 'a');
    const env = isolatedEnv(sb.root);
    const ws = sb.workspace;
    writeFileSync(join(ws, 'weft.yaml'), `sources:\n  a:\n    git: ${a.dir}\n`);
    assert.is((await weft(['up'], { cwd: ws, env })).code, 0);
    assert.is((await weft(['trust'], { cwd: ws, env })).code, 0);
    writeFileSync(join(env.HOME!, '.bashrc'), 'eval "$(weft hook bash)"\n');
    spawnSync('git', ['config', '--global', 'credential.helper', 'cache'], { env });
    const all = checks(await weft(['doctor', '--json'], { cwd: ws, env }));
    assert.equal(all.filter((c) => c.status !== 'ok'), [], 'every check ok');
    const quiet = await weft(['doctor', '-q'], { cwd: ws, env });
    assert.is(quiet.code, 0, quiet.stderr);
    assert.is(quiet.stdout, '');
    writeFileSync(join(ws, 'a', 'README'), 'changed\n');
    const dirty = await weft(['doctor', '-q'], { cwd: ws, env });
    assert.is(dirty.code, 0, dirty.stderr);
    const lines = dirty.stdout.trimEnd().split('\n');
    assert.match(lines[0]!, /^warn +source a +.*1 modified/);
    assert.match(lines[1]!, /fix: /);
    assert.is(lines[2], '0 failed, 1 warning');
    assert.is(lines.length, 3, dirty.stdout);
  } finally {
    sb.cleanup();
  }
});

test('weft doctor on an hg checkout off its lock counts the changesets committed there and not pushed (draft), and advises pushing them first', async () => {
  const t = tempDir('weft-doctor-hg-');
  try {
    const env = isolatedEnv(t.dir);
    const up = makeHgRepo(join(t.dir, 'up'), env);
    up.commit({ README: 'one\n' }, 'one');
    const ws = join(t.dir, 'ws');
    mkdirSync(ws);
    writeFileSync(join(ws, 'weft.yaml'), `sources:\n  lib:\n    hg: ${up.path}\n`);
    const r = await weft(['up'], { cwd: ws, env });
    assert.is(r.code, 0, r.stderr);
    openHgRepo(join(ws, 'lib'), env).commit({ 'mine.txt': 'mine\n' }, 'local work');
    const d = find(checks(await weft(['doctor', '--json'], { cwd: ws, env })), 'source lib');
    assert.is(d.status, 'warn');
    assert.match(d.detail, '1 local changeset not pushed (draft)');
    assert.match(d.fix ?? '', 'that is your work, and weft up keeps it where it is: push it, then `weft update lib`');
  } finally {
    t.cleanup();
  }
});

test("weft doctor says what work a checkout off its lock holds and never advises what would discard it", async () => {
  const sb = gitSandbox();
  try {
    const a = makeUpstream(sb, 'a');
    const env = isolatedEnv(sb.root);
    const ws = sb.workspace;
    const dir = join(ws, 'a');
    const g = (...args: string[]) => spawnSync('git', ['-C', dir, ...args], { env, encoding: 'utf8' });
    writeFileSync(join(ws, 'weft.yaml'), `sources:\n  a:\n    git: ${a.dir}\n`);
    assert.is((await weft(['up'], { cwd: ws, env })).code, 0);
    const locked = g('rev-parse', 'HEAD').stdout.trim();

    // A commit of the user's own, not pushed, and an uncommitted edit.
    writeFileSync(join(dir, 'mine'), 'work\n');
    g('add', 'mine');
    g('commit', '--quiet', '-m', 'my work');
    writeFileSync(join(dir, 'README'), 'edited\n');
    const work = find(checks(await weft(['doctor', '--json'], { cwd: ws, env })), 'source a');
    assert.is(work.status, 'warn');
    assert.match(work.detail, '1 local commit not pushed');
    assert.match(work.detail, '1 modified');
    assert.match(work.fix!, 'push');
    assert.match(work.fix!, 'weft update a');
    assert.not.match(work.fix!, /--force|reset --hard|moves it/);
    assert.is((await weft(['up'], { cwd: ws, env })).code, 0);
    assert.is.not(g('rev-parse', 'HEAD').stdout.trim(), locked, 'weft up left the work where it was');

    // Pushed since, and clean: nothing is at risk, and weft update records it, as advised.
    g('checkout', '--quiet', '--', 'README');
    const mine = g('rev-parse', 'HEAD').stdout.trim();
    spawnSync('git', ['-C', a.dir, 'config', 'receive.denyCurrentBranch', 'updateInstead'], { env });
    const branch = spawnSync('git', ['-C', a.dir, 'symbolic-ref', '--short', 'HEAD'], { env, encoding: 'utf8' }).stdout.trim();
    assert.is(g('push', '--quiet', 'origin', `HEAD:${branch}`).status, 0);
    const pushed = find(checks(await weft(['doctor', '--json'], { cwd: ws, env })), 'source a');
    assert.is(pushed.status, 'warn');
    assert.not.match(pushed.detail, 'not pushed');
    assert.match(pushed.detail, mine.slice(0, 12));
    assert.match(pushed.fix!, 'weft update a');
    assert.not.match(pushed.fix!, /--force|reset --hard|push/);
    assert.is((await weft(['update', 'a'], { cwd: ws, env })).code, 0);
    assert.is(find(checks(await weft(['doctor', '--json'], { cwd: ws, env })), 'source a').status, 'ok');
    assert.is(g('rev-parse', 'HEAD').stdout.trim(), mine);
  } finally {
    sb.cleanup();
  }
});

test('weft doctor fails (exit 1) on a missing required tool and warns of a stale lock file, an untrusted workspace and no hook', async () => {
  const { dir, cleanup } = tempDir('weft-doctor-');
  try {
    const env = isolatedEnv(dir);
    const ws = join(dir, 'ws');
    mkdirSync(join(ws, '.weft'), { recursive: true });
    writeFileSync(join(ws, 'weft.yaml'), 'sources: {}\nrequires:\n  weft-no-such-tool: ">=1.2"\n');
    const dead = spawnSync('true').pid!;
    writeFileSync(join(ws, '.weft', 'lock'), JSON.stringify({ pid: dead, host: hostname(), since: new Date().toISOString() }));
    const r = await weft(['doctor'], { cwd: ws, env });
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /FAIL\s+requires weft-no-such-tool\s+>=1.2: not found on PATH/);
    assert.match(r.stdout, /warn\s+locks\s+.*\.weft\/lock belongs to process \d+, which is gone/);
    assert.match(r.stdout, `fix: rm ${join(ws, '.weft', 'lock')}`);
    assert.match(r.stdout, /warn\s+trust\s+not trusted/);
    assert.match(r.stdout, /warn\s+shell hook\s+not installed/);
    assert.match(r.stdout, 'fix: read the manifest, then run `weft trust`');
    assert.match(r.stdout, /1 failed, \d+ warnings?/);
  } finally {
    cleanup();
  }
});

test('outside any workspace weft doctor checks only the machine and says there is no manifest', async () => {
  const { dir, cleanup } = tempDir('weft-doctor-');
  try {
    const env = isolatedEnv(dir);
    const r = await weft(['doctor', '--json'], { cwd: dir, env });
    const list = checks(r);
    assert.is(find(list, 'manifest').status, 'warn');
    assert.is(find(list, 'git').status, 'ok');
    assert.is(find(list, 'cache').status, 'ok');
    assert.not.ok(list.some((c) => c.name.startsWith('source ')));
    assert.is(r.code, 0, r.stdout);
  } finally {
    cleanup();
  }
});

test('weft doctor shows every manifest error with its file:line:col and code, as weft up does', async () => {
  const { dir, cleanup } = tempDir('weft-doctor-');
  try {
    const env = isolatedEnv(dir);
    writeFileSync(join(dir, 'weft.yaml'), 'sources:\n  a:\n    git: https://h/a.git\n    reff: main\nenv:\n  WEFT_NAME: x\n');
    const up = await weft(['up'], { cwd: dir, env });
    assert.match(up.stderr, 'weft.yaml:4:5: error WEFT_E_MANIFEST_UNKNOWN_KEY');
    const r = await weft(['doctor'], { cwd: dir, env });
    assert.is(r.code, 1);
    assert.match(r.stdout, /FAIL +manifest +weft\.yaml:4:5: WEFT_E_MANIFEST_UNKNOWN_KEY: unknown key `reff`/);
    assert.match(r.stdout, 'fix: did you mean `ref`?');
    assert.match(r.stdout, /weft\.yaml:6:3: WEFT_E_ENV_RESERVED: /);
    assert.not.match(r.stdout + r.stderr, /\n\s+at /, 'no stack trace');
    const list = checks(await weft(['doctor', '--json'], { cwd: dir, env })).filter((c) => c.name === 'manifest') as (Check & { code?: string; file?: string; line?: number; col?: number })[];
    assert.equal(list.map((c) => [c.status, c.code, c.file, c.line, c.col]), [
      ['fail', 'WEFT_E_MANIFEST_UNKNOWN_KEY', join(dir, 'weft.yaml'), 4, 5],
      ['fail', 'WEFT_E_ENV_RESERVED', join(dir, 'weft.yaml'), 6, 3],
    ]);

    writeFileSync(join(dir, 'weft.yaml'), 'sources: [\n');
    const yaml = await weft(['doctor'], { cwd: dir, env });
    assert.match(yaml.stdout, /FAIL +manifest +weft\.yaml:\d+:\d+: WEFT_E_MANIFEST_\w+: invalid YAML/);
  } finally {
    cleanup();
  }
});

test('weft doctor finds the nushell hook saved in its autoload directory and the PowerShell one in $PROFILE, and says how to install for $SHELL', async () => {
  const { dir, cleanup } = tempDir('weft-doctor-');
  try {
    const env: NodeJS.ProcessEnv = { ...isolatedEnv(dir), SHELL: '/usr/bin/nu' };
    const none = find(checks(await weft(['doctor', '--json'], { cwd: dir, env })), 'shell hook');
    assert.is(none.status, 'warn');
    assert.match(none.fix ?? '', 'weft hook nu | save -f ($nu.user-autoload-dirs | first | path join weft.nu)');

    const hook = await weft(['hook', 'nu'], { cwd: dir, env });
    assert.is(hook.code, 0, hook.stderr);
    const autoload = join(env.XDG_CONFIG_HOME!, 'nushell', 'autoload');
    mkdirSync(autoload, { recursive: true });
    writeFileSync(join(autoload, 'weft.nu'), hook.stdout);
    const nu = find(checks(await weft(['doctor', '--json'], { cwd: dir, env })), 'shell hook');
    assert.is(nu.status, 'ok', nu.detail);
    assert.match(nu.detail, join(autoload, 'weft.nu'));

    rmSync(join(autoload, 'weft.nu'));
    const psEnv = { ...env, SHELL: '/usr/bin/pwsh' };
    assert.match(find(checks(await weft(['doctor', '--json'], { cwd: dir, env: psEnv })), 'shell hook').fix ?? '', 'weft hook pwsh | Out-String | Invoke-Expression');
    const profile = join(env.XDG_CONFIG_HOME!, 'powershell', 'Microsoft.PowerShell_profile.ps1');
    mkdirSync(join(env.XDG_CONFIG_HOME!, 'powershell'), { recursive: true });
    writeFileSync(profile, 'weft hook pwsh | Out-String | Invoke-Expression\n');
    const ps = find(checks(await weft(['doctor', '--json'], { cwd: dir, env: psEnv })), 'shell hook');
    assert.is(ps.status, 'ok', ps.detail);
    assert.match(ps.detail, profile);
  } finally {
    cleanup();
  }
});

test("weft doctor finds a zsh hook under $ZDOTDIR and a fish one in conf.d/, and tells a zsh user with $ZDOTDIR to add it there", async () => {
  const { dir, cleanup } = tempDir('weft-doctor-');
  try {
    const zdotdir = join(dir, 'zdot');
    mkdirSync(zdotdir);
    const env: NodeJS.ProcessEnv = { ...isolatedEnv(dir), SHELL: '/usr/bin/zsh', ZDOTDIR: zdotdir };
    writeFileSync(join(env.HOME!, '.zshrc'), '# not read by zsh while ZDOTDIR is set\n');
    const none = find(checks(await weft(['doctor', '--json'], { cwd: dir, env })), 'shell hook');
    assert.is(none.status, 'warn');
    assert.is(none.fix, `echo 'eval "$(weft hook zsh)"' >> ${join(zdotdir, '.zshrc')}`);
    writeFileSync(join(zdotdir, '.zshrc'), 'eval "$(weft hook zsh)"\n');
    const zsh = find(checks(await weft(['doctor', '--json'], { cwd: dir, env })), 'shell hook');
    assert.is(zsh.status, 'ok', zsh.detail);
    assert.match(zsh.detail, join(zdotdir, '.zshrc'));

    const fishEnv = { ...env, SHELL: '/usr/bin/fish', ZDOTDIR: join(dir, 'elsewhere') };
    const confd = join(env.XDG_CONFIG_HOME!, 'fish', 'conf.d');
    mkdirSync(confd, { recursive: true });
    writeFileSync(join(confd, 'other.fish'), 'set -g fish_greeting\n');
    assert.is(find(checks(await weft(['doctor', '--json'], { cwd: dir, env: fishEnv })), 'shell hook').status, 'warn');
    writeFileSync(join(confd, 'weft.fish'), 'weft hook fish | source\n');
    const fish = find(checks(await weft(['doctor', '--json'], { cwd: dir, env: fishEnv })), 'shell hook');
    assert.is(fish.status, 'ok', fish.detail);
    assert.match(fish.detail, join(confd, 'weft.fish'));
  } finally {
    cleanup();
  }
});

test('weft doctor words changes in an extracted archive as changes since extraction, not as uncommitted work', async () => {
  const { dir, cleanup } = tempDir('weft-doctor-archive-');
  try {
    const bytes = gzip(buildTar([{ name: 'pkg/', type: 'dir' }, { name: 'pkg/a.txt', data: 'one\n' }]));
    writeFileSync(join(dir, 'pkg.tgz'), bytes);
    const ws = join(dir, 'ws');
    mkdirSync(ws);
    writeFileSync(join(ws, 'weft.yaml'), `sources:\n  pkg:\n    archive: file://${join(dir, 'pkg.tgz')}\n    integrity: ${sri('sha256', bytes)}\n    strip: 1\n`);
    const env = isolatedEnv(dir);
    assert.is((await weft(['up', '-q'], { cwd: ws, env })).code, 0);
    writeFileSync(join(ws, 'pkg', 'a.txt'), 'mine\n');
    const pkg = find(checks(await weft(['doctor', '--json'], { cwd: ws, env })), 'source pkg');
    assert.is(pkg.status, 'warn');
    assert.is(pkg.detail, 'pkg: 1 modified, 0 untracked since weft extracted it');
    assert.not.match(pkg.fix!, 'commit');
    assert.match(pkg.fix!, 'weft up keeps them');
  } finally {
    cleanup();
  }
});

test('weft doctor under --manifest gives fixes that name the manifest, since a plain weft would not find it', async () => {
  const { dir, cleanup } = tempDir('weft-doctor-manifest-');
  try {
    const env = isolatedEnv(dir);
    mkdirSync(join(dir, 'conf', 'lib'), { recursive: true });
    const manifest = join(dir, 'conf', 'dev.yaml');
    writeFileSync(manifest, 'sources:\n  lib:\n    local: lib\n  app:\n    git: https://example.invalid/app.git\n');
    const list = checks(await weft(['--manifest', 'conf/dev.yaml', 'doctor', '--json'], { cwd: dir, env }));
    assert.is(find(list, 'trust').fix, `read the manifest, then run \`weft --manifest '${manifest}' trust\``);
    assert.is(find(list, 'weft.lock').fix, `weft --manifest '${manifest}' lock   (then commit weft.lock)`);
    assert.is(find(list, 'source app').fix, `weft --manifest '${manifest}' up app`);
    // Where a plain weft finds the manifest, the fixes stay short.
    writeFileSync(join(dir, 'conf', 'weft.yaml'), 'sources:\n  app:\n    git: https://example.invalid/app.git\n');
    const plain = checks(await weft(['doctor', '--json'], { cwd: join(dir, 'conf'), env }));
    assert.is(find(plain, 'source app').fix, 'weft up app');
  } finally {
    cleanup();
  }
});

test.run();
