// Version ranges for `requires:`, in npm's notation (which users already know), reduced to
// what tools report: x.y.z numbers, no pre-release ordering. `>=2.30`, `>=3.9 <4`, `^1.2`,
// `~1.2.3`, `1.x`, `=20.1.0`, alternatives joined by `||`. Partial versions mean what they
// mean in npm: `<=1.2` allows every 1.2.x, `>1.2` starts at 1.3.0.

export type Version = [number, number, number];
type Op = '>=' | '>' | '<' | '<=';
interface Bound {
  op: Op;
  v: Version;
}

const COMPARATOR = /^(>=|<=|>|<|=|\^|~)?v?((?:\d+|[xX*])(?:\.(?:\d+|[xX*])){0,2})(?:-[0-9A-Za-z.-]+)?$/;

/** The first `x.y[.z]` in a program's `--version` output, e.g. "git version 2.39.2" → 2.39.2. */
export function parseToolVersion(output: string): Version | undefined {
  const m = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(output);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

export function formatVersion(v: Version): string {
  return v.join('.');
}

/** Parses a range into alternatives of bounds; undefined when it is not a range. */
export function parseRange(range: string): Bound[][] | undefined {
  const out: Bound[][] = [];
  for (const alt of range.split('||')) {
    const parts = alt.trim().split(/\s+/).filter(Boolean);
    if (parts.length === 0) return undefined;
    const bounds: Bound[] = [];
    for (const p of parts) {
      const m = COMPARATOR.exec(p);
      if (!m) return undefined;
      const nums: number[] = [];
      for (const n of m[2]!.split('.')) {
        if (/^[xX*]$/.test(n)) break;
        nums.push(Number(n));
      }
      bounds.push(...desugar(m[1] ?? '=', nums));
    }
    out.push(bounds);
  }
  return out;
}

export function satisfies(v: Version, range: Bound[][]): boolean {
  return range.some((alt) => alt.every((b) => test(v, b)));
}

function test(v: Version, b: Bound): boolean {
  const c = compare(v, b.v);
  switch (b.op) {
    case '>=':
      return c >= 0;
    case '>':
      return c > 0;
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
  }
}

export function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

function full(nums: number[]): Version {
  return [nums[0] ?? 0, nums[1] ?? 0, nums[2] ?? 0];
}

/** The smallest version above every version that starts with nums[0..i]. */
function bump(nums: number[], i: number): Version {
  const v = full(nums.slice(0, i + 1));
  v[i] = v[i]! + 1;
  return v;
}

function desugar(op: string, nums: number[]): Bound[] {
  const n = nums.length;
  // `*`, `x`, `>=*`: any version. (`<*` cannot be met, but nobody writes it.)
  if (n === 0) return [];
  const low: Bound = { op: '>=', v: full(nums) };
  switch (op) {
    case '=':
      return n === 3 ? [low, { op: '<=', v: full(nums) }] : [low, { op: '<', v: bump(nums, n - 1) }];
    case '>=':
      return [low];
    case '>':
      return n === 3 ? [{ op: '>', v: full(nums) }] : [{ op: '>=', v: bump(nums, n - 1) }];
    case '<':
      return [{ op: '<', v: full(nums) }];
    case '<=':
      return n === 3 ? [{ op: '<=', v: full(nums) }] : [{ op: '<', v: bump(nums, n - 1) }];
    case '~':
      return [low, { op: '<', v: bump(nums, n === 1 ? 0 : 1) }];
    default: {
      // `^`: the leftmost non-zero part may not change; when every written part is zero,
      // the last written one may not (`^0.0` → <0.1.0).
      const k = nums.findIndex((x) => x !== 0);
      return [low, { op: '<', v: bump(nums, k === -1 ? n - 1 : k) }];
    }
  }
}
