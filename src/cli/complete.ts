// `weft __complete sources`: the source names a completion script offers, read straight from
// the YAML (manifest, its includes, weft.local.yaml, weft.lock for imported sources) without
// resolving, fetching or validating anything — it runs on every <Tab> and must never fail
// loudly: an unreadable or broken file just contributes no names.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse } from '../resolve/yaml-api.js';
import { LOCAL_MANIFEST_NAME, findManifest } from '../resolve/load.js';

function readYaml(file: string): Record<string, unknown> | undefined {
  try {
    const doc: unknown = parse(readFileSync(file, 'utf8'));
    return doc !== null && typeof doc === 'object' && !Array.isArray(doc) ? (doc as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function sourceKeys(doc: Record<string, unknown> | undefined): string[] {
  const sources = doc?.['sources'];
  return sources !== null && typeof sources === 'object' && !Array.isArray(sources) ? Object.keys(sources) : [];
}

function includesOf(doc: Record<string, unknown> | undefined, file: string): string[] {
  const inc = doc?.['include'];
  const list = typeof inc === 'string' ? [inc] : Array.isArray(inc) ? inc.filter((x): x is string => typeof x === 'string') : [];
  // ${vars} in include paths would need the resolver; those includes are skipped.
  return list.filter((p) => !p.includes('${')).map((p) => resolve(dirname(file), p));
}

/** Source names in manifest order, then those only the includes, weft.local.yaml or the lock know. */
export function sourceNames(cwd: string, manifest?: string): string[] {
  let top: string;
  try {
    top = findManifest(cwd, manifest);
  } catch {
    return [];
  }
  const names = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const doc = readYaml(file);
    for (const n of sourceKeys(doc)) names.add(n);
    for (const inc of includesOf(doc, file)) visit(inc);
  };
  visit(top);
  for (const n of sourceKeys(readYaml(join(dirname(top), LOCAL_MANIFEST_NAME)))) names.add(n);
  for (const n of sourceKeys(readYaml(join(dirname(top), 'weft.lock')))) names.add(n);
  return [...names];
}
