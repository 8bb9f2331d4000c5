import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { git } from '../helpers/git-repo.js';
import { type StatusWorkspace } from '../helpers/status-workspace.js';
import { branchWorkspace } from '../helpers/branch-workspace.js';

const state = (w: StatusWorkspace) => JSON.parse(readFileSync(join(w.ws, '.weft', 'state.json'), 'utf8')).sources;
const wtDir = (w: StatusWorkspace, branch: string) => join(w.ws, '.weft-branches', 'lib', branch);

test('weft switch NAME BRANCH checks the remote branch out in its own worktree and points the environment at it', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    const mainHead = git(w.sb, main, 'rev-parse', 'HEAD');
    const r = await w.run('switch', 'lib', 'feature');
    assert.is(r.code, 0, r.stderr);
    const dir = wtDir(w, 'feature');
    assert.match(r.stdout, /checked out feature from origin\/feature/);
    assert.match(r.stdout, /main checkout .* left as it is/);
    assert.is(readFileSync(join(dir, 'feature.txt'), 'utf8'), 'feature\n');
    assert.is(git(w.sb, dir, 'rev-parse', '--abbrev-ref', '@{upstream}'), 'origin/feature');
    // The main checkout did not move, and the manifest and lock know nothing of it.
    assert.is(git(w.sb, main, 'rev-parse', 'HEAD'), mainHead);
    assert.is(git(w.sb, main, 'symbolic-ref', '--short', 'HEAD'), 'main');
    assert.not.match(readFileSync(join(w.ws, 'weft.yaml'), 'utf8'), /feature/);
    assert.not.match(readFileSync(join(w.ws, 'weft.lock'), 'utf8'), /feature/);
    assert.is(state(w).lib.activeDir, dir);
    assert.is(state(w).lib.activeBranch, 'feature');

    const env = await w.run('env', '--json');
    assert.ok((JSON.parse(env.stdout).vars.PATH as string).startsWith(join(dir, 'bin')), env.stdout);
    const ran = await w.run('run', '--', 'sh', '-c', 'echo "$PATH"');
    assert.ok(ran.stdout.startsWith(join(dir, 'bin') + ':'), ran.stdout);
    assert.match(readFileSync(join(w.ws, '.weft', 'env', 'bash'), 'utf8'), new RegExp(`${dir}/bin`));
    const which = await w.run('which');
    assert.is(which.stdout, `lib  feature  ${dir}\nlib  main     ${main}  (not active)\n`);
    const whichJson = JSON.parse((await w.run('which', '--json')).stdout)[0];
    assert.equal(whichJson.checkouts, [{ branch: 'feature', dir, active: true }, { branch: 'main', dir: main, active: false }]);
    assert.is((await w.run('which', 'lib')).stdout, dir + '\n');
    const status = JSON.parse((await w.run('status', '--json')).stdout)[0];
    assert.is(status.branch, 'feature');
    assert.is(status.dir, dir);
    assert.is(status.moved, false);
    assert.is(status.switched, 'worktree');

    // weft up converges the main checkout only and keeps the branch active.
    const up = await w.run('up');
    assert.is(up.code, 0, up.stderr + up.stdout);
    assert.is(state(w).lib.activeDir, dir);
    assert.ok((JSON.parse((await w.run('env', '--json')).stdout).vars.PATH as string).startsWith(join(dir, 'bin')));

    const twice = await w.run('switch', 'lib', 'feature', '--in-place');
    assert.is(twice.code, 1);
    assert.match(twice.stderr, /WEFT_E_SWITCH_GIT/);
    assert.match(twice.stderr, /its own checkout at .*without --in-place/);
    assert.is(git(w.sb, main, 'symbolic-ref', '--short', 'HEAD'), 'main');

    const back = await w.run('switch', 'lib');
    assert.is(back.code, 0, back.stderr);
    assert.match(back.stdout, /keeps its checkout at .*untouched/);
    assert.is((await w.run('which', 'lib')).stdout, main + '\n');
    assert.is((await w.run('which')).stdout, `lib  main     ${main}\nlib  feature  ${dir}  (not active)\n`);
    assert.ok((JSON.parse((await w.run('env', '--json')).stdout).vars.PATH as string).startsWith(join(main, 'bin')));
    assert.ok(existsSync(join(dir, 'feature.txt')), 'the branch checkout is kept');
    assert.is(state(w).lib.activeDir, undefined);
  } finally {
    w.cleanup();
  }
});

