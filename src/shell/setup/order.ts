// Setup runs dependencies first: a source's steps may use what its dependencies built.
import type { Source } from '../../types.js';

/** Sources in dependency order, ties in manifest order (resolve already refused cycles). */
export function dependencyOrder(sources: Source[]): Source[] {
  const byName = new Map(sources.map((s) => [s.name, s]));
  const out: Source[] = [];
  const seen = new Set<string>();
  const visit = (s: Source) => {
    if (seen.has(s.name)) return;
    seen.add(s.name);
    for (const d of s.depends) {
      const dep = byName.get(d);
      if (dep) visit(dep);
    }
    out.push(s);
  };
  for (const s of sources) visit(s);
  return out;
}
