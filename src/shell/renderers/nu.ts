// nushell: one `load-env` record and `hide-env -i` for removals. nu cannot evaluate code
// it reads at run time (`source` is resolved when the script is parsed), so the output is
// saved and sourced: `weft env --shell nu | save -f ~/.weft-env.nu` then `source ~/.weft-env.nu`.
//
// Values are raw strings, r#'…'#, which hold every byte (newlines too) literally; the number
// of '#' is one more than the longest run of '#' after a quote in the value, so the value
// can never close the string. PATH is a list in nu (it splits PATH on ':' at startup and
// joins it for external commands), so it is given as a list.
import { headerText, staticRenderer } from './static.js';

export function nuQuote(s: string): string {
  let longest = 0;
  for (const m of s.matchAll(/'(#*)/g)) longest = Math.max(longest, m[1]!.length);
  const hashes = '#'.repeat(longest + 1);
  return `r${hashes}'${s}'${hashes}`;
}

const valueOf = (name: string, value: string): string =>
  name === 'PATH' ? `[${value.split(':').map(nuQuote).join(', ')}]` : nuQuote(value);

export const nuRenderer = staticRenderer((assignments, model, what) => {
  const sets = assignments.filter((a) => a.value !== null);
  const lines = [`# ${headerText(model, what)}`];
  if (sets.length > 0) {
    lines.push('load-env {', ...sets.map(({ name, value }) => `  "${name}": ${valueOf(name, value!)}`), '}');
  }
  for (const a of assignments) if (a.value === null) lines.push(`hide-env -i ${a.name}`);
  return lines.join('\n') + '\n';
});
