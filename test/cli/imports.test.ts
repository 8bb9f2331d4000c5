import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { weft, isolatedEnv, type WeftResult } from '../helpers/cli.js';
import { git, gitSandbox, makeUpstream, type GitSandbox, type Upstream } from '../helpers/git-repo.js';

interface World {
  sb: GitSandbox;
  env: NodeJS.ProcessEnv;
  ws: string;
  repo: (name: string, files?: Record<string, string>) => Upstream;
  manifest: (text: string) => void;
  run: (...args: string[]) => Promise<WeftResult>;
  lock: () => string;
}

function world(): World {
  const sb = gitSandbox();
  const env = isolatedEnv(sb.root);
  const ws = sb.workspace;
  return {
    sb, env, ws,
    repo: (name, files) => {
      const up = makeUpstream(sb, name);
      if (files) up.commit('manifest', files);
      return up;
    },
    manifest: (text) => writeFileSync(join(ws, 'weft.yaml'), text),
    run: (...args) => weft(args, { cwd: ws, env }),
    lock: () => readFileSync(join(ws, 'weft.lock'), 'utf8'),
  };
}

function ok(r: WeftResult, what: string): void {
  assert.is(r.code, 0, `${what} failed:\n${r.stdout}\n${r.stderr}`);
}

test('weft up follows imports recursively: sources of an imported manifest, and of the one it imports, are checked out and locked', async () => {
  const w = world();
  try {
    const util = w.repo('util');
    const lib = w.repo('lib', { 'weft.yaml': `sources:\n  util:\n    git: ${util.dir}\n` });
    const app = w.repo('app', {
      'weft.yaml': `root: elsewhere\nsources:\n  lib:\n    git: ${lib.dir}\n    path: deps/lib\n    env: {PYTHONPATH: src}\nimport:\n  - from: lib\n`,
    });
    w.manifest(`weft: 1\nsources:\n  app:\n    git: ${app.dir}\nimport:\n  - from: app\n`);

    const dry = await w.run('up', '--dry-run');
    ok(dry, 'dry-run');
    assert.match(dry.stdout, 'import pending: weft.yaml from app');
    assert.not.match(dry.stdout, 'lib');
    // Naming a source that only a pending import defines says how to get it.
    const early = await w.run('up', 'lib');
    assert.is(early.code, 2);
    assert.match(early.stderr, 'no source named "lib"');
    assert.match(early.stderr, 'imports from app are not fetched yet: a plain "weft up" fetches them first');

    ok(await w.run('up'), 'up');
    ok(await w.run('up', 'lib'), 'up lib, once imported');
    assert.ok(existsSync(join(w.ws, 'app', 'README')));
    assert.ok(existsSync(join(w.ws, 'deps', 'lib', 'README')), 'an imported path is relative to our root, not the imported `root`');
    assert.ok(existsSync(join(w.ws, 'util', 'README')), 'an import of an import is followed');
    const lock = w.lock();
    assert.match(lock, `commit: ${lib.rev('HEAD')}`);
    assert.match(lock, `commit: ${util.rev('HEAD')}`);
    assert.match(lock, 'defined: app/weft.yaml\n');
    assert.match(lock, 'defined: deps/lib/weft.yaml\n');

    const env = await w.run('env', '--json');
    ok(env, 'env');
    assert.match(env.stdout, join(w.ws, 'deps', 'lib', 'src'), 'env paths of an imported source are relative to its checkout');

    const status = await w.run('status', '--json');
    ok(status, 'status');
    assert.match(status.stdout, '"util"');
    ok(await w.run('lock', '--check'), 'lock --check sees the imported sources as locked');
    const again = await w.run('up', '--dry-run');
    assert.not.match(again.stdout, 'import pending');
  } finally {
    w.sb.cleanup();
  }
});

