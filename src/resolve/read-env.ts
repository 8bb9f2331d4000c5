// Reads `env:` maps (workspace level and per source) into located operations.
import { ENV_NAME_RULE, isReservedName, isVarName, RESERVED_NAMES_TEXT } from '../env-names.js';
import { notAllowed } from '../words.js';
import { isMap, isScalar, isSeq } from './yaml-api.js';
import { ENV_OP_KEYS } from './keys.js';
import type { RawEnvOp, RawEnvSpec } from './raw.js';
import { checkKeys, expect, mapEntries, readString, readStringList, type Entry, type Reader } from './yaml-nodes.js';

const FORMS =
  'use a path, a list of paths, `{prepend: [...]}`, `{append: [...]}`, `{set: "value"}` or `{unset: true}`';

export function readEnvMap(r: Reader, e: Entry, where: string, listVars: ReadonlySet<string>): Map<string, RawEnvSpec> | undefined {
  const entries = mapEntries(r, e.value, e.loc, `\`env\` ${where}`);
  if (!entries) return undefined;
  const out = new Map<string, RawEnvSpec>();
  for (const v of entries) {
    if (!isVarName(v.key)) {
      r.problems.add({
        code: 'WEFT_E_ENV_NAME',
        message: `\`${v.key}\` ${where} is not a valid environment variable name`,
        loc: v.keyLoc,
        hint: ENV_NAME_RULE + notAllowed(v.key, /\w/),
      });
      continue;
    }
    if (isReservedName(v.key)) {
      r.problems.add({
        code: 'WEFT_E_ENV_RESERVED',
        message: `\`${v.key}\` ${where} is one of weft's own bookkeeping variables, which a manifest cannot set`,
        loc: v.keyLoc,
        hint: `rename the variable; ${RESERVED_NAMES_TEXT}`,
      });
      continue;
    }
    const ops = readEnvValue(r, v, where, listVars);
    if (ops) out.set(v.key, { name: v.key, keyLoc: v.keyLoc, ops });
  }
  return out;
}

function readEnvValue(r: Reader, v: Entry, where: string, listVars: ReadonlySet<string>): RawEnvOp[] | undefined {
  const node = v.value;
  const what = `\`${v.key}\` in \`env\` ${where}`;
  if (isScalar(node) && node.value !== null) {
    const leaf = readString(r, v, what);
    if (!leaf) return undefined;
    return [listVars.has(v.key) ? { op: 'prepend', paths: [leaf], loc: v.loc } : { op: 'set', value: leaf, loc: v.loc }];
  }
  if (isSeq(node)) {
    const list = readStringList(r, v, what);
    return list && [{ op: 'prepend', paths: list.value, loc: v.loc }];
  }
  if (!isMap(node)) {
    const empty = node === null || isScalar(node);
    r.problems.add({
      code: 'WEFT_E_ENV_FORM',
      message: `${what}: expected a path, a list or a map of one operation, got ${empty ? 'an empty value' : 'something else'}`,
      loc: v.loc,
      hint: empty ? `${FORMS}; \`{unset: true}\` removes the variable, \`""\` sets it empty` : FORMS,
    });
    return undefined;
  }
  const entries = mapEntries(r, node, v.loc, what);
  if (!entries) return undefined;
  if (!checkKeys(r, entries, ENV_OP_KEYS, what)) return undefined;
  if (entries.length === 0) {
    r.problems.add({ code: 'WEFT_E_ENV_FORM', message: `${what}: the map names no operation`, loc: v.loc, hint: FORMS });
    return undefined;
  }
  const scalarOp = entries.find((o) => o.key === 'set' || o.key === 'unset');
  if (scalarOp && entries.length > 1) {
    const other = entries.find((o) => o !== scalarOp)!;
    r.problems.add({
      code: 'WEFT_E_ENV_FORM',
      message: `${what}: \`${scalarOp.key}\` cannot be combined with \`${other.key}\``,
      loc: other.keyLoc,
      hint: '`set` and `unset` replace the whole value; use them alone',
    });
    return undefined;
  }
  const ops: RawEnvOp[] = [];
  for (const o of entries) {
    const opWhat = `\`${o.key}\` of ${what}`;
    if (o.key === 'set') {
      const value = readString(r, o, opWhat);
      if (value) ops.push({ op: 'set', value, loc: o.keyLoc });
    } else if (o.key === 'unset') {
      if (isScalar(o.value) && o.value.value === true) ops.push({ op: 'unset', loc: o.keyLoc });
      else expect(r, opWhat, 'true', o.value, o.loc, 'write `{unset: true}` to remove the variable, or drop the entry');
    } else {
      const list = readStringList(r, o, opWhat);
      if (list) ops.push({ op: o.key as 'prepend' | 'append', paths: list.value, loc: o.keyLoc });
    }
  }
  return ops.length === entries.length ? ops : undefined;
}