test('once and changed steps run once per checkout: a branch checkout gets its own run, and switching back does not run them again in the main one', async () => {
  const w = await branchWorkspace();
  try {
    const manifest = [
      'sources:',
      '  lib:',
      `    git: ${w.upstreams['lib']!.dir}`,
      '    ref: main',
      '    setup:',
      '      - run: echo "changed $PWD" >> "${workspace}/setup.log"',
      '      - run: echo "once $PWD" >> "${workspace}/setup.log"',
      '        when: once',
    ];
    writeFileSync(join(w.ws, 'weft.yaml'), manifest.join('\n') + '\n');
    assert.is((await w.run('trust')).code, 0);
    const main = join(w.ws, 'lib');
    const dir = wtDir(w, 'feature');
    const log = () => readFileSync(join(w.ws, 'setup.log'), 'utf8').trim().split('\n');
    assert.is((await w.run('up')).code, 0);
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    assert.is((await w.run('up')).code, 0);
    assert.equal(log(), [`changed ${main}`, `once ${main}`, `changed ${dir}`, `once ${dir}`]);
    assert.is((await w.run('switch', 'lib')).code, 0);
    const back = await w.run('up');
    assert.is(back.code, 0, back.stderr);
    assert.not.match(back.stderr, /setup/);
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    assert.is((await w.run('up')).code, 0);
    assert.equal(log().length, 4);
  } finally {
    w.cleanup();
  }
});

test('${source.NAME} follows weft switch, as the default wiring does: env values, lists, variables using it and setup commands name the active checkout, and the main one again after switching back', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    const manifest = [
      'vars:',
      '  libbin: "${source.lib}/bin"',
      'env:',
      '  LIB_TOOLS: ["${libbin}"]',
      'sources:',
      '  lib:',
      `    git: ${w.upstreams['lib']!.dir}`,
      '    ref: main',
      '    env:',
      '      PATH: bin',
      '      LIB_HOME: { set: "${source.lib}" }',
      '      LIB_NOTE: { set: "lib=${source.lib};$${source.lib}" }',
      '    setup:',
      '      - run: echo "${source.lib}" >> "${workspace}/setup.log"',
      '        when: always',
    ];
    writeFileSync(join(w.ws, 'weft.yaml'), manifest.join('\n') + '\n');
    assert.is((await w.run('trust')).code, 0);
    const up = await w.run('up');
    assert.is(up.code, 0, up.stderr + up.stdout);
    // What bash gets from `weft env --shell bash`, evaluated by bash itself.
    const inBash = async (): Promise<string[]> => {
      const env = await w.run('env', '--shell', 'bash');
      assert.is(env.code, 0, env.stderr);
      const r = spawnSync('bash', ['--norc', '--noprofile', '-c', `${env.stdout}\nprintf '%s\\n' "$LIB_HOME" "$LIB_NOTE" "$LIB_TOOLS" "\${PATH%%:*}"`], { env: w.env, encoding: 'utf8' });
      assert.is(r.status, 0, r.stderr);
      return r.stdout.trimEnd().split('\n');
    };
    const expectFor = (dir: string) => [dir, `lib=${dir};\${source.lib}`, join(dir, 'bin'), join(dir, 'bin')];
    assert.equal(await inBash(), expectFor(main));

    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    const dir = wtDir(w, 'feature');
    assert.equal(await inBash(), expectFor(dir));
    const json = JSON.parse((await w.run('env', '--json')).stdout).vars;
    assert.is(json.LIB_HOME, dir);
    assert.is(json.LIB_TOOLS, join(dir, 'bin'));
    const ran = await w.run('run', '--', 'sh', '-c', 'echo "$LIB_HOME"');
    assert.is(ran.stdout, dir + '\n');
    assert.match(readFileSync(join(w.ws, '.weft', 'env', 'bash'), 'utf8'), `LIB_HOME='${dir}'`);
    // Setup after the switch: the command names the active checkout, and runs there.
    const up2 = await w.run('up');
    assert.is(up2.code, 0, up2.stderr + up2.stdout);
    assert.is(readFileSync(join(w.ws, 'setup.log'), 'utf8'), `${main}\n${dir}\n`);
    // `weft why` and the manifest are about the manifest: unchanged.
    assert.not.match(readFileSync(join(w.ws, 'weft.lock'), 'utf8'), /feature/);

    assert.is((await w.run('switch', 'lib')).code, 0);
    assert.equal(await inBash(), expectFor(main));
    assert.is(JSON.parse((await w.run('env', '--json')).stdout).vars.LIB_HOME, main);
  } finally {
    w.cleanup();
  }
});

