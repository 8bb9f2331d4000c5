import type { EnvModel } from '../model.js';

/** Shell code that activates a model, and code that takes it back out. */
export interface ShellRenderer {
  apply(model: EnvModel): string;
  unset(model: EnvModel): string;
}

/** A data format: the final values computed against a base environment. */
export type DataRenderer = (model: EnvModel, base: NodeJS.ProcessEnv) => string;
