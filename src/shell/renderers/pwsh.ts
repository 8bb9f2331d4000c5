// PowerShell (pwsh and Windows PowerShell): `$Env:NAME = 'value'`, for
// `weft env --shell pwsh | Out-String | Invoke-Expression`.
// Single-quoted strings expand nothing; the only escape is a doubled quote, and PowerShell
// counts the typographic quotes ‘ ’ ‚ ‛ as single quotes too (its own
// CodeGeneration.EscapeSingleQuotedStringContent doubles all four). Newlines are literal.
// Assigning $null removes a variable. Before PowerShell 7.5 assigning '' removed it too:
// there an empty value cannot exist, and the variable ends up unset.
import { headerText, staticRenderer } from './static.js';

export function pwshQuote(s: string): string {
  return `'${s.replace(/['\u2018\u2019\u201a\u201b]/g, '$&$&')}'`;
}

export const pwshRenderer = staticRenderer((assignments, model, what) =>
  [
    `# ${headerText(model, what)}`,
    ...assignments.map(({ name, value }) => `$Env:${name} = ${value === null ? '$null' : pwshQuote(value)}`),
    '',
  ].join('\n'),
);
