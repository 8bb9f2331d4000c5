/** Damerau–Levenshtein distance (optimal string alignment), for did-you-mean hints. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The closest candidate within a small distance (or sharing a prefix), if any. */
export function suggest(input: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  const lower = input.toLowerCase();
  for (const c of candidates) {
    const score = editDistance(lower, c.toLowerCase());
    const limit = Math.max(1, Math.min(2, Math.floor(c.length / 3)));
    const prefix = c.length >= 3 && (c.startsWith(lower) || lower.startsWith(c.toLowerCase()));
    const s = prefix ? Math.min(score, limit) : score;
    if (s <= limit && s < bestScore) {
      best = c;
      bestScore = s;
    }
  }
  return best;
}
