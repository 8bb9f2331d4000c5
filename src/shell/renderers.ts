// The registry: one renderer per shell and per data format, each in its own file.
// Adding a shell (pwsh, nu, tcsh, elvish, cmd) is one file plus one line here.
import { bashRenderer } from './renderers/bash.js';
import { renderDotenv } from './renderers/dotenv.js';
import { fishRenderer } from './renderers/fish.js';
import { renderGithub } from './renderers/github.js';
import { renderJson } from './renderers/json.js';
import { shRenderer } from './renderers/sh.js';
import type { DataRenderer, ShellRenderer } from './renderers/types.js';
import { zshRenderer } from './renderers/zsh.js';

export type ShellName = 'bash' | 'zsh' | 'sh' | 'fish';
export type DataFormat = 'json' | 'dotenv' | 'github';
export type OutputFormat = ShellName | DataFormat;

export const shellRenderers: Readonly<Record<ShellName, ShellRenderer>> = {
  bash: bashRenderer,
  zsh: zshRenderer,
  sh: shRenderer,
  fish: fishRenderer,
};

export const dataRenderers: Readonly<Record<DataFormat, DataRenderer>> = {
  json: renderJson,
  dotenv: renderDotenv,
  github: renderGithub,
};

export const SHELLS = Object.keys(shellRenderers) as ShellName[];
export const OUTPUT_FORMATS = [...SHELLS, ...Object.keys(dataRenderers)] as OutputFormat[];

export function isShellName(s: string): s is ShellName {
  return Object.hasOwn(shellRenderers, s);
}

export function isOutputFormat(s: string): s is OutputFormat {
  return isShellName(s) || Object.hasOwn(dataRenderers, s);
}

