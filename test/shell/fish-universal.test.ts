// fish keeps universal variables (set -U) across all its sessions. A workspace that sets one
// shadows it with a global while you are inside; leaving must take that global away, so the
// universal shows again, as it is by then (another fish may have changed it meanwhile), not
// leave a global copy of its old value in front of it for the rest of the session.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { interactive, valueOf } from '../helpers/hook-shell.js';
import { tempDir } from '../helpers/tmp.js';

test('fish: leaving a workspace that set a universal variable shows the universal again, with no global copy left in front of it', async () => {
  const { dir, cleanup } = tempDir('weft-fish-universal-');
  try {
    const ws = join(dir, 'ws');
    const out = join(dir, 'out');
    mkdirSync(ws);
    mkdirSync(out);
    writeFileSync(join(ws, 'weft.yaml'), 'env:\n  FOO: ws\n');
    // Universal variables live under XDG_CONFIG_HOME, which isolatedEnv puts in the sandbox.
    // An interactive fish that reads its configuration starts generating completions from
    // man pages in the background on its first run, writing into the sandbox after the test
    // ends, unless that directory exists (or FISH_UNIT_TESTS_RUNNING is set): both, here.
    const env = isolatedEnv(dir, { PATH: '/usr/local/bin:/usr/bin:/bin', FISH_UNIT_TESTS_RUNNING: '1' });
    mkdirSync(join(env.HOME!, '.local', 'share', 'fish', 'generated_completions'), { recursive: true });
    assert.is((await weft(['up', '-q'], { cwd: ws, env })).code, 0);
    assert.is((await weft(['trust', '-q'], { cwd: ws, env })).code, 0);
    const hook = await weft(['hook', 'fish'], { cwd: dir, env });
    assert.is(hook.code, 0, hook.stderr);
    const file = join(dir, 'hook.fish');
    writeFileSync(file, hook.stdout);
    const show = (label: string) => `echo "${label}=[$FOO|"(set -qg FOO; and echo global; or echo no-global)"]"`;
    const script = [
      `source ${file}`,
      'set -U FOO mine',
      show('A'),
      `cd ${ws}`,
      'emit fish_prompt',
      show('B'),
      `cd ${out}`,
      'emit fish_prompt',
      show('C'),
      // Changed the way another fish would change it: seen here, nothing in front of it.
      'set -U FOO changed',
      show('D'),
      'set -eU FOO',
    ].join('\n');
    // Not --no-config, under which `set -U` makes a global; the configuration it reads is the
    // sandbox's (none) and the system's.
    const r = await interactive('fish', script, env, dir, ['fish', '-i']);
    const msg = `${r.out}\n${r.err}`;
    assert.is(valueOf(r.out, 'A'), 'mine|no-global', msg);
    assert.is(valueOf(r.out, 'B'), 'ws|global', msg);
    assert.is(valueOf(r.out, 'C'), 'mine|no-global', msg);
    assert.is(valueOf(r.out, 'D'), 'changed|no-global', msg);
    assert.not.match(r.err, 'weft:', msg);
  } finally {
    cleanup();
  }
});

test.run();
