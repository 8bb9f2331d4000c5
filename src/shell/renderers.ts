// The registry: one renderer per shell and per data format, each in its own file.
// Adding a shell is one file plus one line here (and its name in renderers/names.ts).
import { bashRenderer } from './renderers/bash.js';
import { cmdRenderer } from './renderers/cmd.js';
import { renderDotenv } from './renderers/dotenv.js';
import { elvishRenderer } from './renderers/elvish.js';
import { fishRenderer } from './renderers/fish.js';
import { renderGithub } from './renderers/github.js';
import { renderJson } from './renderers/json.js';
import { type DynamicShellName, DYNAMIC_SHELLS, type ShellName, type StaticShellName, ALL_SHELLS, isShellName } from './renderers/names.cjs';
import { nuRenderer } from './renderers/nu.js';
import { pwshRenderer } from './renderers/pwsh.js';
import { shRenderer } from './renderers/sh.js';
import type { StaticShellRenderer } from './renderers/static.js';
import { tcshRenderer } from './renderers/tcsh.js';
import type { DataRenderer, ShellRenderer } from './renderers/types.js';
import { zshRenderer } from './renderers/zsh.js';

export type { ShellName, DynamicShellName, StaticShellName };
export { ALL_SHELLS, isShellName };
export { isDynamicShell } from './renderers/names.cjs';
export type DataFormat = 'json' | 'dotenv' | 'github';
export type OutputFormat = ShellName | DataFormat;

/** Shells rendered once and pre-written to .weft/env (see names.ts). */
export const shellRenderers: Readonly<Record<DynamicShellName, ShellRenderer>> = {
  bash: bashRenderer,
  zsh: zshRenderer,
  sh: shRenderer,
  fish: fishRenderer,
};

/** Shells rendered against the environment weft runs in (see renderers/static.ts). */
export const staticShellRenderers: Readonly<Record<StaticShellName, StaticShellRenderer>> = {
  pwsh: pwshRenderer,
  nu: nuRenderer,
  tcsh: tcshRenderer,
  elvish: elvishRenderer,
  cmd: cmdRenderer,
};

export const dataRenderers: Readonly<Record<DataFormat, DataRenderer>> = {
  json: renderJson,
  dotenv: renderDotenv,
  github: renderGithub,
};

/** The shells whose activation .weft/env/<shell> holds: the dynamic ones. */
export const SHELLS: readonly DynamicShellName[] = DYNAMIC_SHELLS;
export const OUTPUT_FORMATS = [...ALL_SHELLS, ...Object.keys(dataRenderers)] as OutputFormat[];

export function isOutputFormat(s: string): s is OutputFormat {
  return isShellName(s) || Object.hasOwn(dataRenderers, s);
}
