// Every shell, sourcing or eval-ing weft's rendering, ends with exactly the environment
// applyEnv computes: the one definition of the semantics.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyEnv, buildEnvModel, render, type EnvModel } from '../../src/shell/index.js';
import { tempDir } from '../helpers/tmp.js';
import {
  TEST_SHELLS,
  append,
  baseEnv,
  checkoutOf,
  evalLine,
  pick,
  planOf,
  prepend,
  runShell,
  set,
  sourceLine,
  unset,
  writeScript,
  type TestShell,
} from '../helpers/shell.js';

// Everything a shell might try to interpret; ':' is refused upstream, so never in a path.
const TRICKY = `sp ace 'single' "double" $HOME \${HOME} $(id) \`id\` back\\slash \\' \\\\ % %s ! !! * ? [a] ~ é 日本 🙂 tab\tend\nsecond line\n`;
const TRICKY_DIR = `d ir 'q' "dq" $X \`b\` \\ \\* % ! * ? [a] [!x] é\nnl`;

const tmp = tempDir('weft-shell-render-');
const home = tmp.dir;
test.after(() => tmp.cleanup());

function trickyModel(): EnvModel {
  const plan = planOf({
    workspace: `/ws/${TRICKY_DIR}`,
    name: `lab ${TRICKY_DIR}`,
    env: [prepend('PATH', ['tools/bin', `/abs/${TRICKY_DIR}/bin`]), set('TRICKY', TRICKY), set('LEADING_DASH', '-e'), unset('GONE')],
    sources: [
      { name: 'a', dir: `/src/a ${TRICKY_DIR}`, env: [prepend('PATH', ['bin']), prepend('PYTHONPATH', ['.', 'src']), append('MYLIST', ['share'])] },
      { name: 'b', dir: '/src/b', env: [prepend('PATH', ['bin']), append('PATH', ['/tail'])] },
    ],
  });
  return buildEnvModel(plan, [checkoutOf('a', `/co/a ${TRICKY_DIR}`)]);
}

const NAMES = ['PATH', 'TRICKY', 'LEADING_DASH', 'GONE', 'PYTHONPATH', 'MYLIST', 'WEFT_ENV_ADDED'];

function check(shell: TestShell, model: EnvModel, extra: Record<string, string>, how: 'source' | 'eval' | 'twice') {
  const file = writeScript(home, `env-${shell}-${how}`, render(model, shell));
  const line = how === 'source' ? sourceLine(shell, file) : evalLine(shell, file);
  const script = how === 'twice' ? `${line}\n${line}` : line;
  const base = baseEnv(home, extra);
  const r = runShell(shell, script, base);
  assert.is(r.stderr, '', `${shell} wrote to stderr`);
  assert.equal(pick(r.env, NAMES), pick(applyEnv(model, base), NAMES));
  return r.env;
}

