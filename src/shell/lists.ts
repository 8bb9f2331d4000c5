// The one definition of how a list variable is composed; the shell renderers implement the
// same steps in shell code, and the tests hold them to it byte for byte.
import { isOnlyDefault, systemDefaultOf } from './system-default.js';

/** Elements of a list value; unset or empty means none, empty elements are kept. */
export function splitList(value: string | undefined): string[] {
  return value ? value.split(':') : [];
}

/**
 * weft's entries first and last, the rest of `current` (minus weft's entries) between. For a
 * variable whose absence means a default (system-default.ts), a rest of nothing becomes the
 * default's stand-in, and a trailing stand-in that only works last stays last.
 */
export function composeList(name: string, current: string | undefined, prepend: string[], append: string[]): string {
  const ours = new Set([...prepend, ...append]);
  let rest = splitList(current).filter((e) => !ours.has(e));
  const dflt = systemDefaultOf(name);
  if (dflt && rest.length === 0) rest = [...dflt.standIn];
  if (dflt?.at === 'last' && rest.at(-1) === '') return [...prepend, ...rest.slice(0, -1), ...append, ''].join(':');
  return [...prepend, ...rest, ...append].join(':');
}

/** `current` without the given entries; undefined when nothing is left but a default's stand-in. */
export function removeEntries(name: string, current: string | undefined, entries: string[]): string | undefined {
  const ours = new Set(entries);
  const rest = splitList(current).filter((e) => !ours.has(e));
  return rest.length > 0 && !isOnlyDefault(name, rest) ? rest.join(':') : undefined;
}
