// zsh users who `setopt warn_create_global` get a warning for every global a function
// creates. The hook sources the env files inside its function, so weft's scratch variables
// (the record being built, list helpers) must not be globals: entering and leaving a
// workspace prints nothing, and what the files set for the user still reaches them.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { interactive, valueOf } from '../helpers/hook-shell.js';
import { tempDir } from '../helpers/tmp.js';

test('zsh with warn_create_global: entering and leaving a workspace (a list and a plain variable) prints no warning', async () => {
  const { dir, cleanup } = tempDir('weft-zsh-wcg-');
  try {
    const ws = join(dir, 'ws');
    const out = join(dir, 'out');
    mkdirSync(join(ws, 'lib', 'bin'), { recursive: true });
    mkdirSync(out);
    writeFileSync(join(ws, 'weft.yaml'), 'sources:\n  lib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  WEFT_DEMO: hello\n');
    const env = isolatedEnv(dir, { PATH: '/usr/local/bin:/usr/bin:/bin' });
    assert.is((await weft(['up', '-q'], { cwd: ws, env })).code, 0);
    assert.is((await weft(['trust', '-q'], { cwd: ws, env })).code, 0);
    const hook = await weft(['hook', 'zsh'], { cwd: dir, env });
    assert.is(hook.code, 0, hook.stderr);
    const file = join(dir, 'hook.zsh');
    writeFileSync(file, hook.stdout);
    const script = [
      'setopt warn_create_global',
      `eval "$(cat ${file})"`,
      `cd ${ws}`,
      'echo "IN=[${WEFT_DEMO-}|$PATH]"',
      `cd ${out}`,
      'echo "OUT=[${WEFT_DEMO-none}|$PATH]"',
    ].join('\n');
    const r = await interactive('zsh', script, env, dir);
    const msg = `${r.out}\n${r.err}`;
    assert.is(valueOf(r.out, 'IN'), `hello|${join(ws, 'lib', 'bin')}:/usr/local/bin:/usr/bin:/bin`, msg);
    assert.is(valueOf(r.out, 'OUT'), 'none|/usr/local/bin:/usr/bin:/bin', msg);
    assert.not.match(r.err, 'created globally', msg);
  } finally {
    cleanup();
  }
});

test.run();
