import type { EnvModel } from './model.js';
import { dataRenderers, isDynamicShell, isShellName, shellRenderers, staticShellRenderers, type OutputFormat, type ShellName } from './renderers.js';

/**
 * The model as text. Dynamic shell formats are code computed against the shell's own
 * current values when it runs (so `base` is not used); static shells (pwsh, nu, tcsh,
 * elvish, cmd) and data formats hold final values computed against `base`, which must be
 * the environment of whatever evaluates the output.
 */
export function render(model: EnvModel, format: OutputFormat, base: NodeJS.ProcessEnv = process.env): string {
  if (isDynamicShell(format)) return shellRenderers[format].apply(model);
  if (isShellName(format)) return staticShellRenderers[format].apply(model, base);
  const data = dataRenderers[format];
  if (!data) throw new Error(`unknown output format ${String(format)}`);
  return data(model, base);
}

/** Shell code that undoes `render(model, shell)`: see revertEnv for the rules. */
export function renderUnset(model: EnvModel, shell: ShellName, base: NodeJS.ProcessEnv = process.env): string {
  if (isDynamicShell(shell)) return shellRenderers[shell].unset(model);
  const r = staticShellRenderers[shell];
  if (!r) throw new Error(`unknown shell ${String(shell)}`);
  return r.unset(model, base);
}
