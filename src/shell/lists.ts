// The one definition of how a list variable is composed; the shell renderers implement the
// same steps in shell code, and the tests hold them to it byte for byte.

/** Elements of a list value; unset or empty means none, empty elements are kept. */
export function splitList(value: string | undefined): string[] {
  return value ? value.split(':') : [];
}

/** weft's entries first and last, the rest of `current` (minus weft's entries) between. */
export function composeList(current: string | undefined, prepend: string[], append: string[]): string {
  const ours = new Set([...prepend, ...append]);
  const rest = splitList(current).filter((e) => !ours.has(e));
  return [...prepend, ...rest, ...append].join(':');
}

/** `current` without the given entries; undefined when nothing is left. */
export function removeEntries(current: string | undefined, entries: string[]): string | undefined {
  const ours = new Set(entries);
  const rest = splitList(current).filter((e) => !ours.has(e));
  return rest.length > 0 ? rest.join(':') : undefined;
}
