// The subset of JSON Schema (2020-12) that weft.schema.json uses, checked by hand so the
// schema can be tested without a validator package: type, enum, const, properties,
// required, additionalProperties, propertyNames, items, oneOf, anyOf, pattern,
// minLength, minimum and local $ref (`default` is an annotation, not checked). Any other keyword is refused, so the schema cannot
// quietly grow beyond what is tested.

export type Schema = { [k: string]: unknown };

export interface SchemaProblem {
  path: string;
  message: string;
}

const KNOWN = new Set([
  '$schema', '$defs', '$id', 'title', 'description', '$ref', 'type', 'enum', 'const', 'properties', 'required',
  'additionalProperties', 'propertyNames', 'items', 'oneOf', 'anyOf', 'pattern', 'minLength', 'minimum',
  // An annotation for editors: nothing to check.
  'default',
]);

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

export function checkSchema(root: Schema, value: unknown): SchemaProblem[] {
  const problems: SchemaProblem[] = [];

  function resolveRef(ref: string): Schema {
    if (!ref.startsWith('#/')) throw new Error(`only local $ref is supported: ${ref}`);
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) node = (node as Schema)[part];
    if (!node || typeof node !== 'object') throw new Error(`dangling $ref ${ref}`);
    return node as Schema;
  }

  function check(s: Schema, v: unknown, path: string, out: SchemaProblem[]): void {
    for (const k of Object.keys(s)) if (!KNOWN.has(k)) throw new Error(`schema keyword "${k}" at ${path} is not supported by the test checker`);
    if (typeof s['$ref'] === 'string') check(resolveRef(s['$ref']), v, path, out);
    const t = typeOf(v);
    if (s['type'] !== undefined) {
      const types = Array.isArray(s['type']) ? (s['type'] as string[]) : [s['type'] as string];
      const ok = types.some((want) => want === t || (want === 'number' && t === 'integer'));
      if (!ok) {
        out.push({ path, message: `expected ${types.join(' or ')}, got ${t}` });
        return;
      }
    }
    if (Array.isArray(s['enum']) && !(s['enum'] as unknown[]).some((e) => e === v)) {
      out.push({ path, message: `expected one of ${JSON.stringify(s['enum'])}, got ${JSON.stringify(v)}` });
    }
    if ('const' in s && s['const'] !== v) out.push({ path, message: `expected ${JSON.stringify(s['const'])}` });
    if (t === 'string') {
      const str = v as string;
      if (typeof s['pattern'] === 'string' && !new RegExp(s['pattern'], 'u').test(str)) out.push({ path, message: `"${str}" does not match ${s['pattern']}` });
      if (typeof s['minLength'] === 'number' && [...str].length < s['minLength']) out.push({ path, message: `shorter than ${s['minLength']}` });
    }
    if ((t === 'integer' || t === 'number') && typeof s['minimum'] === 'number' && (v as number) < s['minimum']) {
      out.push({ path, message: `${String(v)} is less than ${s['minimum']}` });
    }
    if (t === 'array' && s['items'] && typeof s['items'] === 'object') {
      (v as unknown[]).forEach((item, i) => check(s['items'] as Schema, item, `${path}[${i}]`, out));
    }
    if (t === 'object') {
      const obj = v as Record<string, unknown>;
      const props = (s['properties'] as Record<string, Schema> | undefined) ?? {};
      for (const r of (s['required'] as string[] | undefined) ?? []) if (!(r in obj)) out.push({ path, message: `missing "${r}"` });
      for (const [k, val] of Object.entries(obj)) {
        const at = `${path}.${k}`;
        if (s['propertyNames']) check(s['propertyNames'] as Schema, k, `${at} (name)`, out);
        if (k in props) check(props[k]!, val, at, out);
        else if (s['additionalProperties'] === false) out.push({ path: at, message: `unknown key "${k}"` });
        else if (s['additionalProperties'] && typeof s['additionalProperties'] === 'object') check(s['additionalProperties'] as Schema, val, at, out);
      }
    }
    for (const [kw, exact] of [['oneOf', true], ['anyOf', false]] as const) {
      const branches = s[kw] as Schema[] | undefined;
      if (!branches) continue;
      const results = branches.map((b) => {
        const sub: SchemaProblem[] = [];
        check(b, v, path, sub);
        return sub;
      });
      const matched = results.filter((r) => r.length === 0).length;
      if (matched === 0) {
        const best = results.reduce((a, b) => (b.length < a.length ? b : a));
        out.push({ path, message: `matches none of ${kw}` }, ...best);
      } else if (exact && matched > 1) {
        out.push({ path, message: `matches ${matched} branches of oneOf, expected exactly one` });
      }
    }
  }

  check(root, value, '$', problems);
  return problems;
}
