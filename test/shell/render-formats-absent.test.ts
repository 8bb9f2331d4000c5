// PowerShell, nushell and cmd.exe cannot be installed here: these are format tests of their
// exact text, written from each shell's quoting rules (render-static-shells.test.ts runs
// the pwsh and nu round trips too when either is on PATH).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildEnvModel, render, renderUnset, type EnvModel } from '../../src/shell/index.js';
import { isWeftError } from '../../src/errors.js';
import { pwshQuote } from '../../src/shell/renderers/pwsh.js';
import { nuQuote } from '../../src/shell/renderers/nu.js';
import { cmdQuote } from '../../src/shell/renderers/cmd.js';
import { planOf, prepend, set, unset } from '../helpers/shell.js';

const HEADER = 'weft: environment for lab (/ws); generated, computed against the environment weft ran in';

function model(value: string): EnvModel {
  return buildEnvModel(planOf({ workspace: '/ws', env: [prepend('PATH', ['bin']), set('V', value), unset('GONE')] }), []);
}

const BASE = { PATH: '/usr/bin:/bin', GONE: 'x', V: 'prev' };

test('pwsh: single quotes, with straight and typographic single quotes doubled, everything else literal', () => {
  assert.is(pwshQuote(`it's $HOME \`n "dq" ‘a’ ‚b‛ \\ % ! é\ttab`), `'it''s $HOME \`n "dq" ‘‘a’’ ‚‚b‛‛ \\ % ! é\ttab'`);
  assert.is(pwshQuote(''), "''");
});

test('pwsh: CR and LF are written as "`r" and "`n", so re-joining output lines cannot change them', () => {
  assert.is(pwshQuote("a'\r\nb\n"), `('a''' + "\`r" + "\`n" + 'b' + "\`n")`);
  assert.is(pwshQuote('\n'), '("`n")');
});

test('pwsh: the output assigns $Env:NAME, saves the previous value first, and removes with $null', () => {
  assert.is(
    render(model("a'b\nc"), 'pwsh', BASE),
    [
      `# ${HEADER}`,
      "$Env:PATH = '/ws/bin:/usr/bin:/bin'",
      "$Env:WEFT_PREV_V = 'prev'",
      "$Env:V = ('a''b' + \"`n\" + 'c')",
      "$Env:WEFT_PREV_GONE = 'x'",
      '$Env:GONE = $null',
      "$Env:WEFT_ENV_ADDED = '+PATH:/ws/bin:=V:=GONE'",
      "$Env:WEFT_WORKSPACE = '/ws'",
      "$Env:WEFT_NAME = 'lab'",
      '',
    ].join('\n'),
  );
});

test('pwsh: --unset output puts the saved values back and removes weft\'s bookkeeping', () => {
  const active = { PATH: '/ws/bin:/usr/bin:/bin', V: 'new', WEFT_PREV_V: 'prev', WEFT_PREV_GONE: 'x', WEFT_ENV_ADDED: '+PATH:/ws/bin:=V:=GONE', WEFT_WORKSPACE: '/ws', WEFT_NAME: 'lab' };
  assert.is(
    renderUnset(model('new'), 'pwsh', active),
    [
      '# weft: revert for lab (/ws); generated, computed against the environment weft ran in',
      "$Env:PATH = '/usr/bin:/bin'",
      '$Env:WEFT_PREV_V = $null',
      "$Env:V = 'prev'",
      '$Env:WEFT_PREV_GONE = $null',
      "$Env:GONE = 'x'",
      '$Env:WEFT_ENV_ADDED = $null',
      '$Env:WEFT_WORKSPACE = $null',
      '$Env:WEFT_NAME = $null',
      '',
    ].join('\n'),
  );
});

test("nu: raw strings with one more '#' than any quote-hash run in the value", () => {
  assert.is(nuQuote('plain'), "r#'plain'#");
  assert.is(nuQuote("it's"), "r#'it's'#");
  assert.is(nuQuote("a'#b"), "r##'a'#b'##");
  assert.is(nuQuote("x'###y'#"), "r####'x'###y'#'####");
  assert.is(nuQuote('$HOME `x` "dq" \\ \n é'), "r#'$HOME `x` \"dq\" \\ \n é'#");
});

