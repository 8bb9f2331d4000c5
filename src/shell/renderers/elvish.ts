// elvish: `set-env NAME 'value'` lines, for `eval (weft env --shell elvish | slurp)`.
// Elvish single-quoted strings are fully literal, newlines included; the only escape is ''
// for '. Setting PATH updates $paths, which elvish derives from it.
import { headerText, staticRenderer } from './static.js';

export function elvishQuote(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

export const elvishRenderer = staticRenderer((assignments, model, what) =>
  [
    `# ${headerText(model, what)}`,
    ...assignments.map(({ name, value }) => (value === null ? `unset-env ${elvishQuote(name)}` : `set-env ${elvishQuote(name)} ${elvishQuote(value)}`)),
    '',
  ].join('\n'),
);
