// Reading one manifest file into a YAML document with positions (finding it: find.ts).
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { YAMLError } from 'yaml';
import { LineCounter, isMap, isScalar, parseDocument } from './yaml-api.js';
import { WeftError } from '../errors.js';
import type { Loc } from '../types.js';
import { controlCharErrors } from './control-chars.js';
import { MAX_MERGED_ENTRIES, type FileCtx, type FileKind } from './yaml-nodes.js';

export { findManifest, LOCAL_MANIFEST_NAME, MANIFEST_NAMES } from './find.js';

/** Told the exact text of every file read, so the plan cache keys on what the plan came from. */
export type ReadRecorder = (file: string, text: string) => void;

export function fileExists(file: string): boolean {
  return existsSync(file);
}

/**
 * Reads and parses one manifest file. Syntax problems (bad YAML, duplicate keys, tabs,
 * several documents, an empty file, a top level that is not a map) throw one WeftError
 * listing them all: nothing else in that file can be trusted.
 */
export function readManifestFile(file: string, kind: FileKind, readLoc?: Loc, onRead?: ReadRecorder): FileCtx {
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
  onRead?.(file, text);
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
  if (errors.length === 0) errors.push(...controlCharErrors(file, doc, lc));
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
