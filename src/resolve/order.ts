// Environment order: each source before the sources it depends on (its paths come first),
// ties kept in manifest order. Kahn's algorithm with a min-heap on manifest position.
import type { Loc } from '../types.js';

export interface OrderInput {
  name: string;
  depends: readonly string[];
  /** Where its `depends` was written, to point at a cycle. */
  loc: Loc;
}

export type OrderResult = { ok: true; order: string[] } | { ok: false; cycle: string[]; loc: Loc };

export function envOrder(items: readonly OrderInput[]): OrderResult {
  const index = new Map(items.map((s, i) => [s.name, i]));
  const dependents = new Array<number>(items.length).fill(0);
  for (const s of items) for (const d of new Set(s.depends)) if (index.has(d)) dependents[index.get(d)!]! += 1;
  const heap = new MinHeap();
  dependents.forEach((n, i) => n === 0 && heap.push(i));
  const order: string[] = [];
  for (let i = heap.pop(); i !== undefined; i = heap.pop()) {
    const s = items[i]!;
    order.push(s.name);
    for (const d of new Set(s.depends)) {
      const j = index.get(d);
      if (j !== undefined && --dependents[j]! === 0) heap.push(j);
    }
  }
  if (order.length === items.length) return { ok: true, order };
  return findCycle(items, index, new Set(order));
}

/** Some cycle among the sources Kahn could not place, in manifest order of its first member. */
function findCycle(items: readonly OrderInput[], index: Map<string, number>, placed: Set<string>): OrderResult {
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const visit = (name: string): string[] | undefined => {
    state.set(name, 'active');
    stack.push(name);
    for (const d of items[index.get(name)!]!.depends) {
      if (!index.has(d) || placed.has(d)) continue;
      if (state.get(d) === 'active') return [...stack.slice(stack.indexOf(d)), d];
      if (!state.has(d)) {
        const c = visit(d);
        if (c) return c;
      }
    }
    stack.pop();
    state.set(name, 'done');
    return undefined;
  };
  for (const s of items) {
    if (placed.has(s.name) || state.has(s.name)) continue;
    const cycle = visit(s.name);
    if (cycle) return { ok: false, cycle, loc: items[index.get(cycle[0]!)!]!.loc };
  }
  throw new Error('envOrder: unplaced sources but no cycle');
}

class MinHeap {
  private readonly a: number[] = [];
  push(v: number): void {
    const a = this.a;
    a.push(v);
    for (let i = a.length - 1; i > 0; ) {
      const p = (i - 1) >> 1;
      if (a[p]! <= a[i]!) break;
      [a[p], a[i]] = [a[i]!, a[p]!];
      i = p;
    }
  }
  pop(): number | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      for (let i = 0; ; ) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]! < a[m]!) m = l;
        if (r < a.length && a[r]! < a[m]!) m = r;
        if (m === i) break;
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }
}
