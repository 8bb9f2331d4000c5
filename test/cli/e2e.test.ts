// weft as a person uses it: the real executable, real git repositories, real shells.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { git, gitSandbox, richUpstream, type GitSandbox } from '../helpers/git-repo.js';
import { runShell, TEST_SHELLS } from '../helpers/shell.js';

let sb: GitSandbox;
let env: NodeJS.ProcessEnv;
let ws: string;

test.before.each(() => {
  sb = gitSandbox();
  env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache });
  ws = join(sb.root, 'project');
  mkdirSync(ws);
});
test.after.each(() => sb.cleanup());

const manifest = (text: string) => writeFileSync(join(ws, 'weft.yaml'), text);

test('--version, --help and help CMD print and exit 0; unknown commands and options exit 2 with a suggestion', async () => {
  const v = await weft(['--version'], { cwd: ws, env });
  assert.is(v.code, 0);
  assert.match(v.stdout, /^weft \d+\.\d+\.\d+\n$/);
  const h = await weft(['--help'], { cwd: ws, env });
  assert.is(h.code, 0);
  for (const c of ['up', 'env', 'run', 'init']) assert.match(h.stdout, new RegExp(`\\n  ${c} `));
  const hu = await weft(['help', 'up'], { cwd: ws, env });
  assert.is(hu.code, 0);
  assert.match(hu.stdout, 'Usage: weft up');
  assert.match(hu.stdout, '--dry-run');
  const bad = await weft(['upp'], { cwd: ws, env });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, 'unknown command "upp"');
  assert.match(bad.stderr, 'did you mean "weft up"?');
  const opt = await weft(['up', '--dry-rn'], { cwd: ws, env });
  assert.is(opt.code, 2);
  assert.match(opt.stderr, 'WEFT_E_USAGE');
  assert.match(opt.stderr, '--dry-run');
  assert.not.match(opt.stderr, /\n\s+at /, 'no stack trace');
  // A value starting with '-' reads as an option: said plainly, with the spelling that works.
  const negative = await weft(['up', '-j', '-1'], { cwd: ws, env });
  assert.is(negative.code, 2);
  assert.match(negative.stderr, 'option -j needs a value, and what follows it starts with "-"');
  assert.match(negative.stderr, 'written --jobs=VALUE');
  assert.not.match(negative.stderr, 'ambiguous');
});

