// `weft up NAME… --group G --skip S`: which sources a run acts on.
import { WeftError } from '../errors.js';
import type { Plan } from '../types.js';
import { closest } from './suggest.js';

export interface Selection {
  names?: readonly string[];
  groups?: readonly string[];
  skip?: readonly string[];
}

/**
 * The named sources and the members of the named groups, plus everything they depend on
 * (transitively), minus the skipped ones; all sources (minus skipped) when nothing is
 * named. Manifest order. Unknown names and groups are usage errors with a suggestion.
 */
export function selectSources(plan: Plan, sel: Selection): string[] {
  const byName = new Map(plan.sources.map((s) => [s.name, s]));
  const groups = new Set(plan.sources.flatMap((s) => s.groups));
  const check = (n: string, known: Iterable<string>, what: string) => {
    const list = [...known];
    if (list.includes(n)) return;
    const guess = closest(n, list);
    // A name may come from a manifest imported from a source not fetched yet.
    const pending = (plan.pendingImports ?? []).map((i) => i.from);
    const later = pending.length ? `; imports from ${pending.join(', ')} are not fetched yet: a plain "weft up" fetches them first` : '';
    throw new WeftError('WEFT_E_USAGE_SOURCE', `no ${what} named "${n}" in ${plan.manifest}`, {
      hint: (guess ? `did you mean "${guess}"?` : `${what}s: ${list.join(', ') || '(none)'}`) + later,
    });
  };
  for (const n of [...(sel.names ?? []), ...(sel.skip ?? [])]) check(n, byName.keys(), 'source');
  for (const g of sel.groups ?? []) check(g, groups, 'group');
  const skip = new Set(sel.skip ?? []);
  const roots = [
    ...(sel.names ?? []),
    ...plan.sources.filter((s) => s.groups.some((g) => sel.groups?.includes(g))).map((s) => s.name),
  ];
  if (roots.length === 0) return plan.sources.map((s) => s.name).filter((n) => !skip.has(n));
  const chosen = new Set<string>();
  const visit = (n: string) => {
    if (chosen.has(n) || skip.has(n)) return;
    chosen.add(n);
    for (const d of byName.get(n)?.depends ?? []) visit(d);
  };
  roots.forEach(visit);
  return plan.sources.map((s) => s.name).filter((n) => chosen.has(n));
}
