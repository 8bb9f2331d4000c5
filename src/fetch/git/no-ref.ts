// "The ref does not exist upstream": one code, one hint, whether `weft lock` asked the
// remote (git ls-remote) or `weft up` looked in the cache's mirror.
import { redact } from '../../redact.js';
import { suggest } from '../../suggest.js';

export const NO_REF = 'WEFT_E_GIT_NO_REF';

/**
 * How to fix it: the closest branch or tag name upstream has, when one is close, and how
 * to list them all. `names`: the remote's branch and tag names (short), when known.
 */
export function noRefHint(url: string, ref: string | undefined, names: Iterable<string> | undefined): string {
  const list = `git ls-remote --heads --tags ${redact(url)}`;
  if (ref === undefined) return `push a first commit to it, or name a branch or tag in \`ref\` (list them: ${list})`;
  const guess = names ? suggest(ref.replace(/^refs\/(heads|tags)\//, ''), names) : undefined;
  if (guess) return `did you mean "${guess}"? Fix \`ref\` in the manifest (list the branches and tags: ${list})`;
  return `fix \`ref\` in the manifest: a branch, a tag or a full commit id upstream has (list them: ${list})`;
}

/** Short branch and tag names from `git ls-remote` lines or ref names (refs/heads/x, refs/tags/v1^{}). */
export function shortRefNames(refs: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const r of refs) {
    const m = /^refs\/(?:heads|tags)\/(.+?)(?:\^\{\})?$/.exec(r);
    if (m) out.add(m[1]!);
  }
  return out;
}
