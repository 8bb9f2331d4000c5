// Reads the top level of one manifest file (weft.yaml, an include, or weft.local.yaml).
import { isMap, isScalar } from './yaml-api.js';
import { WeftError } from '../errors.js';
import { IMPORT_KEYS, LOCAL_MANIFEST_KEYS, MANIFEST_KEYS, RESERVED_VAR_NAMES } from './keys.js';
import { emptyManifest, type RawFile, type RawImport } from './raw.js';
import { readEnvMap } from './read-env.js';
import { readSource } from './read-source.js';
import { notAllowed } from '../words.js';
import { checkKeys, expect, mapEntries, readList, readString, readStringList, type Entry, type Reader } from './yaml-nodes.js';

/** The newest manifest schema this weft understands. */
export const SCHEMA_VERSION = 1;
export const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;

export function readFile(r: Reader, listVars: ReadonlySet<string>): RawFile {
  const top = r.ctx.doc.contents;
  const all = mapEntries(r, top, { file: r.ctx.file, line: 1, col: 1 }, 'the manifest') ?? [];
  checkVersion(r, all.find((e) => e.key === 'weft'));
  const out: RawFile = { ctx: r.ctx, include: [], ...emptyManifest() };
  const isLocal = r.ctx.kind === 'local';
  // `x-…` keys are for the user (anchors to reuse with `<<: *name`), as in docker-compose.
  const entries = all.filter((e) => !e.key.startsWith('x-'));
  for (const e of entries) {
    if (isLocal && !(LOCAL_MANIFEST_KEYS as readonly string[]).includes(e.key) && (MANIFEST_KEYS as readonly string[]).includes(e.key)) {
      r.problems.add({
        code: 'WEFT_E_MANIFEST_LOCAL_KEY',
        message: `\`${e.key}\` cannot be set in weft.local.yaml`,
        loc: e.keyLoc,
        hint: 'weft.local.yaml may only override `sources`, `vars` and `env`; put other settings in weft.yaml',
      });
      continue;
    }
    readTopKey(r, e, out, listVars);
  }
  // Manifest keys misplaced in weft.local.yaml were reported above with a better message.
  const unchecked = isLocal ? entries.filter((e) => !(MANIFEST_KEYS as readonly string[]).includes(e.key)) : entries;
  checkKeys(r, unchecked, isLocal ? LOCAL_MANIFEST_KEYS : MANIFEST_KEYS, isLocal ? 'weft.local.yaml' : 'the manifest');
  return out;
}

const COLLECTIONS = new Set(['vars', 'sources', 'include', 'import', 'env', 'requires', 'mirrors']);