test('nu: one load-env record (PATH as a list), then hide-env -i for removals', () => {
  assert.is(
    render(model("a'#b"), 'nu', BASE),
    [
      `# ${HEADER}`,
      'load-env {',
      `  "PATH": [r#'/ws/bin'#, r#'/usr/bin'#, r#'/bin'#]`,
      `  "WEFT_PREV_V": r#'prev'#`,
      `  "V": r##'a'#b'##`,
      `  "WEFT_PREV_GONE": r#'x'#`,
      `  "WEFT_ENV_ADDED": r#'+PATH:/ws/bin:=V:=GONE'#`,
      `  "WEFT_WORKSPACE": r#'/ws'#`,
      `  "WEFT_NAME": r#'lab'#`,
      '}',
      'hide-env -i GONE',
      '',
    ].join('\n'),
  );
});

test('cmd: carets before ^ & | < > ( ) and quotes, % doubled, ! and spaces literal', () => {
  assert.is(cmdQuote('V', 'a "b" & c | d < e > f (g) ^h %PATH% 100% !x! \\ $y'), 'a ^"b^" ^& c ^| d ^< e ^> f ^(g^) ^^h %%PATH%% 100%% !x! \\ $y');
  assert.is(cmdQuote('V', '  lead and trail  '), '  lead and trail  ');
});

test('cmd: a batch file with CRLF lines, @set for each variable and @set NAME= to remove', () => {
  assert.is(
    render(model('x & y'), 'cmd', BASE),
    [
      `@rem ${HEADER}`,
      '@set PATH=/ws/bin:/usr/bin:/bin',
      '@set WEFT_PREV_V=prev',
      '@set V=x ^& y',
      '@set WEFT_PREV_GONE=x',
      '@set GONE=',
      '@set WEFT_ENV_ADDED=+PATH:/ws/bin:=V:=GONE',
      '@set WEFT_WORKSPACE=/ws',
      '@set WEFT_NAME=lab',
      '',
    ].join('\r\n'),
  );
});

test('cmd: non-ASCII values switch the code page to UTF-8 around the assignments and restore it', () => {
  const lines = render(model('é 日本'), 'cmd', BASE).split('\r\n');
  assert.is(lines[1], `@for /f "tokens=2 delims=:." %%c in ('chcp') do @set __weft_cp=%%c`);
  assert.is(lines[2], '@chcp 65001 >nul');
  assert.ok(lines.includes('@set V=é 日本'));
  assert.equal(lines.slice(-3), ['@chcp %__weft_cp% >nul', '@set __weft_cp=', '']);
});

test('cmd: the header line keeps only characters a rem line cannot misread', () => {
  const m = buildEnvModel(planOf({ workspace: '/ws/%~dp0^&', name: 'a%b!c', env: [set('V', '1')] }), []);
  const header = render(m, 'cmd', {}).split('\r\n')[0]!;
  assert.is(header, '@rem weft: environment for a?b?c (/ws/??dp0??); generated, computed against the environment weft ran in');
});

for (const [what, value, why] of [
  ['a line break', 'a\nb', /holds a line break/],
  ['a carriage return', 'a\rb', /holds a line break/],
  ['the empty value', '', /is empty/],
] as const) {
  test(`cmd: ${what} is refused with an error naming the variable`, () => {
    try {
      render(model(value), 'cmd', BASE);
      assert.unreachable('rendered');
    } catch (err) {
      assert.ok(isWeftError(err), String(err));
      assert.is(err.code, 'WEFT_E_ENV_SHELL_VALUE');
      assert.ok(err.message.startsWith('V cannot be expressed for cmd'), err.message);
      assert.match(err.message, why);
      assert.ok(err.hint);
    }
  });
}

test("cmd: weft's own empty bookkeeping (a record of nothing) is removed, not refused", () => {
  const m = buildEnvModel(planOf({ workspace: '/ws', env: [] }), []);
  assert.ok(render(m, 'cmd', { WEFT_ENV_ADDED: 'old' }).includes('@set WEFT_ENV_ADDED=\r\n'));
});

test.run();
