// Leaving a workspace gives the shell back as it was, export status included: a variable
// the user set without exporting it (bash `FOO=x`, zsh likewise, fish `set -g FOO x`) that
// the workspace sets is set again afterwards, and still not exported, so the programs the
// shell starts do not see it; nor do they see its old value while inside.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { interactive, valueOf, type HookShellName } from '../helpers/hook-shell.js';
import { tempDir } from '../helpers/tmp.js';

// MINE was set and not exported, THEIRS exported, FRESH did not exist; CDPATH (a list
// variable, and one users keep unexported on purpose) and HUSH (which the workspace unsets)
// were set and not exported.
const NAMES = ['MINE', 'THEIRS', 'FRESH', 'CDPATH', 'HUSH'];
const MANIFEST = 'env:\n  MINE: ws\n  THEIRS: ws\n  FRESH: ws\n  CDPATH: cdp\n  HUSH: { unset: true }\n';

/** Prints KEY_SHELL=[…] (the shell's values) and KEY_CHILD=[…] (what a program it starts sees). */
function show(shell: HookShellName, key: string): string[] {
  const child = `/bin/sh -c 'echo "${key}_CHILD=[${NAMES.map((n) => `\${${n}-none}`).join(',')}]"'`;
  if (shell === 'fish') {
    const one = (n: string) => `(if set -q ${n}; string join : -- $${n}; else; echo none; end)`;
    return [`echo "${key}_SHELL=["${NAMES.map(one).join('","')}"]"`, child];
  }
  return [`echo "${key}_SHELL=[${NAMES.map((n) => `\${${n}-none}`).join(',')}]"`, child];
}

function script(shell: HookShellName, hookFile: string, ws: string, out: string): string {
  const before =
    shell === 'fish'
      ? [`source ${hookFile}`, 'set -g MINE mine', 'set -gx THEIRS theirs', 'set -e FRESH', 'set -g CDPATH /cd', 'set -g HUSH hush']
      : [`eval "$(cat ${hookFile})"`, 'MINE=mine', 'export THEIRS=theirs', 'unset FRESH', 'CDPATH=/cd', 'HUSH=hush'];
  // Inside, what a program sees of the values weft keeps for leaving.
  const saved = `/bin/sh -c 'echo "B_SAVED=[\${WEFT_PREV_MINE-none},\${WEFT_PREV_HUSH-none},\${WEFT_PREV_THEIRS-none}]"'`;
  return [...before, ...show(shell, 'A'), `cd ${ws}`, ...show(shell, 'B'), saved, `cd ${out}`, ...show(shell, 'C')].join('\n');
}

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  test(`${shell}: leaving a workspace gives back a variable that was set and not exported as it was: its value, still not exported`, async () => {
    const { dir, cleanup } = tempDir('weft-hook-unexported-');
    try {
      const ws = join(dir, 'ws');
      const out = join(dir, 'out');
      mkdirSync(ws, { recursive: true });
      mkdirSync(out, { recursive: true });
      writeFileSync(join(ws, 'weft.yaml'), MANIFEST);
      const env = isolatedEnv(dir, { PATH: '/usr/local/bin:/usr/bin:/bin' });
      assert.is((await weft(['up', '-q'], { cwd: ws, env })).code, 0);
      assert.is((await weft(['trust'], { cwd: ws, env })).code, 0);
      const hook = await weft(['hook', shell], { cwd: dir, env });
      assert.is(hook.code, 0, hook.stderr);
      const hookFile = join(dir, `hook.${shell}`);
      writeFileSync(hookFile, hook.stdout);
      const r = await interactive(shell, script(shell, hookFile, ws, out), env, dir);
      const msg = `${r.out}\n${r.err}`;
      assert.is(valueOf(r.out, 'A_SHELL'), 'mine,theirs,none,/cd,hush', msg);
      assert.is(valueOf(r.out, 'A_CHILD'), 'none,theirs,none,none,none', msg);
      // Inside, the workspace's values reach the programs the shell starts.
      const inside = `ws,ws,ws,${join(ws, 'cdp')}:/cd,none`;
      assert.is(valueOf(r.out, 'B_SHELL'), inside, msg);
      assert.is(valueOf(r.out, 'B_CHILD'), inside, msg);
      // The values the user did not export are kept from programs inside too; an exported
      // one's old value they saw before anyway.
      assert.is(valueOf(r.out, 'B_SAVED'), 'none,none,theirs', msg);
      assert.is(valueOf(r.out, 'C_SHELL'), 'mine,theirs,none,/cd,hush', msg);
      assert.is(valueOf(r.out, 'C_CHILD'), 'none,theirs,none,none,none', msg);
      assert.not.match(r.err, 'weft:', msg);
    } finally {
      cleanup();
    }
  });
}

test.run();
