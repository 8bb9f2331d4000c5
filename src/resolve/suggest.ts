// "Did you mean …?" for unknown keys, variables and source names.

import { editDistance } from '../suggest.js';

export { editDistance };

/**
 * The closest candidate within 2 edits (case-insensitive), or one that starts with / is
 * a prefix of the input; undefined when nothing is close enough to be a useful guess.
 */
export function closest(input: string, candidates: Iterable<string>): string | undefined {
  const lower = input.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    const cl = c.toLowerCase();
    if (cl === lower) return c;
    // Short inputs would match anything within 2 edits; scale the allowance down.
    const limit = Math.min(2, Math.max(1, Math.floor(Math.max(lower.length, cl.length) / 3)));
    let score = editDistance(lower, cl);
    if (score > limit) {
      const isPrefix = lower.length >= 3 && (cl.startsWith(lower) || lower.startsWith(cl));
      if (!isPrefix) continue;
      score = limit + 0.5;
    }
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best;
}

/** A hint: "did you mean `x`?" or the full list of valid choices when nothing is close. */
export function suggestHint(input: string, candidates: readonly string[], what: string): string {
  const guess = closest(input, candidates);
  if (guess !== undefined) return `did you mean \`${guess}\`?`;
  if (candidates.length === 0) return `there are no ${what} defined`;
  const shown = candidates.slice(0, 20).map((c) => `\`${c}\``).join(', ');
  return `valid ${what}: ${shown}${candidates.length > 20 ? `, … (${candidates.length} in all)` : ''}`;
}
