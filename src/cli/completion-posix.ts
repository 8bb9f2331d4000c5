// What the bash and zsh completion scripts share: flag spellings and the `case` arms that
// pick an option's value completion from "$cmd $prev".
import { posixQuote as q } from '../shell/quote.js';
import type { CompletedCommand, Flag, Values } from './completion-model.js';

/** Every way a flag is written: --long, and -s when it has a short form. */
export const spellings = (f: Flag): string[] => [`--${f.long}`, ...(f.short ? [`-${f.short}`] : [])];

export const flagWords = (flags: Flag[]): string[] => flags.flatMap(spellings);

/** A command's name and aliases as one `case` pattern. */
export const commandPattern = (c: CompletedCommand): string => [c.name, ...c.aliases].map(q).join('|');

/**
 * `case "$cmd $prev"` arms for flags that take a value; scope is a command name, or
 * undefined for a global flag after any command. `body` completes the value and returns.
 */
export function valueCases(scope: string | undefined, flags: Flag[], body: (v: Values) => string): string[] {
  return flags
    .filter((f) => f.value)
    .map((f) => `    ${spellings(f).map((s) => (scope === undefined ? `*${q(` ${s}`)}` : q(`${scope} ${s}`))).join('|')}) ${body(f.value!)} ;;`);
}
