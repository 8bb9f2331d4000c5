// Reads one source's map from one file: names, key spelling and value types. Kind rules
// (exactly one of git/archive/…, which keys go with which kind) are checked after merging,
// because an include and weft.local.yaml may each supply part of a source.
import { isMap, isScalar } from './yaml-api.js';
import type { Loc, SetupWhen } from '../types.js';
import { SETUP_KEYS, SETUP_WHEN, SOURCE_KEYS } from './keys.js';
import type { RawSetup, RawSource, RawSourceFields } from './raw.js';
import { readEnvMap } from './read-env.js';
import { suggestHint } from './suggest.js';
import { notAllowed } from '../words.js';
import {
  checkKeys,
  mapEntries,
  readBool,
  readInt,
  readList,
  readString,
  readStringList,
  type Entry,
  type Leaf,
  type Reader,
} from './yaml-nodes.js';

export const SOURCE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function readSource(r: Reader, e: Entry, listVars: ReadonlySet<string>): RawSource | undefined {
  const where = `source \`${e.key}\``;
  if (!SOURCE_NAME.test(e.key)) {
    r.problems.add({
      code: 'WEFT_E_MANIFEST_SOURCE_NAME',
      message: `\`${e.key}\` is not a valid source name`,
      loc: e.keyLoc,
      hint: `source names start with an ASCII letter or digit and hold only ASCII letters, digits, \`.\`, \`_\` and \`-\`${notAllowed(e.key, /[A-Za-z0-9._-]/)}`,
    });
    return undefined;
  }
  const before = r.problems.count;
  const entries = mapEntries(r, e.value, e.loc, where);
  if (!entries) return undefined;
  checkKeys(r, entries, SOURCE_KEYS, where);
  const fields: RawSourceFields = {};
  const fieldLocs: Record<string, Loc> = {};
  for (const f of entries) {
    if (!(SOURCE_KEYS as readonly string[]).includes(f.key)) continue;
    if (readField(r, f, where, fields, listVars)) {
      fieldLocs[f.key] = f.keyLoc;
      if (f.key === 'env') for (const [name, spec] of fields.env!.value) fieldLocs[`env.${name}`] = spec.keyLoc;
    }
  }
  return { name: e.key, loc: e.keyLoc, fields, fieldLocs, broken: r.problems.count > before };
}

function readField(r: Reader, f: Entry, where: string, fields: RawSourceFields, listVars: ReadonlySet<string>): boolean {
  const what = `\`${f.key}\` of ${where}`;
  switch (f.key) {
    case 'git':
    case 'archive':
    case 'local':
    case 'svn':
    case 'hg':
    case 'ref':
    case 'commit':
    case 'integrity':
    case 'format':
    case 'path':
      return put(fields, f.key, readString(r, f, what));
    case 'depth':
      return put(fields, f.key, readInt(r, f, 1, what));
    case 'strip':
      return put(fields, f.key, readInt(r, f, 0, what));
    case 'submodules':
      return put(fields, f.key, readBool(r, f, what));
    case 'depends':
    case 'groups':
      return put(fields, f.key, readStringList(r, f, what));
    case 'env': {
      const env = readEnvMap(r, f, `of ${where}`, listVars);
      return put(fields, 'env', env && { value: env, loc: f.loc, keyLoc: f.keyLoc, ctx: r.ctx });
    }
    case 'setup': {
      const setup = readSetup(r, f, where);
      return put(fields, 'setup', setup && { value: setup, loc: f.loc, keyLoc: f.keyLoc, ctx: r.ctx });
    }
    default:
      throw new Error(`readField: unhandled source key ${f.key}`);
  }
}

function put<K extends keyof RawSourceFields>(fields: RawSourceFields, key: K, value: RawSourceFields[K] | undefined): boolean {
  if (value === undefined) return false;
  fields[key] = value;
  return true;
}

function readSetup(r: Reader, f: Entry, where: string): RawSetup[] | undefined {
  const items = readList(r, f, `\`setup\` of ${where}`);
  if (!items) return undefined;
  const out: RawSetup[] = [];
  for (const item of items) {
    const what = `a \`setup\` step of ${where}`;
    if (isScalar(item.value)) {
      const run = readString(r, item, what);
      if (run) out.push({ run, when: 'changed', loc: item.loc });
      continue;
    }
    if (!isMap(item.value)) {
      r.problems.add({
        code: 'WEFT_E_MANIFEST_TYPE',
        message: `${what}: expected a command or \`{run: …, when: …}\`, got ${item.value === null ? 'an empty value' : 'a list'}`,
        loc: item.loc,
        hint: 'write `- run: make` (optionally with `when: changed|always|once`) or just `- make`',
      });
      continue;
    }
    const entries = mapEntries(r, item.value, item.loc, what);
    if (!entries) continue;
    checkKeys(r, entries, SETUP_KEYS, what);
    const runEntry = entries.find((x) => x.key === 'run');
    const whenEntry = entries.find((x) => x.key === 'when');
    if (!runEntry) {
      r.problems.add({ code: 'WEFT_E_MANIFEST_MISSING_KEY', message: `${what} has no \`run\``, loc: item.loc, hint: 'add `run: COMMAND`' });
      continue;
    }
    const run = readString(r, runEntry, `\`run\` of ${what}`);
    const when = whenEntry ? readWhen(r, whenEntry, what) : 'changed';
    if (run && when) out.push({ run, when, loc: item.loc });
  }
  return out;
}

function readWhen(r: Reader, e: Entry, what: string): SetupWhen | undefined {
  const leaf: Leaf<string> | undefined = readString(r, e, `\`when\` of ${what}`);
  if (!leaf) return undefined;
  if ((SETUP_WHEN as readonly string[]).includes(leaf.value)) return leaf.value as SetupWhen;
  r.problems.add({
    code: 'WEFT_E_MANIFEST_VALUE',
    message: `\`when\` of ${what} is \`${leaf.value}\`, which is not a known condition`,
    loc: leaf.loc,
    hint: `use one of ${SETUP_WHEN.map((w) => `\`${w}\``).join(', ')}${hintGuess(leaf.value)}`,
  });
  return undefined;
}

function hintGuess(value: string): string {
  const h = suggestHint(value, SETUP_WHEN, 'conditions');
  return h.startsWith('did you mean') ? ` (${h})` : '';
}
