// Finding the manifest and reading one file into a YAML document with positions.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, parseDocument, type YAMLError } from 'yaml';
import { WeftError } from '../errors.js';
import type { Loc } from '../types.js';
import { MAX_MERGED_ENTRIES, type FileCtx, type FileKind } from './yaml-nodes.js';

export const MANIFEST_NAMES = ['weft.yaml', 'weft.yml'] as const;
export const LOCAL_MANIFEST_NAME = 'weft.local.yaml';

/** The manifest to use: `explicit` (relative to cwd), else the nearest weft.yaml/weft.yml up from cwd. */
export function findManifest(cwd: string, explicit?: string): string {
  if (explicit !== undefined) {
    const file = resolve(cwd, explicit);
    if (!isFile(file)) {
      throw new WeftError('WEFT_E_MANIFEST_NOT_FOUND', `manifest ${file} does not exist or is not a file`, {
        hint: 'check the --manifest path, or run `weft init` to create a manifest',
      });
    }
    return file;
  }
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of MANIFEST_NAMES) {
      const file = join(dir, name);
      if (isFile(file)) return file;
    }
    if (dirname(dir) === dir) break;
  }
  throw new WeftError('WEFT_E_MANIFEST_NOT_FOUND', `no weft.yaml or weft.yml in ${resolve(cwd)} or any parent directory`, {
    hint: 'run `weft init` to create one, or pass -C DIR / --manifest FILE',
  });
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

export function fileExists(file: string): boolean {
  return existsSync(file);
}

/**
 * Reads and parses one manifest file. Syntax problems (bad YAML, duplicate keys, tabs,
 * several documents, an empty file, a top level that is not a map) throw one WeftError
 * listing them all: nothing else in that file can be trusted.
 */
export function readManifestFile(file: string, kind: FileKind, readLoc?: Loc): FileCtx {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const missing = code === 'ENOENT' || code === 'ENOTDIR';
    throw new WeftError(
      kind === 'include' ? (missing ? 'WEFT_E_INCLUDE_MISSING' : 'WEFT_E_INCLUDE_READ') : 'WEFT_E_MANIFEST_READ',
      missing ? `${file} does not exist` : `cannot read ${file}: ${(err as Error).message}`,
      {
        loc: readLoc,
        hint: missing ? 'fix the path (it is relative to the file that includes it) or create the file' : 'check the file\'s permissions',
        cause: err,
      },
    );
  }
  // Editors never count a byte-order mark as a column; drop it so positions match theirs.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lc = new LineCounter();
  // uniqueKeys is off because the library's check is quadratic in a map's size (1000
  // sources); mapEntries finds duplicates with a Set instead.
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, merge: true, uniqueKeys: false });
  const ctx: FileCtx = { file, dir: dirname(file), kind, text, lc, doc, mergeBudget: { left: MAX_MERGED_ENTRIES } };
  const errors: WeftError[] = [];
  const seenAt = new Set<number>();
  for (const e of doc.errors) {
    // One unclosed bracket yields an error per enclosing collection, all at the same spot.
    if (seenAt.has(e.pos[0])) continue;
    seenAt.add(e.pos[0]);
    errors.push(syntaxError(ctx, e));
  }
  if (errors.length === 0) {
    const top = doc.contents;
    if (top === null || (isScalar(top) && (top.value === null || top.value === ''))) {
      errors.push(
        new WeftError('WEFT_E_MANIFEST_EMPTY', `${file} is empty`, {
          loc: { file, line: 1, col: 1 },
          hint: kind === 'manifest' ? 'add at least `sources:`, or run `weft init` for a starter manifest' : 'add content or remove the file',
        }),
      );
    } else if (!isMap(top)) {
      const { line, col } = lc.linePos(top.range?.[0] ?? 0);
      errors.push(
        new WeftError('WEFT_E_MANIFEST_NOT_MAP', `the top level of ${file} must be a map of keys like \`sources:\``, {
          loc: { file, line, col },
          hint: 'start the file with `sources:` (see `weft init` for an example)',
        }),
      );
    }
  }
  if (errors.length > 0) {
    const [first, ...rest] = errors as [WeftError, ...WeftError[]];
    throw new WeftError(first.code, first.message, { loc: first.loc, hint: first.hint, more: rest });
  }
  return ctx;
}

const SYNTAX_HINTS: Partial<Record<YAMLError['code'], [code: string, hint: string]>> = {
  DUPLICATE_KEY: ['WEFT_E_MANIFEST_DUPLICATE_KEY', 'each key may appear once per map; merge the two entries or rename one'],
  TAB_AS_INDENT: ['WEFT_E_MANIFEST_SYNTAX', 'YAML indentation must use spaces, not tabs'],
  MULTIPLE_DOCS: ['WEFT_E_MANIFEST_SYNTAX', 'a manifest is one YAML document; remove the `---` separator and merge the parts'],
};

function syntaxError(ctx: FileCtx, e: YAMLError): WeftError {
  const { line, col } = ctx.lc.linePos(e.pos[0]);
  let [code, hint] = SYNTAX_HINTS[e.code] ?? ['WEFT_E_MANIFEST_SYNTAX', 'fix the YAML syntax at this position (check indentation, quotes and brackets)'];
  const lineText = ctx.text.split('\n', line)[line - 1] ?? '';
  // `{X: ${v}}` is the classic: inside a flow map the braces of `${v}` end the map.
  if (lineText.includes('${') && /[[{]/.test(lineText.replace(/\$\{[^}]*\}/g, ''))) {
    hint = 'inside `{…}` or `[…]`, quote values that use `${…}`, e.g. `{X: "${v}"}`';
  }
  const message = `invalid YAML: ${e.message.split('\n')[0]!.replace(/\.$/, '')}`;
  return new WeftError(code, message, { loc: { file: ctx.file, line, col }, hint });
}
