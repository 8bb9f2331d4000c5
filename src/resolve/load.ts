// Reading one manifest file into a YAML document with positions (finding it: find.ts).
import { isUtf8 } from 'node:buffer';
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { YAMLError } from 'yaml';
import { LineCounter, isMap, isScalar, parseDocument } from './yaml-api.js';
import { WeftError } from '../errors.js';
import type { Loc } from '../types.js';
import { controlCharErrors } from './control-chars.js';
import { MAX_MERGED_ENTRIES, type FileCtx, type FileKind } from './yaml-nodes.js';
import { readPlainYaml } from './yaml-plain.js';

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
    const bytes = readFileSync(file);
    text = utf8Text(bytes, file, kind);
  } catch (err) {
    if (err instanceof WeftError) throw err;
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
  // The plain subset by weft's own reader (yaml-plain.ts), anything else by the library.
  // uniqueKeys is off because the library's check is quadratic in a map's size (1000
  // sources); mapEntries finds duplicates with a Set instead.
  const doc = readPlainYaml(text, lc) ?? parseDocument(text, { lineCounter: lc, prettyErrors: false, merge: true, uniqueKeys: false });
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

/**
 * The file's text; a file that is not UTF-8 (Latin-1 from an old editor, say) is refused
 * where its first stray byte is, instead of being read with U+FFFD in its place (a value,
 * a path, an environment variable quietly wrong).
 */
function utf8Text(bytes: Buffer, file: string, kind: FileKind): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  const at = firstNonUtf8(bytes);
  const lineStart = bytes.lastIndexOf(0x0a, at - 1) + 1;
  const line = bytes.subarray(0, lineStart).filter((b) => b === 0x0a).length + 1;
  const col = bytes.subarray(lineStart, at).toString('utf8').length + 1;
  throw new WeftError(kind === 'include' ? 'WEFT_E_INCLUDE_READ' : 'WEFT_E_MANIFEST_READ', `${file} is not UTF-8 text (byte 0x${bytes[at]!.toString(16).padStart(2, '0')} here)`, {
    loc: { file, line, col },
    hint: 'save the file as UTF-8 (e.g. iconv -f latin1 -t utf-8), as YAML requires',
  });
}

/** The offset of the first byte that does not belong to a well-formed UTF-8 sequence. */
function firstNonUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const n = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (n < 0 || i + n >= b.length) return i;
    for (let k = 1; k <= n; k++) if ((b[i + k]! & 0xc0) !== 0x80) return i;
    // Overlong, surrogate and beyond-U+10FFFF forms: the second byte's range is narrower.
    const d = b[i + 1]!;
    if ((c === 0xe0 && d < 0xa0) || (c === 0xed && d > 0x9f) || (c === 0xf0 && d < 0x90) || (c === 0xf4 && d > 0x8f)) return i;
    i += n + 1;
  }
  return b.length - 1;
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
