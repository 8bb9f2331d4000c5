// `${source.NAME}` in the values that follow `weft switch` (env entries, setup commands):
// resolve keeps where each use is (SourceTemplate); whoever knows which directory of a
// source is in use (its Checkout) fills it in. One place for both directions.
import type { SourceTemplate } from './types.js';

/** The string, each `${source.NAME}` naming `dirOf(NAME)`, or the directory it expanded to. */
export function templateText(t: SourceTemplate, dirOf?: (source: string) => string | undefined): string {
  let out = '';
  for (const part of t) out += typeof part === 'string' ? part : (dirOf?.(part.source) ?? part.dir);
  return out;
}

/** The template worth keeping: only one that uses `${source.NAME}`. */
export function sourceTemplate(t: SourceTemplate): SourceTemplate | undefined {
  return t.some((p) => typeof p !== 'string') ? t : undefined;
}

/**
 * `value` as it reads with each `${source.NAME}` in it naming that source's directory in
 * use now (`dirs`, name → its Checkout's dir), not the main checkout's.
 */
export function withActiveDirs(value: string, template: SourceTemplate | undefined, dirs: ReadonlyMap<string, string>): string {
  return template ? templateText(template, (name) => dirs.get(name)) : value;
}
