// `weft env --json`: the final value of every variable weft changes, null for unset.
import { changedValues } from '../apply.js';
import type { DataRenderer } from './types.js';

export const renderJson: DataRenderer = (model, base) => {
  const vars: Record<string, string | null> = {};
  for (const [name, value] of changedValues(model, base)) vars[name] = value;
  return JSON.stringify({ workspace: model.workspace, name: model.name, vars }, null, 2) + '\n';
};