test('a branch checkout removed with git worktree remove is no longer active: env and which use the main checkout, weft up says so and records it', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    const dir = wtDir(w, 'feature');
    git(w.sb, main, 'worktree', 'remove', dir);
    // Before any weft up: what reads the recorded state falls back at once.
    assert.is((await w.run('which')).stdout, `lib  main  ${main}\n`);
    const ran = await w.run('run', '--', 'sh', '-c', 'echo "$PATH"');
    assert.ok(ran.stdout.startsWith(join(main, 'bin') + ':'), ran.stdout);
    const up = await w.run('up');
    assert.is(up.code, 0, up.stderr + up.stdout);
    assert.match(up.stdout, `the checkout of branch feature at ${dir} is gone: the main checkout is active again`);
    assert.is(state(w).lib.activeDir, undefined);
    assert.is(state(w).lib.activeBranch, undefined);
    assert.is(state(w).lib.branchDirs, undefined, 'no branch checkout left for prune to keep');
    assert.ok((JSON.parse((await w.run('env', '--json')).stdout).vars.PATH as string).startsWith(join(main, 'bin')));
    assert.not.match((await w.run('up')).stdout, 'is gone', 'said once');
    // weft switch NAME on a gone checkout does not claim it is kept.
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    git(w.sb, main, 'worktree', 'remove', dir);
    const back = await w.run('switch', 'lib');
    assert.is(back.code, 0, back.stderr);
    assert.match(back.stdout, `the checkout of feature at ${dir} was already gone`);
    assert.not.match(back.stdout, 'keeps its checkout');
  } finally {
    w.sb.cleanup();
  }
});

test('a branch checkout deleted with rm -rf (git still lists it) is made again by weft switch, with the branch\'s commits', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    const dir = wtDir(w, 'feature');
    writeFileSync(join(dir, 'mine.txt'), 'mine\n');
    git(w.sb, dir, 'add', 'mine.txt');
    git(w.sb, dir, 'commit', '--quiet', '-m', 'mine');
    const mine = git(w.sb, dir, 'rev-parse', 'HEAD');
    rmSync(dir, { recursive: true, force: true });
    const again = await w.run('switch', 'lib', 'feature');
    assert.is(again.code, 0, again.stderr);
    assert.is(git(w.sb, dir, 'rev-parse', 'HEAD'), mine, 'the branch keeps its commit');
    assert.is(git(w.sb, dir, 'symbolic-ref', '--short', 'HEAD'), 'feature');
    assert.is(readFileSync(join(dir, 'mine.txt'), 'utf8'), 'mine\n');
    assert.is((await w.run('which', 'lib')).stdout, dir + '\n');
    assert.is(git(w.sb, main, 'symbolic-ref', '--short', 'HEAD'), 'main', 'the main checkout is left as it was');
  } finally {
    w.cleanup();
  }
});

test('weft switch to a branch origin does not have fails, suggests --create, and creates nothing', async () => {
  const w = await branchWorkspace();
  try {
    const before = readFileSync(join(w.ws, '.weft', 'state.json'), 'utf8');
    const r = await w.run('switch', 'lib', 'nope');
    assert.is(r.code, 1);
    assert.match(r.stderr, /WEFT_E_SWITCH_NO_BRANCH/);
    assert.match(r.stderr, /--create/);
    assert.not.match(r.stderr, /\n\s+at /, 'no stack trace');
    assert.not.ok(existsSync(wtDir(w, 'nope')));
    assert.is(readFileSync(join(w.ws, '.weft', 'state.json'), 'utf8'), before);
    assert.is(git(w.sb, join(w.ws, 'lib'), 'branch', '--list', 'nope'), '');
  } finally {
    w.cleanup();
  }
});

