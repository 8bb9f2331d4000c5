import type { EnvModel } from './model.js';
import { dataRenderers, isShellName, shellRenderers, type OutputFormat, type ShellName } from './renderers.js';

/**
 * The model as text. Shell formats are code computed against the shell's own current
 * values when it runs (so `base` is not used); data formats hold final values computed
 * against `base`.
 */
export function render(model: EnvModel, format: OutputFormat, base: NodeJS.ProcessEnv = process.env): string {
  if (isShellName(format)) return shellRenderers[format].apply(model);
  const data = dataRenderers[format];
  if (!data) throw new Error(`unknown output format ${String(format)}`);
  return data(model, base);
}

/** Shell code that undoes `render(model, shell)`: see revertEnv for the rules. */
export function renderUnset(model: EnvModel, shell: ShellName): string {
  const r = shellRenderers[shell];
  if (!r) throw new Error(`unknown shell ${String(shell)}`);
  return r.unset(model);
}
