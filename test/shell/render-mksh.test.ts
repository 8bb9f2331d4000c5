// mksh runs the POSIX sh rendering (the one dash runs in render-shells.test.ts) exactly.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyEnv, buildEnvModel, render, renderUnset, revertEnv, type EnvModel } from '../../src/shell/index.js';
import { tempDir } from '../helpers/tmp.js';
import { append, baseEnv, pick, planOf, prepend, set, unset, writeScript } from '../helpers/shell.js';
import { evalFile, findShell, runMore } from '../helpers/shell-more.js';

const TRICKY = `sp ace 'single' "double" $HOME \${HOME} $(id) \`id\` back\\slash \\' \\\\ % %s ! !! * ? [a] ~ é 日本 🙂 tab\tend\nsecond line\n`;
const DIR = `d ir 'q' "dq" $X \`b\` \\ \\* % ! * ? [a] é\nnl`;
const NAMES = ['PATH', 'TRICKY', 'GONE', 'PYTHONPATH', 'MYLIST', 'USER_VAR'];

const tmp = tempDir('weft-render-mksh-');
test.after(() => tmp.cleanup());
const mksh = findShell('mksh');

function model(): EnvModel {
  return buildEnvModel(
    planOf({
      workspace: `/ws/${DIR}`,
      env: [prepend('PATH', ['tools/bin']), set('TRICKY', TRICKY), unset('GONE')],
      sources: [{ name: 'a', dir: `/src/${DIR}`, env: [prepend('PYTHONPATH', ['.']), append('MYLIST', ['share']), append('PATH', ['/tail'])] }],
    }),
    [],
  );
}

function run(steps: string[], env: Record<string, string>) {
  assert.ok(mksh, 'mksh must be installed');
  const r = runMore('mksh', mksh!, tmp.dir, steps, env);
  assert.is(r.stderr, '');
  return r.env;
}

test('mksh: the sh rendering, sourced or evaluated once or twice, gives what applyEnv gives', () => {
  const base = baseEnv(tmp.dir, { TRICKY: 'old', GONE: 'here', PYTHONPATH: '/site', MYLIST: ':/x::/y:', PATH: '/usr/bin::/bin' });
  const file = writeScript(tmp.dir, 'mksh-on', render(model(), 'sh'));
  const expected = pick(applyEnv(model(), base), NAMES);
  assert.equal(pick(run([`. '${file}'`], base), NAMES), expected);
  assert.equal(pick(run([evalFile('mksh', file)], base), NAMES), expected);
  assert.equal(pick(run([evalFile('mksh', file), evalFile('mksh', file)], base), NAMES), expected);
  assert.is(run([`. '${file}'`], base).TRICKY, TRICKY);
});

test('mksh: the sh revert, after a user edit, keeps the edit and restores the rest', () => {
  const base = baseEnv(tmp.dir, { TRICKY: 'old', GONE: 'here', PYTHONPATH: '/site' });
  const on = writeScript(tmp.dir, 'mksh-on2', render(model(), 'sh'));
  const off = writeScript(tmp.dir, 'mksh-off', renderUnset(model(), 'sh'));
  const env = run([`. '${on}'`, 'export PATH="/user/bin:$PATH" USER_VAR=1', `. '${off}'`, `. '${off}'`], base);
  const active = applyEnv(model(), base);
  assert.equal(pick(env, NAMES), pick(revertEnv(model(), { ...active, PATH: `/user/bin:${active.PATH}`, USER_VAR: '1' }), NAMES));
  assert.is(env.PATH, `/user/bin:${base.PATH}`);
  assert.is(env.TRICKY, 'old');
});

test.run();
