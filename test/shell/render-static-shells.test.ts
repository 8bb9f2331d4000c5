// tcsh, elvish (and pwsh, nu where installed) evaluate weft's output in the real shell and
// end with exactly the environment applyEnv computes; a second render in the activated
// shell changes nothing; the revert gives the user's environment back, their edits kept.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyEnv, buildEnvModel, render, renderUnset, revertEnv, type EnvModel } from '../../src/shell/index.js';
import { isWeftError } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';
import { append, baseEnv, pick, planOf, prepend, set, unset, writeScript } from '../helpers/shell.js';
import { evalFile, findShell, runMore, type MoreShell } from '../helpers/shell-more.js';

// Everything a shell might interpret, without line breaks (see the newline tests below).
const TRICKY = `sp ace 'single' "double" $HOME \${HOME} $(id) \`id\` back\\slash \\' \\\\ \\! % %s %PATH% ! !! !$ !-1 ^ & | < > ( ) ; # * ? [a] {a,b} ~ = é 日本 🙂 ‘curly’ ‚low‛ r#'raw'# tab\tend `;
const TRICKY_DIR = `d ir 'q' "dq" $X \`b\` \\ \\* % ! !! * ? [a] é`;
const MULTILINE = 'first line\nsecond\r\nthird\n';

const tmp = tempDir('weft-render-static-');
const home = tmp.dir;
test.after(() => tmp.cleanup());

function trickyModel(withNewlines: boolean): EnvModel {
  return buildEnvModel(
    planOf({
      workspace: `/ws/${TRICKY_DIR}`,
      name: `lab ${TRICKY_DIR}`,
      env: [
        prepend('PATH', ['tools/bin']),
        set('TRICKY', TRICKY),
        set('LEADING_DASH', '-e'),
        set('EMPTY', ''),
        unset('GONE'),
        ...(withNewlines ? [set('MULTI', MULTILINE)] : []),
      ],
      sources: [{ name: 'a', dir: `/src/a ${TRICKY_DIR}`, env: [prepend('PATH', ['bin']), prepend('PYTHONPATH', ['.', 'src']), append('MYLIST', ['share'])] }],
    }),
    [],
  );
}

const NAMES = ['PATH', 'TRICKY', 'LEADING_DASH', 'EMPTY', 'GONE', 'MULTI', 'PYTHONPATH', 'MYLIST', 'USER_VAR'];
const INHERITED = { TRICKY: `was ${TRICKY}`, GONE: 'here', PYTHONPATH: '/site', MYLIST: ':/x::/y:' };

// A user edit while active, in each shell's own words.
const USER_EDIT: Record<Static, string> = {
  tcsh: 'setenv PATH "/user/bin:$PATH"; setenv USER_VAR 1',
  elvish: 'set-env PATH "/user/bin:"$E:PATH; set-env USER_VAR 1',
  pwsh: '$Env:PATH = "/user/bin:" + $Env:PATH; $Env:USER_VAR = "1"',
  nu: '$env.PATH = ($env.PATH | prepend "/user/bin"); $env.USER_VAR = "1"',
};

type Static = Exclude<MoreShell, 'mksh'>;

const SHELLS: { shell: Static; bin: string | undefined; newlines: boolean; note?: string }[] = [
  { shell: 'tcsh', bin: findShell('tcsh'), newlines: false },
  { shell: 'elvish', bin: findShell('elvish'), newlines: true },
  { shell: 'pwsh', bin: findShell('pwsh'), newlines: true },
  { shell: 'nu', bin: findShell('nu'), newlines: true },
];