test('a fresh clone with the lock checks it and sets up --frozen at the locked commits of imported sources', async () => {
  const w = world();
  try {
    const lib = w.repo('lib');
    const app = w.repo('app', { 'weft.yaml': `sources:\n  lib:\n    git: ${lib.dir}\n` });
    w.manifest(`sources:\n  app:\n    git: ${app.dir}\nimport:\n  - from: app\n`);
    ok(await w.run('up'), 'up');
    const locked = lib.rev('HEAD');
    lib.commit('later', { 'later.txt': 'x\n' });

    const fresh = join(w.sb.root, 'fresh');
    mkdirSync(fresh);
    writeFileSync(join(fresh, 'weft.yaml'), readFileSync(join(w.ws, 'weft.yaml')));
    writeFileSync(join(fresh, 'weft.lock'), w.lock());
    const check = await weft(['lock', '--check'], { cwd: fresh, env: w.env });
    ok(check, 'lock --check before the imports are read');
    assert.match(check.stderr, 'imports not read yet (app)');
    ok(await weft(['up', '--frozen'], { cwd: fresh, env: w.env }), 'up --frozen');
    assert.is(git(w.sb, join(fresh, 'lib'), 'rev-parse', 'HEAD'), locked);
    assert.is(readFileSync(join(fresh, 'weft.lock'), 'utf8'), w.lock(), 'the lock is unchanged');
  } finally {
    w.sb.cleanup();
  }
});

test('only: takes just the listed sources, and the importing manifest wins over what it imports', async () => {
  const w = world();
  try {
    const one = w.repo('one');
    const two = w.repo('two');
    const mine = w.repo('mine');
    const app = w.repo('app', {
      'weft.yaml': `sources:\n  one:\n    git: ${one.dir}\n  two:\n    git: ${two.dir}\n  shared:\n    git: ${one.dir}\n`,
    });
    w.manifest(`sources:\n  app:\n    git: ${app.dir}\n  shared:\n    git: ${mine.dir}\nimport:\n  - from: app\n    only: [one, shared]\n`);
    ok(await w.run('up'), 'up');
    assert.ok(existsSync(join(w.ws, 'one', 'README')));
    assert.not.ok(existsSync(join(w.ws, 'two')), '`two` is not in `only`');
    assert.is(readFileSync(join(w.ws, 'shared', 'README'), 'utf8'), 'mine 1\n', 'our definition of `shared` wins');
    const why = await w.run('why', 'one');
    ok(why, 'why');
    assert.match(why.stdout, 'app/weft.yaml');
  } finally {
    w.sb.cleanup();
  }
});

test('two imports defining one name differently is an error naming both files, unless the top-level manifest defines it', async () => {
  const w = world();
  try {
    const x = w.repo('x');
    const y = w.repo('y');
    const a = w.repo('a', { 'weft.yaml': `sources:\n  dup:\n    git: ${x.dir}\n` });
    const b = w.repo('b', { 'weft.yaml': `sources:\n  dup:\n    git: ${y.dir}\n` });
    const base = `sources:\n  a:\n    git: ${a.dir}\n  b:\n    git: ${b.dir}\nimport:\n  - from: a\n  - from: b\n`;
    w.manifest(base);
    const r = await w.run('up');
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, 'WEFT_E_IMPORT_CONFLICT');
    assert.match(r.stderr, 'a/weft.yaml:2');
    assert.match(r.stderr, 'b/weft.yaml:2');
    assert.not.ok(existsSync(join(w.ws, 'weft.lock')), 'nothing is locked');
    assert.not.ok(existsSync(join(w.ws, 'dup')), 'the conflicting source was not fetched');

    w.manifest(`sources:\n  a:\n    git: ${a.dir}\n  b:\n    git: ${b.dir}\n  dup:\n    git: ${y.dir}\nimport:\n  - from: a\n  - from: b\n`);
    ok(await w.run('up'), 'up with the name settled in weft.yaml');
    assert.is(readFileSync(join(w.ws, 'dup', 'README'), 'utf8'), 'y 1\n');
  } finally {
    w.sb.cleanup();
  }
});

