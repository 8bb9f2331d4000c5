// The shell names weft renders for, with no imports: `weft env` checks a --shell value on its
// fast path before anything else is loaded.

/**
 * Shells whose rendering is code that computes list variables from the shell's own current
 * values, so the file can be rendered once at `weft up` (.weft/env/<shell>) and sourced
 * anywhere later.
 */
export const DYNAMIC_SHELLS = ['bash', 'zsh', 'sh', 'fish'] as const;

/**
 * Shells whose rendering holds final values computed against the environment weft itself
 * was started with, i.e. the shell that evaluates the output: exact for `eval`, but never
 * pre-rendered (see static.ts for why each one is rendered this way).
 */
export const STATIC_SHELLS = ['pwsh', 'nu', 'tcsh', 'elvish', 'cmd'] as const;

export type DynamicShellName = (typeof DYNAMIC_SHELLS)[number];
export type StaticShellName = (typeof STATIC_SHELLS)[number];
export type ShellName = DynamicShellName | StaticShellName;

export const ALL_SHELLS: readonly ShellName[] = [...DYNAMIC_SHELLS, ...STATIC_SHELLS];

export function isShellName(s: string): s is ShellName {
  return (ALL_SHELLS as readonly string[]).includes(s);
}

export function isDynamicShell(s: string): s is DynamicShellName {
  return (DYNAMIC_SHELLS as readonly string[]).includes(s);
}