for (const shell of TEST_SHELLS) {
  test(`${shell}: tricky values and paths arrive byte for byte when the file is sourced`, () => {
    const env = check(shell, trickyModel(), { TRICKY: 'old', GONE: 'here', MYLIST: '/x:/co/a ' + TRICKY_DIR + '/share' }, 'source');
    assert.is(env.TRICKY, TRICKY);
    assert.is(env.LEADING_DASH, '-e');
    assert.is(env.GONE, undefined);
    assert.is(env.WEFT_PREV_TRICKY, 'old');
    assert.is(env.WEFT_PREV_GONE, 'here');
  });

  test(`${shell}: the order is workspace first, then sources, then the inherited entries, then appends`, () => {
    const env = check(shell, trickyModel(), { PATH: '/src/b/bin:/usr/bin:/tail:/bin' }, 'eval');
    assert.equal(env.PATH!.split(':'), [
      `/ws/${TRICKY_DIR}/tools/bin`,
      `/abs/${TRICKY_DIR}/bin`,
      `/co/a ${TRICKY_DIR}/bin`,
      '/src/b/bin',
      '/usr/bin',
      '/bin',
      '/tail',
    ]);
  });

  test(`${shell}: evaluating twice gives what evaluating once gives`, () => {
    const extra = { TRICKY: 'before', PYTHONPATH: '/mine' };
    const once = check(shell, trickyModel(), extra, 'eval');
    const twice = check(shell, trickyModel(), extra, 'twice');
    assert.equal(pick(twice, NAMES), pick(once, NAMES));
    assert.is(twice.WEFT_PREV_TRICKY, 'before');
  });

  test(`${shell}: a file rendered earlier stays right in a shell whose PATH differs`, () => {
    const model = trickyModel();
    const env = check(shell, model, { PATH: '/opt/other/bin:/usr/bin', PYTHONPATH: '/site' }, 'source');
    assert.ok(env.PATH!.endsWith(':/opt/other/bin:/usr/bin:/tail'));
    assert.ok(env.PYTHONPATH!.endsWith(':/site'));
  });

  test(`${shell}: an unset or empty inherited list gives just weft's entries`, () => {
    const model = trickyModel();
    const unsetEnv = check(shell, model, {}, 'source');
    assert.is(unsetEnv.PYTHONPATH, `/co/a ${TRICKY_DIR}:/co/a ${TRICKY_DIR}/src`);
    const emptyEnv = check(shell, model, { PYTHONPATH: '', MYLIST: '' }, 'source');
    assert.is(emptyEnv.PYTHONPATH, unsetEnv.PYTHONPATH);
    assert.is(emptyEnv.MYLIST, `/co/a ${TRICKY_DIR}/share`);
  });

  test(`${shell}: empty elements of the inherited value are kept`, () => {
    const env = check(shell, trickyModel(), { MYLIST: ':/x::/y:' }, 'source');
    assert.is(env.MYLIST, `:/x::/y::/co/a ${TRICKY_DIR}/share`);
  });

  test(`${shell}: a set value is the base the prepends go onto, whatever was inherited`, () => {
    const model = buildEnvModel(
      planOf({ workspace: '/ws', env: [set('PYTHONPATH', '/base:/x')], sources: [{ name: 's', dir: '/s', env: [prepend('PYTHONPATH', ['lib', '/x'])] }] }),
      [],
    );
    const env = check(shell, model, { PYTHONPATH: '/inherited' }, 'twice');
    assert.is(env.PYTHONPATH, '/s/lib:/x:/base');
    assert.is(env.WEFT_PREV_PYTHONPATH, '/inherited');
  });

  test(`${shell}: the markers name the workspace`, () => {
    const env = check(shell, trickyModel(), {}, 'source');
    assert.is(env.WEFT_WORKSPACE, `/ws/${TRICKY_DIR}`);
    assert.is(env.WEFT_NAME, `lab ${TRICKY_DIR}`);
  });

  test(`${shell}: sourcing leaves no helper function or temporary variable behind`, () => {
    const file = writeScript(home, `env-${shell}-clean`, render(trickyModel(), shell));
    const probe =
      shell === 'fish'
        ? 'functions -q __weft_list; and echo fn; set -n | string match -q "__weft*"; and echo var; echo done'
        : 'command -v __weft_list >/dev/null 2>&1 && echo fn; set | grep -q "^__weft" && echo var; echo done';
    const r = runShell(shell, `${sourceLine(shell, file)}\n${probe}`, baseEnv(home));
    assert.is(r.stdout, 'done\n');
  });
}

for (const shell of TEST_SHELLS) {
  test(`${shell}: an inherited entry that only glob-matches a weft entry stays`, () => {
    const model = buildEnvModel(planOf({ workspace: '/ws', env: [prepend('PATH', ['/g/[ab]', '/g/*', '/g/\\a'])] }), []);
    const env = check(shell, model, { PATH: '/g/a:/g/x:/g/[ab]:/g/\\a:/g/*' }, 'source');
    assert.is(env.PATH, '/g/[ab]:/g/*:/g/\\a:/g/a:/g/x');
  });
}

test('zsh: options that change expansion do not change the result', () => {
  const file = writeScript(home, 'env-zsh-opts', render(trickyModel(), 'zsh'));
  const base = baseEnv(home, { PYTHONPATH: '/site' });
  const r = runShell('zsh', `setopt GLOB_SUBST SH_WORD_SPLIT KSH_ARRAYS NO_UNSET RC_EXPAND_PARAM\n${sourceLine('zsh', file)}`, base);
  assert.is(r.stderr, '');
  assert.equal(pick(r.env, NAMES), pick(applyEnv(trickyModel(), base), NAMES));
});

test('bash: nocasematch neither drops look-alike entries nor stays off', () => {
  const model = buildEnvModel(planOf({ workspace: '/ws', env: [prepend('PATH', ['/usr/bin'])] }), []);
  const file = writeScript(home, 'env-bash-ncm', render(model, 'bash'));
  const r = runShell('bash', `shopt -s nocasematch\n${sourceLine('bash', file)}\nshopt -q nocasematch && echo still-on`, baseEnv(home, { PATH: '/Usr/bin:/bin' }));
  assert.is(r.env.PATH, '/usr/bin:/Usr/bin:/bin');
  assert.is(r.stdout, 'still-on\n');
});

for (const shell of ['bash', 'zsh', 'sh'] as const) {
  test(`${shell}: sourcing works under set -eu`, () => {
    const file = writeScript(home, `env-${shell}-strict`, render(trickyModel(), shell));
    const r = runShell(shell, `set -eu\n${sourceLine(shell, file)}\necho reached`, baseEnv(home));
    assert.is(r.stderr, '');
    assert.is(r.stdout, 'reached\n');
    assert.is(r.env.TRICKY, TRICKY);
  });

  test(`${shell}: empty elements of an inherited PATH are kept`, () => {
    const env = check(shell, trickyModel(), { PATH: '/usr/bin::/bin:' }, 'source');
    assert.ok(env.PATH!.endsWith(':/usr/bin::/bin::/tail'), env.PATH);
  });
}

test.run();