function readTopKey(r: Reader, e: Entry, out: RawFile, listVars: ReadonlySet<string>): void {
  // `vars:` with nothing under it (everything commented out, say) is simply empty.
  if (e.value === null && COLLECTIONS.has(e.key)) return;
  switch (e.key) {
    case 'weft':
      return;
    case 'name': {
      out.name = readString(r, e);
      return;
    }
    case 'root': {
      out.root = readString(r, e);
      return;
    }
    case 'vars':
      for (const v of mapEntries(r, e.value, e.loc, '`vars`') ?? []) {
        if (!VAR_NAME.test(v.key) || (RESERVED_VAR_NAMES as readonly string[]).includes(v.key)) {
          r.problems.add({
            code: 'WEFT_E_VARS_NAME',
            message: `\`${v.key}\` cannot be used as a variable name`,
            loc: v.keyLoc,
            hint: (RESERVED_VAR_NAMES as readonly string[]).includes(v.key)
              ? `\`${v.key}\` is reserved for \`\${env.NAME}\`, \`\${source.NAME}\` and \`\${workspace}\`; pick another name`
              : `variable names start with an ASCII letter or \`_\` and hold only ASCII letters, digits, \`_\` and \`-\`${notAllowed(v.key, /[A-Za-z0-9_-]/)}`,
          });
          continue;
        }
        const leaf = readString(r, v, `variable \`${v.key}\``);
        if (leaf) out.vars.set(v.key, leaf);
      }
      return;
    case 'sources':
      for (const s of mapEntries(r, e.value, e.loc, '`sources`') ?? []) {
        const src = readSource(r, s, listVars);
        if (src) out.sources.set(src.name, src);
      }
      return;
    case 'include':
      out.include = readStringList(r, e)?.value ?? [];
      return;
    case 'import':
      for (const item of readList(r, e) ?? []) {
        const imp = readImport(r, item);
        if (imp) out.imports.push(imp);
      }
      return;
    case 'env':
      out.env = readEnvMap(r, e, 'of the workspace', listVars) ?? new Map();
      return;
    case 'requires':
    case 'mirrors':
      for (const m of mapEntries(r, e.value, e.loc, `\`${e.key}\``) ?? []) {
        if (e.key === 'mirrors' && !/^[A-Za-z][A-Za-z0-9+.-]*:|^[^/]+@[^/]+:/.test(m.key)) {
          r.problems.add({
            code: 'WEFT_E_MANIFEST_VALUE',
            message: `mirror prefix \`${m.key}\` is not the start of a URL`,
            loc: m.keyLoc,
            hint: 'write the URL prefix to replace, e.g. `"https://github.com/": "https://mirror.example/gh/"`',
          });
          continue;
        }
        const leaf = readString(r, m, `\`${m.key}\` in \`${e.key}\``);
        if (leaf) out[e.key].set(m.key, leaf);
      }
      return;
    default:
      return; // reported by checkKeys
  }
}

function readImport(r: Reader, item: Entry): RawImport | undefined {
  const what = 'an `import` entry';
  if (!isMap(item.value)) {
    expect(r, what, 'a map like `{from: SOURCE}`', item.value, item.loc, 'write `- from: SOURCE` (optionally with `file:` and `only:`)');
    return undefined;
  }
  const entries = mapEntries(r, item.value, item.loc, what) ?? [];
  checkKeys(r, entries, IMPORT_KEYS, what);
  const get = (k: string) => entries.find((x) => x.key === k);
  const fromEntry = get('from');
  if (!fromEntry) {
    r.problems.add({ code: 'WEFT_E_MANIFEST_MISSING_KEY', message: `${what} has no \`from\``, loc: item.loc, hint: 'add `from: SOURCE`, the source whose manifest to import' });
    return undefined;
  }
  const from = readString(r, fromEntry, `\`from\` of ${what}`);
  const fileEntry = get('file');
  const file = fileEntry && readString(r, fileEntry, `\`file\` of ${what}`);
  const onlyEntry = get('only');
  const only = onlyEntry && readStringList(r, onlyEntry, `\`only\` of ${what}`);
  if (!from) return undefined;
  return { from, file, only: only?.value, loc: item.loc };
}

/**
 * A manifest for a newer weft stops everything: whatever else looks wrong in it is most
 * likely a feature this weft does not know yet.
 */
function checkVersion(r: Reader, e: Entry | undefined): void {
  if (!e) return;
  const v = isScalar(e.value) ? e.value.value : undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
    r.problems.add({
      code: 'WEFT_E_MANIFEST_VERSION',
      message: `\`weft\` must be the manifest schema version, a whole number of at least 1; got ${isScalar(e.value) && e.value.value !== null ? JSON.stringify(e.value.value) : e.value === null || isScalar(e.value) ? 'an empty value' : 'a collection'}`,
      loc: e.loc,
      hint: `write \`weft: ${SCHEMA_VERSION}\`, or leave \`weft:\` out (it defaults to ${SCHEMA_VERSION})`,
    });
    return;
  }
  if (v > SCHEMA_VERSION) {
    throw new WeftError('WEFT_E_VERSION', `this manifest needs weft >= ${v} (it declares \`weft: ${v}\`; this weft reads schema ${SCHEMA_VERSION})`, {
      loc: e.loc,
      hint: 'upgrade weft (e.g. `npm install -g weft@latest`)',
    });
  }
}
