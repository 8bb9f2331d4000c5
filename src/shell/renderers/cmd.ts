// cmd.exe: a batch file, for
//   weft env --shell cmd > "%TEMP%\weft-env.cmd" && call "%TEMP%\weft-env.cmd"
// (cmd has no eval of a command's output that keeps special characters intact).
//
// Every line is `@set NAME=value` with each of ^ & | < > ( ) " escaped by a caret — outside
// double quotes a caret makes the next character literal, including a quote, which then
// starts no quoted region — and % doubled, which is how a batch file writes a literal %.
// That is exact with delayed expansion off (cmd's default); with it on, '!' would be eaten.
// Lines end in CRLF. cmd decodes each line of a batch file with the console code page
// current when it reads that line, so for non-ASCII values the file switches to UTF-8
// (65001) first and restores the user's code page at the end.
//
// Refused, because cmd cannot hold them: line breaks (a `set` ends at the line) and the
// empty value (`set NAME=` removes NAME).
import { headerText, staticRenderer } from './static.js';
import { unrepresentable } from './unrepresentable.js';

export function cmdQuote(name: string, value: string): string {
  if (/[\r\n]/.test(value)) {
    throw unrepresentable('cmd', name, 'holds a line break, which a cmd.exe variable cannot be set to',
      'run the program with "weft run -- CMD" instead, or remove the line break from the value');
  }
  if (value === '') {
    throw unrepresentable('cmd', name, 'is empty, and cmd.exe removes a variable set to the empty string',
      'use a non-empty value, or `unset: true` in the manifest if the variable should be absent');
  }
  return value.replace(/[\^&|<>()"]/g, '^$&').replace(/%/g, '%%');
}

export const cmdRenderer = staticRenderer((assignments, model, what) => {
  const sets = assignments.map(({ name, value }) => {
    // weft's own bookkeeping may be empty (a record of nothing, a saved empty value); for
    // cmd, where no variable can be empty, absent means the same.
    if (value === null || (value === '' && name.startsWith('WEFT_'))) return `@set ${name}=`;
    return `@set ${name}=${cmdQuote(name, value)}`;
  });
  // The header holds user data, and cmd reads a rem line too (a '%~' there is a fatal
  // error, a trailing '^' continues it): only plain characters survive.
  const lines = [`@rem ${headerText(model, what).replace(/[^A-Za-z0-9 .,;:_/()+=@-]/g, '?')}`];
  const ascii = assignments.every(({ value }) => value === null || /^[\x00-\x7f]*$/.test(value));
  if (ascii) lines.push(...sets);
  else {
    lines.push(
      `@for /f "tokens=2 delims=:." %%c in ('chcp') do @set __weft_cp=%%c`,
      '@chcp 65001 >nul',
      ...sets,
      '@chcp %__weft_cp% >nul',
      '@set __weft_cp=',
    );
  }
  return lines.join('\r\n') + '\r\n';
});
