// `requires:` version ranges: space-separated comparators, alternatives joined by `||`.
// Only the syntax is checked here; `weft up` / `weft doctor` compare installed versions.

const VERSION = String.raw`(?:\d+|[xX*])(?:\.(?:\d+|[xX*])){0,2}(?:-[0-9A-Za-z.-]+)?`;
const COMPARATOR = new RegExp(String.raw`^(?:>=|<=|>|<|=|\^|~)?v?${VERSION}$`);

export const REQUIRES_HINT = 'write comparators separated by spaces, e.g. `">=2.30"`, `">=3.9 <4"`, `"^1.2"`, `"~1.2"`, `"1.x"`';

export function checkRange(range: string): string | undefined {
  const alternatives = range.split('||').map((a) => a.trim());
  for (const alt of alternatives) {
    if (alt === '') return 'it has an empty alternative around `||`';
    for (const c of alt.split(/\s+/)) {
      if (!COMPARATOR.test(c)) return `\`${c}\` is not a version comparator`;
    }
  }
  return undefined;
}

export const TOOL_NAME = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;
