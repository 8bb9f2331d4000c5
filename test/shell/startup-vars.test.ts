// Variables that change how programs start (safety.md) are applied only once the
// workspace is trusted: weft env, weft run and weft foreach refuse, apply nothing, and
// say which variable from which file:line, and how to trust.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { changesProgramStart } from '../../src/shell/startup-vars.js';

function world(manifest: string) {
  const t = tempDir('weft-startup-');
  const ws = join(t.dir, 'ws');
  mkdirSync(join(ws, 'lib'), { recursive: true });
  writeFileSync(join(ws, 'weft.yaml'), manifest);
  const env = isolatedEnv(t.dir, { PATH: '/usr/local/bin:/usr/bin:/bin' });
  return { ...t, ws, env, run: (...args: string[]) => weft(args, { cwd: ws, env }) };
}

const MANIFEST = `sources:
  lib:
    local: lib
    env:
      PATH: bin
      NODE_OPTIONS: --require ./evil.js
env:
  DEMO: plain
  LD_PRELOAD: /tmp/evil.so
`;

test('the list covers what safety.md names, the loaders and git, and not ordinary variables', () => {
  for (const n of ['LD_PRELOAD', 'LD_LIBRARY_PATH', 'DYLD_INSERT_LIBRARIES', 'BASH_ENV', 'ENV', 'PROMPT_COMMAND', 'NODE_OPTIONS', 'PYTHONSTARTUP', 'GIT_SSH_COMMAND', 'GIT_CONFIG_KEY_0', 'PS1']) {
    assert.ok(changesProgramStart(n), n);
  }
  for (const n of ['PATH', 'PYTHONPATH', 'NODE_PATH', 'DJANGO_SETTINGS_MODULE', 'GIT_AUTHOR_NAME', 'ENVIRONMENT']) assert.not.ok(changesProgramStart(n), n);
});

test('weft env of an untrusted workspace refuses, prints no code, and names each variable with its file:line', async () => {
  const w = world(MANIFEST);
  try {
    for (const args of [['env', '--shell', 'bash'], ['env', '--json'], ['env', '--dotenv']]) {
      const r = await w.run(...args);
      assert.is(r.code, 1, args.join(' '));
      // No code and no values: --json gets the refusal as data, the others nothing at all.
      if (args[1] === '--json') {
        const data = JSON.parse(r.stdout) as { ok: boolean; errors: { code: string }[] };
        assert.equal([data.ok, data.errors.map((e) => e.code)], [false, ['WEFT_E_UNTRUSTED_ENV']]);
        assert.not.match(r.stdout, '/tmp/evil.so');
      } else assert.is(r.stdout, '', args.join(' '));
      assert.match(r.stderr, 'WEFT_E_UNTRUSTED_ENV');
      assert.match(r.stderr, /LD_PRELOAD \(weft\.yaml:9:\d+\)/);
      assert.match(r.stderr, /NODE_OPTIONS \(weft\.yaml:6:\d+, source lib\)/);
      assert.match(r.stderr, `weft -C '${w.ws}' trust`);
    }
  } finally {
    w.cleanup();
  }
});

test('after weft up the pre-rendered files are not a way around it, and weft trust lets them through', async () => {
  const w = world(MANIFEST);
  try {
    assert.is((await w.run('up', '-q')).code, 0);
    const refused = await w.run('env', '--shell', 'bash');
    assert.is(refused.code, 1);
    assert.is(refused.stdout, '');
    assert.is((await w.run('trust')).code, 0);
    const allowed = await w.run('env', '--shell', 'bash');
    assert.is(allowed.code, 0, allowed.stderr);
    assert.match(allowed.stdout, "export LD_PRELOAD='/tmp/evil.so'");
  } finally {
    w.cleanup();
  }
});

test('weft run and weft foreach of an untrusted workspace run nothing', async () => {
  const w = world(MANIFEST);
  try {
    const marker = join(w.dir, 'ran');
    const run = await w.run('run', '--', 'sh', '-c', `touch ${marker}`);
    assert.is(run.code, 1);
    assert.match(run.stderr, 'WEFT_E_UNTRUSTED_ENV');
    const each = await w.run('foreach', '--', 'sh', '-c', `touch ${marker}`);
    assert.is(each.code, 1);
    assert.match(each.stderr, 'WEFT_E_UNTRUSTED_ENV');
    assert.not.ok(existsSync(marker));
    assert.is((await w.run('trust')).code, 0);
    const trusted = await w.run('run', '--', 'sh', '-c', `echo "$LD_PRELOAD"; touch ${marker}`);
    assert.is(trusted.code, 0, trusted.stderr);
    assert.ok(existsSync(marker));
  } finally {
    w.cleanup();
  }
});

test('an untrusted workspace without such variables is applied as before', async () => {
  const w = world('sources:\n  lib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  DEMO: plain\n  LD_PRELOAD: { unset: true }\n');
  try {
    const r = await w.run('run', '--', 'sh', '-c', 'echo "$DEMO"');
    assert.is(r.code, 0, r.stderr);
    assert.is(r.stdout, 'plain\n');
  } finally {
    w.cleanup();
  }
});

test.run();
