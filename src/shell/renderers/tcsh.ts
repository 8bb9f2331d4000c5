// tcsh (and csh): `setenv NAME 'value' ;` one per line, for `eval "\`weft env --shell tcsh\`"`.
// Backquote substitution splits its output at newlines and eval joins the words with spaces,
// so every command ends with ';', there are no comments (a '#' would swallow the rest of the
// joined line) and no multi-line constructs.
//
// Quoting: inside single quotes tcsh expands nothing except history ('!', also in
// non-interactive shells' eval) and backslash-newline; a backslash is literal otherwise.
// So: single quotes, with `'` written as '\'' and `!` as '\!' (outside the quotes, where a
// backslash always escapes). A newline (or CR, which backquote also turns into a space)
// cannot pass through eval at all: tcsh has no escape that produces one on a single line,
// so such a value is refused rather than rendered wrong.
import { staticRenderer } from './static.js';
import { unrepresentable } from './unrepresentable.js';

export function tcshQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`).replace(/!/g, `'\\!'`)}'`;
}

function checked(name: string, value: string): string {
  if (/[\r\n]/.test(value)) {
    throw unrepresentable('tcsh', name, 'holds a newline or carriage return, which tcsh cannot receive through eval',
      'run the program with "weft run -- CMD" instead, or remove the line break from the value');
  }
  return tcshQuote(value);
}

export const tcshRenderer = staticRenderer((assignments) =>
  assignments.map(({ name, value }) => (value === null ? `unsetenv ${name} ;\n` : `setenv ${name} ${checked(name, value)} ;\n`)).join(''),
);
