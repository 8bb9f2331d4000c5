// Reverting in each real shell takes out only what weft put in: user edits made while
// active survive, replaced variables come back, a second revert changes nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyEnv, buildEnvModel, modelFromRecord, render, renderUnset, revertEnv, type EnvModel } from '../../src/shell/index.js';
import { tempDir } from '../helpers/tmp.js';
import { TEST_SHELLS, append, baseEnv, pick, planOf, prepend, runShell, set, sourceLine, unset, writeScript } from '../helpers/shell.js';

const tmp = tempDir('weft-shell-unset-');
const home = tmp.dir;
test.after(() => tmp.cleanup());

const ODD = `o'dd "v" $x \`y\` \\ %!* é\nz`;

function model(): EnvModel {
  return buildEnvModel(
    planOf({
      workspace: `/ws ${ODD}`,
      env: [prepend('PATH', ['bin']), set('MODE', ODD), unset('GONE'), set('FRESH', 'new')],
      sources: [
        { name: 'a', dir: '/src/a', env: [prepend('PYTHONPATH', ['.']), append('PATH', ['tail']), set('BASED', 'b1'), prepend('BASED', ['/p'])] },
      ],
    }),
    [],
  );
}

const NAMES = ['PATH', 'MODE', 'GONE', 'FRESH', 'PYTHONPATH', 'BASED', 'USER_VAR'];
const INHERITED = { PATH: '/usr/bin:/bin', MODE: `prev ${ODD}`, GONE: 'was here', PYTHONPATH: '/site', BASED: '/orig:/x' };

// A user edit while active: their own PATH entry and an unrelated variable.
const USER_EDIT: Record<string, string> = {
  sh: 'export PATH="/user/bin:$PATH"; export USER_VAR=1',
  bash: 'export PATH="/user/bin:$PATH"; export USER_VAR=1',
  zsh: 'export PATH="/user/bin:$PATH"; export USER_VAR=1',
  fish: 'set -gx PATH /user/bin $PATH; set -gx USER_VAR 1',
};

for (const shell of TEST_SHELLS) {
  test(`${shell}: apply, a user edit, then revert leaves the user's environment with the edit`, () => {
    const m = model();
    const on = writeScript(home, `on-${shell}`, render(m, shell));
    const off = writeScript(home, `off-${shell}`, renderUnset(m, shell));
    const base = baseEnv(home, INHERITED);
    const r = runShell(shell, [sourceLine(shell, on), USER_EDIT[shell], sourceLine(shell, off)].join('\n'), base);
    assert.is(r.stderr, '');
    const edited = { ...applyEnv(m, base), PATH: `/user/bin:${applyEnv(m, base).PATH}`, USER_VAR: '1' };
    assert.equal(pick(r.env, NAMES), pick(revertEnv(m, edited), NAMES));
    assert.equal(pick(r.env, NAMES), pick({ ...base, PATH: '/user/bin:/usr/bin:/bin', USER_VAR: '1' }, NAMES));
  });

  test(`${shell}: reverting twice, or without applying, changes nothing more`, () => {
    const m = model();
    const on = writeScript(home, `on2-${shell}`, render(m, shell));
    const off = writeScript(home, `off2-${shell}`, renderUnset(m, shell));
    const base = baseEnv(home, INHERITED);
    const twice = runShell(shell, [sourceLine(shell, on), sourceLine(shell, off), sourceLine(shell, off)].join('\n'), base);
    assert.equal(pick(twice.env, NAMES), pick(base, NAMES));
    const never = runShell(shell, sourceLine(shell, off), base);
    assert.equal(pick(never.env, NAMES), pick(base, NAMES));
  });

  test(`${shell}: a variable weft created is unset again, one it unset comes back`, () => {
    const m = model();
    const on = writeScript(home, `on3-${shell}`, render(m, shell));
    const off = writeScript(home, `off3-${shell}`, renderUnset(m, shell));
    const base = baseEnv(home, { GONE: 'back' });
    const r = runShell(shell, [sourceLine(shell, on), sourceLine(shell, on), sourceLine(shell, off)].join('\n'), base);
    assert.is(r.env.FRESH, undefined);
    assert.is(r.env.GONE, 'back');
    assert.is(r.env.PYTHONPATH, undefined);
    assert.is(r.env.WEFT_ENV_ADDED, undefined);
    assert.is(r.env.WEFT_WORKSPACE, undefined);
    assert.equal(Object.keys(r.env).filter((k) => k.startsWith('WEFT_')), []);
  });

  test(`${shell}: an entry the user had before weft added it is still there after the revert`, () => {
    const m = model();
    const on = writeScript(home, `on5-${shell}`, render(m, shell));
    const base = baseEnv(home, { ...INHERITED, PATH: '/usr/bin:/src/a/tail:/bin', PYTHONPATH: '/src/a:/site' });
    // Applied twice, as eval twice or a re-apply does: the second must not claim the entry.
    const active = runShell(shell, `${sourceLine(shell, on)}\n${sourceLine(shell, on)}`, base).env;
    assert.equal(pick(active, NAMES), pick(applyEnv(m, base), NAMES));
    assert.is(active.WEFT_ENV_ADDED, applyEnv(m, base).WEFT_ENV_ADDED);
    const off = writeScript(home, `off5-${shell}`, renderUnset(modelFromRecord(active)!, shell));
    const r = runShell(shell, sourceLine(shell, off), active);
    assert.is(r.env.PATH, '/usr/bin:/bin:/src/a/tail');
    assert.is(r.env.PYTHONPATH, '/src/a:/site');
  });

  test(`${shell}: the record alone is enough to revert once the model is gone`, () => {
    const m = model();
    const on = writeScript(home, `on4-${shell}`, render(m, shell));
    const base = baseEnv(home, INHERITED);
    const active = runShell(shell, sourceLine(shell, on), base).env;
    const recorded = modelFromRecord(active);
    assert.ok(recorded);
    const off = writeScript(home, `off4-${shell}`, renderUnset(recorded!, shell));
    const r = runShell(shell, sourceLine(shell, off), active);
    assert.equal(pick(r.env, NAMES), pick(base, NAMES));
  });
}

test.run();
