// `weft env --dotenv` read back by the readers it is written for: sh (`set -a; . ./.env`)
// and python-dotenv for real (python-dotenv where installed), docker compose by its
// parser's rules (compose-go v2 dotenv/parser.go), and the values it must refuse.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { render, type EnvModel } from '../../src/shell/index.js';
import { isWeftError } from '../../src/errors.js';
import { tempDir } from '../helpers/tmp.js';
import { baseEnv, runShell, writeScript } from '../helpers/shell.js';

const tmp = tempDir('weft-dotenv-');
test.after(() => tmp.cleanup());
const CANARY = join(tmp.dir, 'CANARY');

// Everything a reader might interpret. The commands would create CANARY if anything ran them.
const VALUES: Record<string, string> = {
  SPACES: ' two  spaces ',
  DOUBLE: 'say "hi"',
  SINGLE: "it's",
  SINGLE_LINES: "it's\nfine ",
  DOLLARS: 'pa$$word',
  BRACES: 'cost ${x} $5',
  VAR: '$HOME and $5',
  TICKS: `run \`touch ${CANARY}\` now`,
  SEMI: `a; touch ${CANARY}`,
  BACKSLASH: 'C:\\dir\\x \\n \\t \\" \\$HOME',
  DOUBLE_BACKSLASH: '\\\\server\\share',
  HASH: 'a #b # c#',
  UNICODE: 'é 日本 🙂',
  EQUALS: 'a=b==c',
  LINES: '\nline1\nline2\n',
  EMPTY: '',
  GLOB: '* ? [a] ~ {a,b}',
};
const model: EnvModel = {
  workspace: '/ws',
  name: 'lab',
  vars: [...Object.entries(VALUES).map(([name, value]) => ({ type: 'set' as const, name, value })), { type: 'unset', name: 'GONE' }],
};
const expected = { ...VALUES, WEFT_WORKSPACE: '/ws', WEFT_NAME: 'lab' };
const text = render(model, 'dotenv', { GONE: 'x' });
const file = writeScript(tmp.dir, 'x.env', text);

test('dotenv: one NAME=quoted line per value, double quotes only for a value with a single quote', () => {
  assert.ok(text.includes(`DOLLARS='pa$$word'\n`));
  assert.ok(text.includes(`SINGLE="it's"\n`));
  assert.ok(text.includes('# GONE is unset by weft\n'));
  assert.is(text.split('\n').filter((l) => /^[A-Z_]+=/.test(l)).length, Object.keys(expected).length);
});

test('dotenv: sh reads every value back exactly with set -a; . file, and runs nothing', () => {
  const r = runShell('sh', `cd '${tmp.dir}' && set -a && . '${file}'`, baseEnv(tmp.dir, { GONE: 'x' }));
  assert.is(r.stderr, '');
  assert.is(r.status, 0);
  for (const [name, value] of Object.entries(expected)) assert.is(r.env[name], value, name);
  assert.is(r.env.GONE, 'x', 'the file cannot unset; the comment says so');
  assert.not.ok(existsSync(CANARY), 'sourcing the file ran a command');
});

// python-dotenv, where it is installed: exact with interpolate=False; with its default
// interpolation it differs exactly where docs/shells.md says ( ${NAME} and \\ ).
// The interpreter that has it, by absolute path: the readers run with a small PATH.
const probe = spawnSync('python3', ['-c', 'import sys, dotenv; print(sys.executable)'], { encoding: 'utf8' });
const python = probe.status === 0 ? probe.stdout.trim() : undefined;
const readPython = (interpolate: boolean): Record<string, string> => {
  const code = `import json, sys\nfrom dotenv import dotenv_values\nprint(json.dumps(dotenv_values(sys.argv[1], interpolate=${interpolate ? 'True' : 'False'})))`;
  const r = spawnSync(python!, ['-c', code, file], { encoding: 'utf8', env: baseEnv(tmp.dir) });
  assert.is(r.stderr, '', 'python-dotenv warned about a line it could not parse');
  return JSON.parse(r.stdout) as Record<string, string>;
};

