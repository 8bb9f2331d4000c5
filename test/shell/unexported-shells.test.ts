// A variable the shell had set but not exported comes back that way when weft's environment
// is taken out: its value, and still not exported, in bash, zsh and fish. Each run prints
// the shell's own values (SHELL=[…]); runShell reads what the shell exports with env -0.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyEnv, buildEnvModel, modelFromRecord, render, renderUnset, type EnvModel } from '../../src/shell/index.js';
import { valueOf } from '../helpers/hook-shell.js';
import { tempDir } from '../helpers/tmp.js';
import { baseEnv, planOf, prepend, runShell, set, sourceLine, unset, writeScript, type TestShell } from '../helpers/shell.js';

const tmp = tempDir('weft-shell-unexported-');
const home = tmp.dir;
test.after(() => tmp.cleanup());

const NAMES = ['MINE', 'THEIRS', 'FRESH', 'CDPATH', 'HUSH'];

function model(): EnvModel {
  return buildEnvModel(
    planOf({ workspace: '/ws', env: [set('MINE', 'ws'), set('THEIRS', 'ws'), set('FRESH', 'ws'), prepend('CDPATH', ['cdp']), unset('HUSH')] }),
    [],
  );
}

/** MINE, CDPATH and HUSH set and not exported; THEIRS comes exported from the environment. */
function setUp(shell: TestShell): string {
  return shell === 'fish' ? 'set -g MINE mine; set -g CDPATH /cd; set -g HUSH hush' : 'MINE=mine; CDPATH=/cd; HUSH=hush';
}

function show(shell: TestShell): string {
  if (shell === 'fish') {
    const one = (n: string) => `(if set -q ${n}; string join : -- $${n}; else; echo none; end)`;
    return `echo "SHELL=["${NAMES.map(one).join('","')}"]"`;
  }
  return `echo "SHELL=[${NAMES.map((n) => `\${${n}-none}`).join(',')}]"`;
}

const exported = (env: Record<string, string>) => NAMES.filter((n) => n in env);

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  test(`${shell}: applied (twice) and taken out, a variable that was set and not exported is set again, not exported`, () => {
    const m = model();
    const on = writeScript(home, `on-${shell}`, render(m, shell));
    const off = writeScript(home, `off-${shell}`, renderUnset(m, shell));
    const base = baseEnv(home, { THEIRS: 'theirs' });
    const active = runShell(shell, [setUp(shell), sourceLine(shell, on), sourceLine(shell, on)].join('\n'), base);
    assert.is(active.stderr, '');
    assert.equal(exported(active.env), NAMES.filter((n) => n !== 'HUSH'));
    assert.is(active.env.WEFT_ENV_ADDED, '-MINE:=MINE:=THEIRS:=FRESH:-CDPATH:+CDPATH:/ws/cdp:-HUSH:=HUSH');
    const r = runShell(shell, [setUp(shell), sourceLine(shell, on), sourceLine(shell, on), sourceLine(shell, off), show(shell)].join('\n'), base);
    assert.is(r.stderr, '');
    assert.is(valueOf(r.stdout, 'SHELL'), 'mine,theirs,none,/cd,hush', r.stdout);
    assert.equal(exported(r.env), ['THEIRS']);
    assert.equal(Object.keys(r.env).filter((k) => k.startsWith('WEFT_')), []);
  });

  test(`${shell}: a shell that inherited the environment (a nested shell) takes it out from the record alone: what it never had is unset, the rest as it was`, () => {
    const m = model();
    const on = writeScript(home, `on2-${shell}`, render(m, shell));
    // The outer shell exports the old values of what it exported (THEIRS), not of what it kept
    // to itself (MINE, HUSH): a nested shell, and any program started inside, never had those.
    const outer = runShell(shell, [setUp(shell), sourceLine(shell, on)].join('\n'), baseEnv(home, { THEIRS: 'theirs' })).env;
    assert.is(outer.WEFT_PREV_THEIRS, 'theirs');
    assert.is(outer.WEFT_PREV_MINE, undefined);
    assert.is(outer.WEFT_PREV_HUSH, undefined);
    // Applied again in the nested shell (its rc file, a re-apply), the marks stay, as applyEnv keeps them.
    const again = runShell(shell, sourceLine(shell, on), outer).env;
    assert.is(again.WEFT_ENV_ADDED, outer.WEFT_ENV_ADDED);
    assert.is(applyEnv(m, outer).WEFT_ENV_ADDED, outer.WEFT_ENV_ADDED);
    const off = writeScript(home, `off2-${shell}`, renderUnset(modelFromRecord(outer)!, shell));
    const r = runShell(shell, [sourceLine(shell, off), show(shell)].join('\n'), outer);
    assert.is(r.stderr, '');
    // CDPATH is a list: weft's entry goes, the rest stays (as a variable of this shell).
    assert.is(valueOf(r.stdout, 'SHELL'), 'none,theirs,none,/cd,none', r.stdout);
    assert.equal(exported(r.env), ['THEIRS']);
  });
}

test('sh: cannot tell what is exported (no builtin says so), so a variable it had unexported comes back with its value, exported', () => {
  const m = model();
  const on = writeScript(home, 'on-sh', render(m, 'sh'));
  const off = writeScript(home, 'off-sh', renderUnset(m, 'sh'));
  const r = runShell('sh', [setUp('sh'), sourceLine('sh', on), sourceLine('sh', off), show('sh')].join('\n'), baseEnv(home, { THEIRS: 'theirs' }));
  assert.is(r.stderr, '');
  assert.is(valueOf(r.stdout, 'SHELL'), 'mine,theirs,none,/cd,hush', r.stdout);
  assert.equal(exported(r.env), ['MINE', 'THEIRS', 'CDPATH', 'HUSH']);
});

test.run();
