// List variables whose absence means the program's default (system-default.ts): weft's
// entries must not hide that default (MANPATH=/ws/share/man and `man ls` finds nothing),
// a revert must leave an unset variable unset, and variables where an empty element means
// the current directory (PYTHONPATH, NODE_PATH) must never get one. In every shell weft
// renders for, and with the real `man` where it is installed.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyEnv, buildEnvModel, render, renderUnset, revertEnv } from '../../src/shell/index.js';
import { tempDir } from '../helpers/tmp.js';
import { TEST_SHELLS, append, baseEnv, pick, planOf, prepend, runShell, sourceLine, writeScript } from '../helpers/shell.js';
import { evalFile, findShell, runMore, type MoreShell } from '../helpers/shell-more.js';

const tmp = tempDir('weft-system-default-');
test.after(() => tmp.cleanup());
const ws = join(tmp.dir, 'ws');
mkdirSync(join(ws, 'share', 'man', 'man1'), { recursive: true });
writeFileSync(join(ws, 'share', 'man', 'man1', 'weftdemo.1'), '.TH WEFTDEMO 1\n.SH NAME\nweftdemo \\- demo\n');

const model = buildEnvModel(
  planOf({
    workspace: ws,
    env: [
      append('MANPATH', ['share/man']),
      prepend('INFOPATH', ['share/info']),
      append('INFOPATH', ['share/info-late']),
      prepend('JULIA_LOAD_PATH', ['jl']),
      prepend('XDG_DATA_DIRS', ['share']),
      prepend('PYTHONPATH', ['src']),
      append('NODE_PATH', ['lib']),
      prepend('GEM_PATH', ['gems']),
      append('CLASSPATH', ['classes']),
    ],
  }),
  [],
);
const NAMES = ['MANPATH', 'INFOPATH', 'JULIA_LOAD_PATH', 'XDG_DATA_DIRS', 'PYTHONPATH', 'NODE_PATH', 'GEM_PATH', 'CLASSPATH'];

// What each variable must be when it was unset before weft: the default kept, in its place.
const EXPECTED = {
  MANPATH: `:${ws}/share/man`,
  INFOPATH: `${ws}/share/info:${ws}/share/info-late:`,
  JULIA_LOAD_PATH: `${ws}/jl:`,
  XDG_DATA_DIRS: `${ws}/share:/usr/local/share/:/usr/share/`,
  PYTHONPATH: `${ws}/src`,
  NODE_PATH: `${ws}/lib`,
  GEM_PATH: `${ws}/gems:`,
  CLASSPATH: `.:${ws}/classes`,
};
const unsetBase = () => baseEnv(tmp.dir);
const weftOnly = (env: Record<string, string | undefined>) => Object.fromEntries(NAMES.filter((n) => env[n] !== undefined).map((n) => [n, env[n]]));

test('an unset MANPATH, INFOPATH, JULIA_LOAD_PATH, XDG_DATA_DIRS, GEM_PATH, CLASSPATH keeps its default; PYTHONPATH and NODE_PATH get no empty element', () => {
  assert.equal(weftOnly(applyEnv(model, unsetBase())), EXPECTED);
});

test('an empty variable counts as unset; applying twice is applying once', () => {
  const empty = { ...unsetBase(), MANPATH: '', INFOPATH: '', XDG_DATA_DIRS: '' };
  assert.equal(weftOnly(applyEnv(model, empty)), EXPECTED);
  const once = applyEnv(model, unsetBase());
  assert.equal(weftOnly(applyEnv(model, once)), EXPECTED);
});

test('the revert leaves every variable that was unset unset, the user edits since kept', () => {
  const on = applyEnv(model, unsetBase());
  assert.equal(weftOnly(revertEnv(model, on)), {});
  const edited = { ...on, MANPATH: `/user/man:${on.MANPATH}` };
  assert.is(revertEnv(model, edited).MANPATH, '/user/man:', 'the user prepended to a MANPATH meaning the default: it still does');
});

