// How layers combine: an include under the file that includes it, weft.local.yaml over
// weft.yaml. The upper layer wins; maps merge key by key; sources merge field by field.
import type { Loc } from '../types.js';
import { KIND_SPECIFIC_KEYS, SOURCE_KINDS } from './keys.js';
import type { RawManifest, RawSource, RawSourceFields, SourceField } from './raw.js';

export function mergeManifests(base: RawManifest, over: RawManifest): RawManifest {
  return {
    weft: over.weft ?? base.weft,
    name: over.name ?? base.name,
    root: over.root ?? base.root,
    vars: mergeMaps(base.vars, over.vars),
    sources: mergeSources(base.sources, over.sources),
    imports: [...base.imports, ...over.imports],
    env: mergeMaps(base.env, over.env),
    requires: mergeMaps(base.requires, over.requires),
    mirrors: mergeMaps(base.mirrors, over.mirrors),
  };
}

function mergeMaps<V>(base: Map<string, V>, over: Map<string, V>): Map<string, V> {
  if (base.size === 0) return over;
  if (over.size === 0) return base;
  const out = new Map(base);
  for (const [k, v] of over) out.set(k, v);
  return out;
}

/** Sources keep the position where they first appeared; new ones follow in file order. */
function mergeSources(base: Map<string, RawSource>, over: Map<string, RawSource>): Map<string, RawSource> {
  if (base.size === 0) return over;
  const out = new Map(base);
  for (const [name, src] of over) {
    const prev = out.get(name);
    out.set(name, prev ? mergeSource(prev, src) : src);
  }
  return out;
}

const KIND_FIELDS: readonly SourceField[] = [...SOURCE_KINDS, ...KIND_SPECIFIC_KEYS];

/**
 * Field by field, the upper layer winning. When the upper layer names a kind (`git:`,
 * `local:` …) it replaces the source's identity, so the lower layer's kind and the fields
 * that only make sense for that kind go; so does its `path` when switching to `local`
 * (a local directory is used where it is).
 */
export function mergeSource(base: RawSource, over: RawSource): RawSource {
  const fields: RawSourceFields = { ...base.fields };
  const fieldLocs: Record<string, Loc> = { ...base.fieldLocs };
  const drop = (key: SourceField) => {
    delete fields[key];
    delete fieldLocs[key];
  };
  if (SOURCE_KINDS.some((k) => over.fields[k] !== undefined)) {
    for (const k of KIND_FIELDS) drop(k);
    if (over.fields.local !== undefined && over.fields.path === undefined) drop('path');
  }
  for (const key of Object.keys(over.fields) as SourceField[]) {
    if (key === 'env') continue;
    (fields as Record<string, unknown>)[key] = over.fields[key];
  }
  if (over.fields.env) {
    const env = new Map(fields.env?.value ?? []);
    for (const [k, v] of over.fields.env.value) env.set(k, v);
    fields.env = { ...over.fields.env, value: env };
  }
  Object.assign(fieldLocs, over.fieldLocs);
  return { name: base.name, loc: base.loc, fields, fieldLocs, broken: base.broken || over.broken };
}