test('an import cycle is an error naming the chain', async () => {
  const w = world();
  try {
    const a = w.repo('a');
    const b = w.repo('b');
    a.commit('manifest', { 'weft.yaml': `sources:\n  b:\n    git: ${b.dir}\nimport:\n  - from: b\n` });
    b.commit('manifest', { 'weft.yaml': `sources:\n  a:\n    git: ${a.dir}\nimport:\n  - from: a\n` });
    w.manifest(`sources:\n  a:\n    git: ${a.dir}\nimport:\n  - from: a\n`);
    const r = await w.run('up');
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, 'WEFT_E_IMPORT_CYCLE');
    assert.match(r.stderr, 'a/weft.yaml → b/weft.yaml → a/weft.yaml');
    assert.not.ok(existsSync(join(w.ws, 'weft.lock')));
  } finally {
    w.sb.cleanup();
  }
});

test('an import of a file the source does not hold fails with the import\'s position and exit 2, writing neither lock nor env', async () => {
  const w = world();
  try {
    const a = w.repo('a');
    w.manifest(`sources:\n  a:\n    git: ${a.dir}\nimport:\n  - from: a\n    file: deps.yaml\n`);
    const r = await w.run('up');
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, 'weft.yaml:5:5');
    assert.match(r.stderr, 'WEFT_E_IMPORT_MISSING');
    assert.match(r.stderr, 'a/deps.yaml does not exist');
    assert.not.ok(existsSync(join(w.ws, 'weft.lock')));
    assert.not.ok(existsSync(join(w.ws, '.weft', 'env')));
    const dry = await w.run('up', '--dry-run');
    assert.is(dry.code, 0, 'planning alone waits: the checkout may be at a revision weft up is about to move');
    assert.match(dry.stdout, 'import pending: deps.yaml from a');
  } finally {
    w.sb.cleanup();
  }
});

test('mirrors of the manifest and of the user config apply to imported URLs; the lock keeps the canonical URL', async () => {
  const w = world();
  try {
    const lib = w.repo('lib');
    const app = w.repo('app', { 'weft.yaml': 'sources:\n  lib:\n    git: https://git.example.invalid/lib\n' });
    w.manifest(`sources:\n  app:\n    git: ${app.dir}\nimport:\n  - from: app\nmirrors:\n  "https://git.example.invalid/": "https://mirror.example.invalid/"\n`);
    const config = join(w.env.XDG_CONFIG_HOME!, 'weft');
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, 'config.yaml'), `mirrors:\n  "https://mirror.example.invalid/": "file://${join(w.sb.root, 'upstream')}/"\n`);
    ok(await w.run('up'), 'up');
    assert.is(readFileSync(join(w.ws, 'lib', 'README'), 'utf8'), 'lib 1\n');
    const lock = w.lock();
    assert.match(lock, 'url: https://git.example.invalid/lib');
    assert.not.match(lock, 'mirror.example');
    assert.match(git(w.sb, join(w.ws, 'lib'), 'rev-parse', 'HEAD'), lib.rev('HEAD'));
  } finally {
    w.sb.cleanup();
  }
});

test('a broken user config file is an error with its file:line:col and exit 2', async () => {
  const w = world();
  try {
    const a = w.repo('a');
    w.manifest(`sources:\n  a:\n    git: ${a.dir}\n`);
    const config = join(w.env.XDG_CONFIG_HOME!, 'weft');
    mkdirSync(config, { recursive: true });
    writeFileSync(join(config, 'config.yaml'), 'mirors:\n  x: y\n');
    const r = await w.run('up', '--dry-run');
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, 'config.yaml:1:1');
    assert.match(r.stderr, 'WEFT_E_CONFIG');
    assert.match(r.stderr, 'mirrors');
  } finally {
    w.sb.cleanup();
  }
});

test.run();