test('a set variable keeps its own elements, and INFOPATH its trailing colon after appended entries', () => {
  const base = { ...unsetBase(), MANPATH: '/opt/man', INFOPATH: '/opt/info:', PYTHONPATH: '/site', GEM_PATH: '/opt/gems', CLASSPATH: '/opt/a.jar' };
  const on = applyEnv(model, base);
  assert.is(on.MANPATH, `/opt/man:${ws}/share/man`);
  assert.is(on.INFOPATH, `${ws}/share/info:/opt/info:${ws}/share/info-late:`);
  assert.is(on.PYTHONPATH, `${ws}/src:/site`);
  assert.is(on.GEM_PATH, `${ws}/gems:/opt/gems`, 'a GEM_PATH set without its default stays without it');
  assert.is(on.CLASSPATH, `/opt/a.jar:${ws}/classes`, 'a CLASSPATH set without "." stays without it');
  assert.equal(pick(revertEnv(model, on), NAMES), pick(base, NAMES));
});

const man = findShell('man');
// Whether this machine has the system's page for ls at all (slim images leave man pages
// out): only then can the test see that weft's MANPATH still reaches it.
const manLs = man !== undefined && spawnSync(man, ['-w', 'ls'], { env: { ...unsetBase(), MANPATH: undefined }, stdio: 'ignore' }).status === 0;

// Each shell's environment after sourcing the activation, and after the revert too.
function check(shell: string, on: Record<string, string>, off: Record<string, string>): void {
  assert.equal(weftOnly(on), EXPECTED, `${shell}: values while active`);
  assert.equal(weftOnly(off), {}, `${shell}: the revert leaves them unset`);
}

for (const shell of TEST_SHELLS) {
  test(`${shell}: the activation keeps the system's defaults and the revert unsets again${man ? `; man finds ${manLs ? 'ls and ' : ''}the workspace page` : ''}`, () => {
    const onFile = writeScript(tmp.dir, `${shell}-on`, render(model, shell));
    const offFile = writeScript(tmp.dir, `${shell}-off`, renderUnset(model, shell));
    const manLines = man ? [...(manLs ? [`${man} -w ls`] : []), `${man} -w weftdemo`] : [];
    const on = runShell(shell, [sourceLine(shell, onFile), ...manLines].join('\n'), unsetBase());
    assert.is(on.stderr, '');
    const off = runShell(shell, [sourceLine(shell, onFile), sourceLine(shell, offFile)].join('\n'), unsetBase());
    assert.is(off.stderr, '');
    check(shell, on.env, off.env);
    if (man) {
      const found = on.stdout.trim().split('\n');
      if (manLs) assert.match(found.shift()!, /\/man1\/ls\.1/);
      assert.equal(found, [join(ws, 'share', 'man', 'man1', 'weftdemo.1')]);
    }
  });
}

// RubyGems itself (.ci/run installs ruby): with GEM_PATH set to the workspace's directory
// alone, the user's and the system's gems would no longer be found.
test('ruby: the activation puts the workspace gems first and keeps every directory of the default gem path', () => {
  const gemPath = (env: Record<string, string | undefined>): string[] => {
    const res = spawnSync('ruby', ['-e', 'puts Gem.path'], { env: env as NodeJS.ProcessEnv, encoding: 'utf8' });
    assert.is(res.status, 0, `ruby -e 'puts Gem.path': ${res.error?.message ?? res.stderr}`);
    return res.stdout.trim().split('\n');
  };
  const base = unsetBase();
  const defaults = gemPath(base);
  assert.ok(defaults.length > 1, `the default gem path has several directories: ${defaults.join(':')}`);
  const onFile = writeScript(tmp.dir, 'bash-gems', render(model, 'bash'));
  const on = runShell('bash', [sourceLine('bash', onFile), `ruby -e 'puts Gem.path'`].join('\n'), base);
  assert.is(on.stderr, '');
  assert.equal(on.stdout.trim().split('\n'), [join(ws, 'gems'), ...defaults]);
});

const STATIC: Exclude<MoreShell, 'mksh'>[] = ['tcsh', 'elvish', 'nu', 'pwsh'];
for (const shell of STATIC) {
  const bin = findShell(shell);
  if (bin === undefined) continue; // render-static-shells.test.ts says which must be installed
  test(`${shell}: the activation keeps the system's defaults and the revert unsets again`, () => {
    const base = unsetBase();
    const onFile = writeScript(tmp.dir, `${shell}-on`, render(model, shell, base));
    const on = runMore(shell, bin, tmp.dir, [evalFile(shell, onFile)], base);
    assert.is(on.stderr, '');
    const offFile = writeScript(tmp.dir, `${shell}-off`, renderUnset(model, shell, on.env));
    const off = runMore(shell, bin, tmp.dir, [evalFile(shell, onFile), evalFile(shell, offFile)], base);
    assert.is(off.stderr, '');
    check(shell, on.env, off.env);
  });
}

test.run();
