// weft.lock written without the YAML library, for the common case: every name and value a
// plain scalar that YAML writes as is. The result must read back, through the strict fast
// reader, to the very lock it came from; otherwise (quotes needed, odd names, an entry
// without a type…) this returns undefined and lock-write.ts lets the library render it.
// A test compares both renderings over many values, so they cannot drift apart.
import type { Lock, LockEntry } from './lock.js';
import { parseLockFast } from './lock-fast.js';

// Narrower than what the fast reader accepts: no leading indicator YAML might quote
// (`-`, `%`, `@`, `=`, …), nothing from flow syntax, no `:` at the end or before a space.
const PLAIN = /^[A-Za-z0-9_./(][A-Za-z0-9_./~+=$()@%:-]*$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function renderLockFast(lock: Lock, version: number, keyOrder: readonly (keyof LockEntry)[]): string | undefined {
  const names = Object.keys(lock.sources).sort();
  if (names.length === 0) return `version: ${version}\nsources: {}\n`;
  const lines = [`version: ${version}`, 'sources:'];
  for (const name of names) {
    if (!NAME.test(name)) return undefined;
    lines.push(`  ${name}:`);
    const e = lock.sources[name]!;
    for (const k of keyOrder) {
      const v = e[k];
      if (v === undefined) continue;
      if (typeof v !== 'string' || !PLAIN.test(v) || v.endsWith(':') || v.endsWith('.')) return undefined;
      lines.push(`    ${k}: ${v}`);
    }
  }
  const text = lines.join('\n') + '\n';
  const back = parseLockFast(text, version);
  return back && sameLock(back, lock, keyOrder) ? text : undefined;
}

function sameLock(a: Lock, b: Lock, keys: readonly (keyof LockEntry)[]): boolean {
  const an = Object.keys(a.sources);
  if (an.length !== Object.keys(b.sources).length) return false;
  return an.every((n) => {
    const x = a.sources[n]!;
    const y = b.sources[n];
    return y !== undefined && keys.every((k) => x[k] === y[k]) && Object.keys(y).every((k) => y[k as keyof LockEntry] === undefined || keys.includes(k as keyof LockEntry));
  });
}