// Where it is not installed, sh and the format rules below are what is checked.
if (python !== undefined) {
  test('dotenv: python-dotenv (interpolate=False) reads every value back exactly but a doubled backslash, line breaks and quotes included', () => {
    const got = readPython(false);
    assert.equal(got, { ...expected, DOUBLE_BACKSLASH: '\\server\\share' });
  });

  test('dotenv: python-dotenv with its defaults differs only in ${NAME} and \\\\, as documented', () => {
    const got = readPython(true);
    assert.equal(got, { ...expected, DOUBLE_BACKSLASH: '\\server\\share', BRACES: 'cost  $5' });
  });
}

// compose-go v2 (dotenv/parser.go, extractVarValue): a quoted value runs to the first quote
// not preceded by an unpaired backslash; single-quoted content is kept as it is (\' becomes
// '), double-quoted content then has its escapes and $ expanded.
function readCompose(src: string): Record<string, string> {
  const out: Record<string, string> = {};
  let rest = src;
  for (;;) {
    rest = rest.replace(/^(\s*#[^\n]*\n|\s+)*/, '');
    if (rest === '') return out;
    const key = /^([A-Za-z0-9_.]+)=/.exec(rest);
    if (!key) throw new Error(`compose: not a statement: ${rest.slice(0, 20)}`);
    const quote = rest[key[0].length];
    if (quote !== "'" && quote !== '"') throw new Error(`compose: ${key[1]} is unquoted`);
    let value = '';
    let escaped = false;
    let i = key[0].length + 1;
    for (; i < rest.length; i++) {
      const c = rest[i]!;
      if (c === quote && !escaped) break;
      if (c === '\\' && !escaped) {
        escaped = true;
        continue;
      }
      value += escaped && c !== quote ? `\\${c}` : c;
      escaped = false;
    }
    if (i === rest.length) throw new Error(`compose: unterminated ${key[1]}`);
    if (quote === '"' && /[\\$]/.test(value)) throw new Error(`compose: ${key[1]} would be expanded`);
    out[key[1]!] = value;
    rest = rest.slice(i + 1);
  }
}

test('dotenv: docker compose reads every value back exactly by its parser rules', () => {
  assert.equal(readCompose(text), expected);
});

function refusal(name: string, value: string): string {
  const one: EnvModel = { workspace: '/ws', name: 'lab', vars: [{ type: 'set', name, value }] };
  try {
    render(one, 'dotenv', {});
  } catch (err) {
    assert.ok(isWeftError(err));
    assert.is(err.code, 'WEFT_E_ENV_SHELL_VALUE');
    assert.ok(err.hint);
    assert.ok(err.message.startsWith(`${name} cannot be expressed for a .env file`), err.message);
    return err.message;
  }
  throw new Error(`${name}=${JSON.stringify(value)} was rendered`);
}

test('dotenv: values some reader would read otherwise, or run, are refused naming the variable', () => {
  assert.match(refusal('TRAIL', 'C:\\dir\\'), /ends in a backslash/);
  assert.match(refusal('CRLF', 'a\r\nb'), /carriage return/);
  assert.match(refusal('SUBST', 'v=$(id)'), /dotenv-expand runs as a command/);
  assert.match(refusal('MIXED', "it's $5"), /single quote together with/);
  assert.match(refusal('MIXED', 'it\'s "x"'), /single quote together with/);
  assert.match(refusal('MIXED', "it's \\"), /backslash/);
});

test('dotenv: the workspace path is a value too, and is quoted like one', () => {
  const one: EnvModel = { workspace: "/home/o'brien/ws", name: 'lab', vars: [] };
  assert.ok(render(one, 'dotenv', {}).includes(`WEFT_WORKSPACE="/home/o'brien/ws"\n`));
});

test.run();