test('weft up checks out git sources at a branch, a tag, a commit and the default branch, wires local sources, and writes the env files', async () => {
  const a = richUpstream(sb, 'alpha');
  const b = richUpstream(sb, 'beta');
  const lib = join(sb.root, 'my lib');
  mkdirSync(join(lib, 'bin'), { recursive: true });
  manifest(`weft: 1
name: lab
sources:
  alpha:
    git: ${a.dir}
    ref: main
    env: { PATH: bin, PYTHONPATH: src }
  beta:
    git: ${b.dir}
    ref: v2
    depends: [alpha]
    env: { PYTHONPATH: [src, lib] }
  gamma:
    git: ${b.dir}
    ref: ${b.c1}
    path: vendor/gamma
  delta:
    git: ${a.dir}
  mylib:
    local: ${JSON.stringify(lib)}
    env: { PATH: bin }
env:
  LAB_SETTINGS: "it's \\"quoted\\" $HOME \`x\` \\\\ ünï"
`);
  const r = await weft(['up'], { cwd: ws, env });
  assert.is(r.code, 0, r.stderr + r.stdout);
  assert.is(git(sb, join(ws, 'alpha'), 'rev-parse', 'HEAD'), a.c3);
  assert.is(git(sb, join(ws, 'alpha'), 'rev-parse', '--abbrev-ref', 'HEAD'), 'main');
  assert.is(git(sb, join(ws, 'beta'), 'rev-parse', 'HEAD'), b.c2);
  assert.is(git(sb, join(ws, 'vendor/gamma'), 'rev-parse', 'HEAD'), b.c1);
  assert.is(git(sb, join(ws, 'delta'), 'rev-parse', 'HEAD'), a.c3);
  assert.is(git(sb, join(ws, 'alpha'), 'remote', 'get-url', 'origin'), a.dir, 'origin is the real URL, not the cache');
  assert.equal(readdirSync(lib), ['bin'], 'the local source is untouched');
  for (const f of ['bash', 'zsh', 'sh', 'fish', 'env.json']) assert.ok(existsSync(join(ws, '.weft', 'env', f)), f);
  assert.match(r.stdout, /alpha\s+cloned/);

  // The environment, evaluated by each real shell, twice: beta (which depends on alpha) first.
  const expectedPy = [join(ws, 'beta/src'), join(ws, 'beta/lib'), join(ws, 'alpha/src')].join(':');
  for (const shell of TEST_SHELLS) {
    const out = await weft(['env', '--shell', shell], { cwd: ws, env });
    assert.is(out.code, 0, out.stderr);
    const file = join(sb.root, `env.${shell}`);
    writeFileSync(file, out.stdout);
    const load = shell === 'fish' ? `source '${file}'` : `. '${file}'`;
    const once = runShell(shell, load, { HOME: sb.home, PATH: '/usr/bin:/bin', PYTHONPATH: '/user/py' });
    const twice = runShell(shell, `${load}\n${load}`, { HOME: sb.home, PATH: '/usr/bin:/bin', PYTHONPATH: '/user/py' });
    assert.is(once.status, 0, `${shell}: ${once.stderr}`);
    assert.is(once.env['PYTHONPATH'], `${expectedPy}:/user/py`, shell);
    assert.is(once.env['PATH'], `${join(ws, 'alpha/bin')}:${join(lib, 'bin')}:/usr/bin:/bin`, shell);
    assert.is(once.env['LAB_SETTINGS'], 'it\'s "quoted" $HOME `x` \\ ünï', shell);
    assert.is(once.env['WEFT_WORKSPACE'], ws, shell);
    assert.equal(twice.env, once.env, `${shell}: eval twice is the same as once`);
  }

  const json = await weft(['env', '--json'], { cwd: join(ws, 'alpha'), env: { ...env, PYTHONPATH: '' } });
  assert.is(json.code, 0, json.stderr);
  assert.is(JSON.parse(json.stdout).vars.PYTHONPATH, expectedPy, 'found by walking up from a subdirectory');
});

test('weft run runs a program from a checkout in the environment and passes its exit code through', async () => {
  const a = richUpstream(sb, 'tool');
  git(sb, a.dir, 'checkout', '--quiet', 'main');
  a.commit('add a script', { 'bin/hello-tool': '#!/bin/sh\necho "hello $1 from $TOOL_MODE"\nexit 7\n' });
  execFileSync('chmod', ['+x', join(a.dir, 'bin/hello-tool')]);
  git(sb, a.dir, 'commit', '--quiet', '-am', 'exec bit');
  manifest(`sources:\n  tool:\n    git: ${a.dir}\n    ref: main\n    env: { PATH: bin }\nenv:\n  TOOL_MODE: demo\n`);
  assert.is((await weft(['up', '-q'], { cwd: ws, env })).code, 0);
  const r = await weft(['run', '--', 'hello-tool', 'world'], { cwd: ws, env });
  assert.is(r.stdout, 'hello world from demo\n');
  assert.is(r.code, 7);
  const s = await weft(['-C', ws, 'run', 'sh', '-c', 'kill -TERM $$'], { cwd: sb.root, env });
  assert.is(s.code, 143, 'a child killed by SIGTERM gives 128+15');
  const nf = await weft(['run', '--', 'no-such-program-here'], { cwd: ws, env });
  assert.is(nf.code, 127);
  assert.match(nf.stderr, 'WEFT_E_RUN_NOT_FOUND');
});

