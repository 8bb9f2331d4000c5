// The environment as a process sees it after activation (weft run, weft shell, env --json)
// and after a revert. Renderers for shells do the same in shell code.
import { composeList, removeEntries } from './lists.js';
import type { EnvModel, VarChange } from './model.js';
import { MARKER_NAME, MARKER_WORKSPACE, RECORD_VAR, isReplaced, prevName, recordHasReplaced, recordOf } from './record.js';

/** The value weft gives one variable over `current`; null means unset. */
export function valueOf(v: VarChange, current: string | undefined): string | null {
  switch (v.type) {
    case 'set':
      return v.value;
    case 'unset':
      return null;
    case 'list':
      return composeList(v.name, v.base ?? current, v.prepend, v.append);
  }
}

/** The variables weft changes (its markers included) and their final values over `base`. */
export function changedValues(model: EnvModel, base: NodeJS.ProcessEnv): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const v of model.vars) out.set(v.name, valueOf(v, base[v.name]));
  out.set(MARKER_WORKSPACE, model.workspace);
  out.set(MARKER_NAME, model.name);
  return out;
}

/** `base` with the model applied, bookkeeping for a later revert included. */
export function applyEnv(model: EnvModel, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const v of model.vars) {
    // Already applied: the saved value is the one from before weft, keep it.
    if (!isReplaced(v) || recordHasReplaced(base[RECORD_VAR], v.name)) continue;
    const prev = base[v.name];
    if (prev === undefined) delete env[prevName(v.name)];
    else env[prevName(v.name)] = prev;
  }
  for (const [name, value] of changedValues(model, base)) {
    if (value === null) delete env[name];
    else env[name] = value;
  }
  env[RECORD_VAR] = recordOf(model, base);
  return env;
}

/**
 * `current` with the model taken back out: weft's list entries removed (other entries,
 * including ones the user added since, stay), replaced variables restored when the record
 * says weft replaced them, markers and bookkeeping dropped.
 */
export function revertEnv(model: EnvModel, current: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...current };
  const record = current[RECORD_VAR];
  for (const v of model.vars) {
    if (isReplaced(v)) {
      if (!recordHasReplaced(record, v.name)) continue;
      const prev = current[prevName(v.name)];
      if (prev === undefined) delete env[v.name];
      else env[v.name] = prev;
      delete env[prevName(v.name)];
    } else if (v.type === 'list') {
      const rest = removeEntries(v.name, current[v.name], [...v.prepend, ...v.append]);
      if (rest === undefined) delete env[v.name];
      else env[v.name] = rest;
    }
  }
  delete env[RECORD_VAR];
  delete env[MARKER_WORKSPACE];
  delete env[MARKER_NAME];
  return env;
}