for (const { shell, bin, newlines } of SHELLS) {
  if (bin === undefined) {
    // Not installable here: render-formats.test.ts checks this shell's text exactly.
    test(`${shell}: not installed, so only its text output is tested (render-formats.test.ts)`, () => {
      assert.ok(['pwsh', 'nu'].includes(shell), `${shell} must be installed for the round-trip tests`);
    });
    continue;
  }
  const model = trickyModel(newlines);
  const run = (steps: string[], env: Record<string, string>) => {
    const r = runMore(shell, bin, home, steps, env);
    assert.is(r.stderr, '', `${shell} wrote to stderr`);
    assert.is(r.status, 0);
    return r.env;
  };

  test(`${shell}: every value arrives byte for byte after evaluating the output`, () => {
    const base = baseEnv(home, INHERITED);
    const file = writeScript(home, `${shell}-on`, render(model, shell, base));
    const env = run([evalFile(shell, file)], base);
    assert.equal(pick(env, NAMES), pick(applyEnv(model, base), NAMES));
    assert.is(env.TRICKY, TRICKY);
    assert.is(env.EMPTY, '');
    assert.is(env.GONE, undefined);
    assert.is(env.MYLIST, `:/x::/y::/src/a ${TRICKY_DIR}/share`);
    assert.is(env.WEFT_WORKSPACE, `/ws/${TRICKY_DIR}`);
    if (newlines) assert.is(env.MULTI, MULTILINE);
  });

  test(`${shell}: evaluating twice, or rendering again in the activated shell, changes nothing`, () => {
    const base = baseEnv(home, INHERITED);
    const file = writeScript(home, `${shell}-twice`, render(model, shell, base));
    const once = run([evalFile(shell, file)], base);
    const twice = run([evalFile(shell, file), evalFile(shell, file)], base);
    assert.equal(pick(twice, NAMES), pick(once, NAMES));
    const again = writeScript(home, `${shell}-again`, render(model, shell, once));
    const rerendered = run([evalFile(shell, again)], once);
    assert.equal(pick(rerendered, NAMES), pick(once, NAMES));
    assert.is(rerendered.WEFT_PREV_TRICKY, `was ${TRICKY}`);
  });

  test(`${shell}: --unset output restores the environment and keeps the user's own edits`, () => {
    const base = baseEnv(home, INHERITED);
    const on = writeScript(home, `${shell}-on2`, render(model, shell, base));
    const active = run([evalFile(shell, on), USER_EDIT[shell]], base);
    const off = writeScript(home, `${shell}-off`, renderUnset(model, shell, active));
    const after = run([evalFile(shell, off)], active);
    assert.equal(pick(after, NAMES), pick(revertEnv(model, active), NAMES));
    assert.equal(pick(after, NAMES), pick({ ...base, PATH: `/user/bin:${base.PATH}`, USER_VAR: '1' }, NAMES));
    assert.equal(Object.keys(after).filter((k) => k.startsWith('WEFT_')), []);
    const offAgain = writeScript(home, `${shell}-off2`, renderUnset(model, shell, after));
    assert.equal(pick(run([evalFile(shell, offAgain)], after), NAMES), pick(after, NAMES));
  });
}

const tcsh = findShell('tcsh');

test('tcsh: an interactive shell, where ! means history, evaluates the output exactly', () => {
  assert.ok(tcsh, 'tcsh must be installed');
  const model = trickyModel(false);
  const base = baseEnv(home, INHERITED);
  const file = writeScript(home, 'tcsh-interactive', render(model, 'tcsh', base));
  const r = runMore('tcsh', tcsh!, home, ['echo first command', evalFile('tcsh', file)], base, true);
  assert.is(r.env.TRICKY, TRICKY, r.stderr);
  assert.equal(pick(r.env, NAMES), pick(applyEnv(model, base), NAMES));
});

test('tcsh: the output also works with source, and the PATH tcsh exports is weft\'s', () => {
  const model = trickyModel(false);
  const base = baseEnv(home, { PATH: '/usr/bin::/bin' });
  const file = writeScript(home, 'tcsh-source', render(model, 'tcsh', base));
  const r = runMore('tcsh', tcsh!, home, [`source '${file}'`], base);
  assert.is(r.stderr, '');
  assert.equal(pick(r.env, NAMES), pick(applyEnv(model, base), NAMES));
});

test('tcsh: a value with a line break is refused, naming the variable, and nothing is printed', () => {
  let out: string | undefined;
  try {
    out = render(trickyModel(true), 'tcsh', baseEnv(home));
  } catch (err) {
    assert.ok(isWeftError(err));
    assert.is(err.code, 'WEFT_E_ENV_SHELL_VALUE');
    assert.match(err.message, /^MULTI cannot be expressed for tcsh/);
    assert.ok(err.hint);
  }
  assert.is(out, undefined);
});

test('tcsh: a workspace path with a line break is refused as WEFT_WORKSPACE', () => {
  const model = buildEnvModel(planOf({ workspace: '/ws/a\nb', env: [set('X', '1')] }), []);
  assert.throws(() => render(model, 'tcsh', {}), (e: unknown) => isWeftError(e) && e.message.startsWith('WEFT_WORKSPACE cannot be expressed for tcsh'));
});

test.run();