test('weft up converges: a changed ref moves the checkout, and a checkout holding work is skipped with exit 1 and left as it was', async () => {
  const a = richUpstream(sb, 'alpha');
  manifest(`sources:\n  alpha:\n    git: ${a.dir}\n    ref: v1\n`);
  assert.is((await weft(['up'], { cwd: ws, env })).code, 0);
  assert.is(git(sb, join(ws, 'alpha'), 'rev-parse', 'HEAD'), a.c1);

  manifest(`sources:\n  alpha:\n    git: ${a.dir}\n    ref: v2\n`);
  const moved = await weft(['up'], { cwd: ws, env });
  assert.is(moved.code, 0, moved.stderr);
  assert.match(moved.stdout, /alpha\s+updated/);
  assert.is(git(sb, join(ws, 'alpha'), 'rev-parse', 'HEAD'), a.c2);

  const again = await weft(['up'], { cwd: ws, env });
  assert.match(again.stdout, /alpha\s+unchanged/);

  writeFileSync(join(ws, 'alpha', 'README'), 'my edit\n');
  manifest(`sources:\n  alpha:\n    git: ${a.dir}\n    ref: main\n`);
  const skipped = await weft(['up'], { cwd: ws, env });
  assert.is(skipped.code, 1);
  assert.match(skipped.stdout, /alpha\s+skipped/);
  assert.is(readFileSync(join(ws, 'alpha', 'README'), 'utf8'), 'my edit\n', 'the edit survives');
  assert.is(git(sb, join(ws, 'alpha'), 'rev-parse', 'HEAD'), a.c2, 'HEAD did not move');
});

test('archive sources are fetched, verified and extracted through the CLI', async () => {
  const src = join(sb.root, 'pkg-1.0');
  mkdirSync(join(src, 'bin'), { recursive: true });
  writeFileSync(join(src, 'bin', 'pkg'), '#!/bin/sh\necho pkg\n', { mode: 0o755 });
  const tarball = join(sb.root, 'pkg-1.0.tar.gz');
  execFileSync('tar', ['-czf', tarball, '-C', sb.root, 'pkg-1.0']);
  const integrity = 'sha256-' + createHash('sha256').update(readFileSync(tarball)).digest('base64');
  manifest(`sources:\n  pkg:\n    archive: file://${tarball}\n    integrity: ${integrity}\n    strip: 1\n    env: { PATH: bin }\n`);
  const r = await weft(['up'], { cwd: ws, env });
  assert.is(r.code, 0, r.stderr + r.stdout);
  const run = await weft(['run', '--', 'pkg'], { cwd: ws, env });
  assert.is(run.stdout, 'pkg\n');

  manifest(`sources:\n  pkg:\n    archive: file://${tarball}\n    integrity: sha256:${'0'.repeat(64)}\n    strip: 1\n`);
  const bad = await weft(['up'], { cwd: ws, env });
  assert.is(bad.code, 1);
  assert.match(bad.stdout, /pkg\s+failed/);
  assert.match(bad.stdout, 'integrity');
  assert.is(run.code, 0);
});

test('a malformed manifest exits 2 with file:line:col and a hint, and writes nothing', async () => {
  manifest('sources:\n  alpha:\n    git: https://example.org/a.git\n    refs: main\n');
  const r = await weft(['up'], { cwd: ws, env });
  assert.is(r.code, 2);
  assert.match(r.stderr, 'weft.yaml:4:5');
  assert.match(r.stderr, 'WEFT_E_MANIFEST_UNKNOWN_KEY');
  assert.match(r.stderr, 'unknown key `refs` in source `alpha`');
  assert.match(r.stderr, 'did you mean `ref`?');
  assert.not.match(r.stderr, /\n\s+at /);
  assert.equal(readdirSync(ws), ['weft.yaml']);
  assert.not.ok(existsSync(sb.cache));
});

