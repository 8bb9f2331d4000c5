// Quoting for literal strings in generated shell code. Every byte survives: single quotes
// stop every expansion in POSIX shells and in fish (which only knows \\ and \' inside them).

export function posixQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

export function fishQuote(s: string): string {
  return `'${s.replace(/[\\']/g, '\\$&')}'`;
}