test('weft switch --create --push starts a branch from the active commit and publishes it with tracking', async () => {
  const w = await branchWorkspace();
  try {
    const base = git(w.sb, join(w.ws, 'lib'), 'rev-parse', 'HEAD');
    const r = await w.run('switch', 'lib', 'topic/new', '--create', '--push');
    assert.is(r.code, 0, r.stderr);
    const dir = wtDir(w, 'topic/new');
    assert.is(git(w.sb, dir, 'rev-parse', 'HEAD'), base);
    assert.is(git(w.sb, dir, 'symbolic-ref', '--short', 'HEAD'), 'topic/new');
    assert.is(git(w.sb, dir, 'rev-parse', '--abbrev-ref', '@{upstream}'), 'origin/topic/new');
    assert.is(w.upstreams['lib']!.rev('topic/new'), base, 'the upstream has the branch');
    assert.match(r.stdout, /pushed topic\/new to origin/);

    const again = await w.run('switch', 'lib', 'feature', '--create');
    assert.is(again.code, 1);
    assert.match(again.stderr, /WEFT_E_SWITCH_EXISTS/);
    assert.is((await w.run('which', 'lib')).stdout, dir + '\n', 'a refused switch leaves the active branch');
  } finally {
    w.cleanup();
  }
});

test('weft switch refuses the main checkout\'s own branch, unsafe names, local sources and a missing BRANCH with flags', async () => {
  const w = await branchWorkspace();
  try {
    const own = await w.run('switch', 'lib', 'main');
    assert.is(own.code, 1);
    assert.match(own.stderr, /WEFT_E_SWITCH_MAIN_BRANCH/);
    const bad = await w.run('switch', 'lib', '--', '-x');
    assert.is(bad.code, 2);
    assert.match(bad.stderr, /WEFT_E_USAGE_BRANCH/);
    const noBranch = await w.run('switch', 'lib', '--create');
    assert.is(noBranch.code, 2);
    const unknown = await w.run('switch', 'lbi', 'feature');
    assert.is(unknown.code, 2);
    assert.match(unknown.stderr, /did you mean "lib"/);
    assert.not.ok(existsSync(join(w.ws, '.weft-branches')));
  } finally {
    w.cleanup();
  }
});

test('weft switch --in-place moves the main checkout, weft up leaves it there, and weft switch NAME brings it back', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    const mainHead = git(w.sb, main, 'rev-parse', 'HEAD');
    const r = await w.run('switch', 'lib', 'feature', '--in-place');
    assert.is(r.code, 0, r.stderr);
    assert.is(git(w.sb, main, 'symbolic-ref', '--short', 'HEAD'), 'feature');
    assert.not.ok(existsSync(join(w.ws, '.weft-branches')));
    assert.is((await w.run('which')).stdout, `lib  feature  ${main}\n`);

    const lockBefore = readFileSync(join(w.ws, 'weft.lock'), 'utf8');
    const up = await w.run('up');
    assert.is(up.code, 0, up.stderr + up.stdout);
    assert.match(up.stdout, /switched in place to feature; left as is/);
    assert.is(git(w.sb, main, 'symbolic-ref', '--short', 'HEAD'), 'feature', 'weft up did not move it back');
    assert.is(readFileSync(join(w.ws, 'weft.lock'), 'utf8'), lockBefore);
    const status = JSON.parse((await w.run('status', '--json')).stdout)[0];
    assert.is(status.switched, 'in-place');
    assert.is(status.moved, false);

    writeFileSync(join(main, 'feature.txt'), 'edited\n');
    const dirty = await w.run('switch', 'lib');
    assert.is(dirty.code, 1);
    assert.match(dirty.stderr, /WEFT_E_SWITCH_DIRTY/);
    assert.is(readFileSync(join(main, 'feature.txt'), 'utf8'), 'edited\n');
    assert.is(git(w.sb, main, 'symbolic-ref', '--short', 'HEAD'), 'feature');
    git(w.sb, main, 'checkout', '--', 'feature.txt');

    const back = await w.run('switch', 'lib');
    assert.is(back.code, 0, back.stderr);
    assert.is(git(w.sb, main, 'symbolic-ref', '--short', 'HEAD'), 'main');
    assert.is(git(w.sb, main, 'rev-parse', 'HEAD'), mainHead);
    assert.is(state(w).lib.inPlace, undefined);
  } finally {
    w.cleanup();
  }
});

