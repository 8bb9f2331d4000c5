// `weft env --shell S` and `weft env --unset --shell S` for the shells weft renders against
// its own environment, run as the documented one-liners in the real tcsh and elvish.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft, weftBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { findShell, runMore } from '../helpers/shell-more.js';

const tmp = tempDir('weft-render-cli-');
test.after(() => tmp.cleanup());
const ws = join(tmp.dir, 'ws');
const VALUE = `it's "x" $HOME \`id\` \\ % ! !! é 日本`;

mkdirSync(join(ws, 'lib', 'src'), { recursive: true });
writeFileSync(
  join(ws, 'weft.yaml'),
  `weft: 1\nname: demo\nenv:\n  PATH: tools/bin\n  ODD: ${JSON.stringify(VALUE)}\nsources:\n  lib:\n    local: ./lib\n    env: { PYTHONPATH: src }\n`,
);

const env = () => {
  const e = isolatedEnv(tmp.dir) as Record<string, string>;
  return { ...e, ODD: 'before', PYTHONPATH: '/site' };
};
const weftCmd = `${process.execPath} ${weftBin}`;

for (const [shell, on, off] of [
  ['tcsh', `eval "\`${weftCmd} env --shell tcsh\`"`, `eval "\`${weftCmd} env --unset --shell tcsh\`"`],
  ['elvish', `eval (${weftCmd} env --shell elvish | slurp)`, `eval (${weftCmd} env --unset --shell elvish | slurp)`],
] as const) {
  test(`${shell}: the documented one-liner activates the workspace and --unset takes it back out`, async () => {
    const bin = findShell(shell);
    assert.ok(bin, `${shell} must be installed`);
    const base = env();
    const expected = JSON.parse((await weft(['env', '--json'], { cwd: ws, env: base })).stdout) as { vars: Record<string, string> };
    const cd = `cd '${ws}'`;
    const active = runMore(shell, bin!, tmp.dir, [cd, on], base);
    assert.is(active.stderr, '');
    for (const [k, v] of Object.entries(expected.vars)) assert.is(active.env[k], v, k);
    assert.is(active.env.ODD, VALUE);
    assert.is(active.env.WEFT_PREV_ODD, 'before');
    const twice = runMore(shell, bin!, tmp.dir, [cd, on, on], base);
    for (const k of Object.keys(expected.vars)) assert.is(twice.env[k], active.env[k], k);
    const back = runMore(shell, bin!, tmp.dir, [cd, on, off], base);
    assert.is(back.stderr, '');
    for (const k of ['PATH', 'ODD', 'PYTHONPATH']) assert.is(back.env[k], base[k as keyof typeof base], k);
    assert.equal(Object.keys(back.env).filter((k) => k.startsWith('WEFT_') && !(k in base)), []);
  });
}

test('weft env names every shell it knows when given one it does not', async () => {
  const r = await weft(['env', '--shell', 'ksh93'], { cwd: ws, env: env() });
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /unknown shell "ksh93"/);
  assert.match(r.stderr, /bash, zsh, sh, fish, pwsh, nu, tcsh, elvish, cmd/);
});

test('weft env --shell cmd refuses a value cmd cannot hold, names it, and prints nothing', async () => {
  const dir = join(tmp.dir, 'nl');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'weft.yaml'), 'weft: 1\nenv:\n  MULTI: "a\\nb"\n');
  const r = await weft(['env', '--shell', 'cmd'], { cwd: dir, env: env() });
  assert.is(r.code, 2);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /WEFT_E_ENV_SHELL_VALUE/);
  assert.match(r.stderr, /MULTI cannot be expressed for cmd/);
});

test('weft env --shell pwsh and --shell nu print their own syntax from the CLI', async () => {
  const pwsh = await weft(['env', '--shell', 'pwsh'], { cwd: ws, env: env() });
  assert.is(pwsh.code, 0, pwsh.stderr);
  assert.match(pwsh.stdout, /^\$Env:ODD = 'it''s "x" \$HOME `id` \\ % ! !! é 日本'$/m);
  const nu = await weft(['env', '--shell', 'nu'], { cwd: ws, env: env() });
  assert.is(nu.code, 0, nu.stderr);
  assert.match(nu.stdout, /^ {2}"ODD": r#'it's "x" \$HOME `id` \\ % ! !! é 日本'#$/m);
});

test.run();
