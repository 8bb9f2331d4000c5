// Which environment variable names and values a manifest may set. The loader reports a bad
// one at its position in weft.yaml; the env model refuses it again, so nothing that slips
// past the loader (a hand-edited env.json, a plan built in code) is ever rendered.

/** The variable holding what weft did to the environment (see shell/record.ts). */
export const RECORD_VAR = 'WEFT_ENV_ADDED';
/** WEFT_PREV_NAME holds NAME's value from before weft replaced it. */
export const PREV_PREFIX = 'WEFT_PREV_';
export const MARKER_WORKSPACE = 'WEFT_WORKSPACE';
export const MARKER_NAME = 'WEFT_NAME';

/** Said in hints wherever a reserved name is refused. */
export const RESERVED_NAMES_TEXT = `${MARKER_WORKSPACE}, ${MARKER_NAME}, ${RECORD_VAR} and ${PREV_PREFIX}* belong to weft`;

export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const ENV_NAME_RULE = 'names start with an ASCII letter or `_` and hold only ASCII letters, digits and `_`';

/** A name that is safe to write into shell code unquoted. */
export function isVarName(name: string): boolean {
  return ENV_NAME.test(name);
}

/** One of weft's own bookkeeping variables: setting it from a manifest would corrupt a revert. */
export function isReservedName(name: string): boolean {
  return name === RECORD_VAR || name === MARKER_WORKSPACE || name === MARKER_NAME || name.startsWith(PREV_PREFIX);
}

/**
 * Why no environment can carry `value`, or undefined when one can. A NUL ends a C string:
 * execve cannot pass it, Node refuses to spawn with it, and a rendered file holding one is
 * cut short by every shell that sources it.
 */
export function badEnvValue(value: string): string | undefined {
  return value.includes('\0') ? 'holds a NUL byte, which no environment variable can carry' : undefined;
}
