// Control characters in a manifest's strings. Names, URLs, refs, env values and setup
// commands are printed to terminals (weft up --dry-run, why, status, setup's "running …"),
// where ESC, BEL and the C1 controls are commands: a manifest read from a repository one
// has not trusted yet could retitle the window, hide text or write to the clipboard (OSC
// 52). Nothing a manifest says needs them, so they are refused where the file is read,
// keys and values alike, whether written raw or as a YAML escape ("\e", "\x1b"); and in
// weft.lock, which is committed beside the manifest.
// Tab, line feed and carriage return stay: block scalars and setup scripts use them. NUL
// does nothing on a terminal; where it matters (an environment value cannot hold one) the
// reader of that field refuses it and says why.
import type { Document } from 'yaml';
import { WeftError } from '../errors.js';
import { refusedCharacter } from '../words.js';
import { isScalar, visit, type LineCounter } from './yaml-api.js';

const CONTROL = /[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;
const NOT_CONTROL = /[^\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]/;
const HINT = 'remove it: weft prints manifest text to terminals, where control characters are commands (only tab and new line are allowed, e.g. in a `|` block)';

/** Whether `s` holds a character refused here. */
export function hasControlChar(s: string): boolean {
  return CONTROL.test(s);
}

/** What the first refused character in `s` is, said so that it can be read: "U+001B". */
function controlCharIn(s: string): string | undefined {
  return refusedCharacter(s, NOT_CONTROL);
}

/** One error per string holding a control character (at most `limit`), with its position. */
export function controlCharErrors(
  file: string,
  doc: Document,
  lc: InstanceType<typeof LineCounter>,
  { code = 'WEFT_E_MANIFEST_CONTROL_CHAR', hint = HINT, limit = 10 }: { code?: string; hint?: string; limit?: number } = {},
): WeftError[] {
  const errors: WeftError[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (errors.length >= limit) return visit.BREAK;
      if (!isScalar(node) || typeof node.value !== 'string' || !hasControlChar(node.value)) return undefined;
      const { line, col } = lc.linePos(node.range?.[0] ?? 0);
      errors.push(
        new WeftError(code, `a string holds the control character ${controlCharIn(node.value)}`, { loc: { file, line, col }, hint }),
      );
      return undefined;
    },
  });
  return errors;
}