test('no manifest found gives exit 2 and points at weft init', async () => {
  const r = await weft(['up'], { cwd: ws, env });
  assert.is(r.code, 2);
  assert.match(r.stderr, 'WEFT_E_MANIFEST_NOT_FOUND');
  assert.match(r.stderr, 'weft init');
});

test('-C naming a directory that is not there (or a file) is a usage error that says so, not a manifest search', async () => {
  for (const target of [join(sb.root, 'no-such-dir'), join(ws, 'a-file')]) {
    if (target.endsWith('a-file')) writeFileSync(target, 'x');
    const r = await weft(['-C', target, 'status'], { cwd: sb.root, env });
    assert.is(r.code, 2);
    assert.match(r.stderr, `WEFT_E_USAGE: -C ${target}: ${target} is not a directory`);
    assert.not.match(r.stderr, 'parent directory');
  }
});

test('--dry-run prints the plan and changes nothing; -C and --manifest pick the manifest', async () => {
  const a = richUpstream(sb, 'alpha');
  writeFileSync(join(ws, 'other.yaml'), `name: other\nsources:\n  alpha:\n    git: ${a.dir}\n    ref: dev\n`);
  const r = await weft(['-C', ws, '--manifest', 'other.yaml', 'up', '--dry-run'], { cwd: sb.root, env });
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, 'plan for other');
  assert.match(r.stdout, /alpha\s+git\s+.*@dev -> alpha/);
  assert.equal(readdirSync(ws), ['other.yaml']);
  const j = await weft(['-C', ws, '--manifest', 'other.yaml', '--json', 'up', '--dry-run'], { cwd: sb.root, env });
  assert.is(JSON.parse(j.stdout).sources[0].ref, 'dev');
});

test('the environment line after weft up gives commands that find its manifest from where weft ran', async () => {
  mkdirSync(join(ws, 'lib'));
  writeFileSync(join(ws, 'other.yaml'), 'sources:\n  lib:\n    local: lib\nenv:\n  FROM_OTHER: "yes"\n');
  const r = await weft(['--manifest', 'project/other.yaml', 'up'], { cwd: sb.root, env });
  assert.is(r.code, 0, r.stderr);
  const other = join(ws, 'other.yaml');
  assert.match(r.stdout, `environment: eval "$(weft --manifest '${other}' env)"  or  weft --manifest '${other}' run -- COMMAND\n`);
  const run = await weft(['--manifest', other, 'run', '--', 'sh', '-c', 'echo $FROM_OTHER'], { cwd: sb.root, env });
  assert.is(run.stdout, 'yes\n', run.stderr);
  // Found from here: the short form, as before.
  manifest('sources:\n  lib:\n    local: lib\n');
  const plain = await weft(['up'], { cwd: join(ws, 'lib'), env });
  assert.match(plain.stdout, 'environment: eval "$(weft env)"  or  weft run -- COMMAND\n');
});

test('up --group and --skip act on a subset plus what it depends on', async () => {
  const a = richUpstream(sb, 'alpha');
  manifest(`sources:\n  core:\n    git: ${a.dir}\n  app:\n    git: ${a.dir}\n    depends: [core]\n    groups: [apps]\n  docs:\n    git: ${a.dir}\n`);
  const r = await weft(['up', '--group', 'apps'], { cwd: ws, env });
  assert.is(r.code, 0, r.stderr);
  assert.ok(existsSync(join(ws, 'app', 'README')));
  assert.ok(existsSync(join(ws, 'core', 'README')), 'the dependency came along');
  assert.not.ok(existsSync(join(ws, 'docs')));
  const s = await weft(['up', '--skip', 'docs', '--skip', 'core'], { cwd: ws, env });
  assert.is(s.code, 0, s.stderr);
  assert.not.ok(existsSync(join(ws, 'docs')));
  const bad = await weft(['up', '--group', 'app'], { cwd: ws, env });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, 'did you mean "apps"?');
});

test.run();