test('weft switch --in-place is refused when the main checkout is dirty, and nothing moves', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    writeFileSync(join(main, 'README'), 'mine\n');
    const before = readFileSync(join(w.ws, '.weft', 'state.json'), 'utf8');
    const r = await w.run('switch', 'lib', 'feature', '--in-place');
    assert.is(r.code, 1);
    assert.match(r.stderr, /WEFT_E_SWITCH_DIRTY/);
    assert.match(r.stderr, /uncommitted changes/);
    assert.is(git(w.sb, main, 'symbolic-ref', '--short', 'HEAD'), 'main');
    assert.is(readFileSync(join(main, 'README'), 'utf8'), 'mine\n');
    assert.is(readFileSync(join(w.ws, '.weft', 'state.json'), 'utf8'), before);
    assert.is(git(w.sb, main, 'branch', '--list', 'feature'), '');
  } finally {
    w.cleanup();
  }
});

test('weft switch --in-place is refused when an ignored file stands where the branch has one (git would write over it), and nothing moves', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    writeFileSync(join(main, '.git', 'info', 'exclude'), 'feature.txt\n');
    writeFileSync(join(main, 'feature.txt'), 'my own notes\n');
    const r = await w.run('switch', 'lib', 'feature', '--in-place');
    assert.is(r.code, 1, r.stdout);
    assert.match(r.stderr, /WEFT_E_SWITCH_DIRTY/);
    assert.match(r.stderr, /ignored file feature\.txt, which feature also has/);
    assert.is(git(w.sb, main, 'symbolic-ref', '--short', 'HEAD'), 'main');
    assert.is(readFileSync(join(main, 'feature.txt'), 'utf8'), 'my own notes\n');
    assert.is(git(w.sb, main, 'branch', '--list', 'feature'), '');
  } finally {
    w.cleanup();
  }
});

test('weft why on a switched source says so and shows ${source.NAME} and its paths as the environment has them (the branch checkout); switched back, the main checkout again', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    writeFileSync(join(w.ws, 'weft.yaml'), `sources:\n  lib:\n    git: ${w.upstreams['lib']!.dir}\n    ref: main\n    env:\n      PATH: bin\n      LIB_HOME: \${source.lib}\n`);
    assert.is((await w.run('up')).code, 0);
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    const r = await w.run('why', 'lib');
    assert.is(r.code, 0, r.stderr);
    assert.match(r.stdout, 'switched to feature at .weft-branches/lib/feature (weft switch lib to go back)');
    assert.match(r.stdout, new RegExp(`env\\.LIB_HOME +set ${wtDir(w, 'feature')} `));
    assert.not.match(r.stdout, `set ${main} `);
    const json = JSON.parse((await w.run('why', 'lib', '--json')).stdout) as { switched?: { branch: string; dir: string }; fields: { field: string; value: string }[] };
    assert.equal(json.switched, { branch: 'feature', dir: wtDir(w, 'feature'), how: 'worktree' });
    assert.is(json.fields.find((f) => f.field === 'env.LIB_HOME')?.value, `set ${wtDir(w, 'feature')}`);
    assert.is((await w.run('switch', 'lib')).code, 0);
    const back = await w.run('why', 'lib');
    assert.not.match(back.stdout, 'switched');
    assert.match(back.stdout, new RegExp(`env\\.LIB_HOME +set ${main} `));
  } finally {
    w.cleanup();
  }
});

test('weft status on a source switched to its own checkout shows the work left in the main checkout (untracked files, local commits), and --exit-code counts it', async () => {
  const w = await branchWorkspace();
  try {
    const main = join(w.ws, 'lib');
    assert.is((await w.run('switch', 'lib', 'feature')).code, 0);
    const clean = await w.run('status', '--exit-code');
    assert.is(clean.code, 0, clean.stdout + clean.stderr);
    assert.not.match(clean.stdout, 'main checkout');
    writeFileSync(join(main, 'notes.txt'), 'mine\n');
    writeFileSync(join(main, 'work.txt'), 'work\n');
    git(w.sb, main, 'add', 'work.txt');
    git(w.sb, main, 'commit', '-qm', 'local work on main');
    const r = await w.run('status', '--exit-code');
    assert.is(r.code, 1, r.stdout + r.stderr);
    assert.match(r.stdout, /switched \(own checkout\); main checkout: 1 untracked, ahead 1/);
    const json = JSON.parse((await w.run('status', '--json')).stdout) as { main?: { dir: string; untracked: number; ahead: number } }[];
    assert.equal(json[0]!.main, { dir: main, branch: 'main', dirty: 0, untracked: 1, ahead: 1 });
  } finally {
    w.cleanup();
  }
});

test.run();
