// PowerShell (pwsh and Windows PowerShell): `$Env:NAME = 'value'`, for
// `weft env --shell pwsh | Out-String | Invoke-Expression`.
// Single-quoted strings expand nothing; the only escape is a doubled quote, and PowerShell
// counts the typographic quotes ‘ ’ ‚ ‛ as single quotes too (its own
// CodeGeneration.EscapeSingleQuotedStringContent doubles all four). Line breaks are not
// left raw: `| Out-String` splits a native command's output into lines and joins them again
// with the platform's newline (CRLF on Windows), which would change CR and LF bytes; they are
// written as "`r" and "`n" and joined with +, which says exactly one byte each.
// Assigning $null removes a variable. Before PowerShell 7.5 assigning '' removed it too:
// there an empty value cannot exist, and the variable ends up unset.
import { headerText, staticRenderer } from './static.js';

const single = (s: string) => `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`;

export function pwshQuote(s: string): string {
  if (!/[\r\n]/.test(s)) return single(s);
  const parts = s.split(/([\r\n])/).filter((p) => p !== '');
  return `(${parts.map((p) => (p === '\n' ? '"`n"' : p === '\r' ? '"`r"' : single(p))).join(' + ')})`;
}

export const pwshRenderer = staticRenderer((assignments, model, what) =>
  [
    `# ${headerText(model, what)}`,
    ...assignments.map(({ name, value }) => `$Env:${name} = ${value === null ? '$null' : pwshQuote(value)}`),
    '',
  ].join('\n'),
);
