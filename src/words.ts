// Counts in messages, said as a person would: "1 untracked file", "2 modified files and
// 1 untracked file", never "0 modified and 1 untracked file(s)".

/** `n` and the word for it: plural(1, 'file') is "1 file", plural(2, 'file') "2 files". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The counts that are not zero, joined: [[2, 'modified file'], [0, 'untracked file']] is "2 modified files". */
export function counts(parts: [n: number, one: string][]): string {
  const said = parts.filter(([n]) => n > 0).map(([n, one]) => plural(n, one));
  return said.length <= 1 ? (said[0] ?? 'nothing') : `${said.slice(0, -1).join(', ')} and ${said.at(-1)}`;
}

/**
 * The first character of `name` that `allowed` (a one-character pattern) refuses, said so
 * that it can be seen: "`é` (U+00E9)", "a space", "a tab". Undefined when there is none.
 */
export function refusedCharacter(name: string, allowed: RegExp): string | undefined {
  for (const ch of name) {
    if (allowed.test(ch)) continue;
    if (ch === ' ') return 'a space';
    if (ch === '\t') return 'a tab';
    const code = `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
    return /[\p{L}\p{N}\p{P}\p{S}]/u.test(ch) ? `\`${ch}\` (${code})` : code;
  }
  return undefined;
}

/** What a hint adds about the character `name` may not hold: " (here: `é` (U+00E9))", or nothing. */
export function notAllowed(name: string, allowed: RegExp): string {
  const bad = refusedCharacter(name, allowed);
  return bad ? ` (here: ${bad})` : '';
}
