// Renderers for shells where weft computes the final values itself (pwsh, nu, tcsh, elvish,
// cmd) and prints plain assignments. Each of them lacks something the in-shell list logic
// of posix.ts needs: tcsh has no way to keep a multi-line `if` through `eval "\`…\`"`, nu
// cannot evaluate code it reads at run time (its `source` is parse-time), cmd has no loops
// that survive arbitrary bytes. Computing in Node is exact as long as the base is the
// environment of the shell that evaluates the output — which it is for `eval`, since weft
// runs as that shell's child. So these renderings are never pre-rendered into .weft/env.
import { applyEnv, revertEnv } from '../apply.js';
import type { EnvModel } from '../model.js';
import { MARKER_NAME, MARKER_WORKSPACE, RECORD_VAR, isReplaced, prevName } from '../record.js';

/** One variable to set (a string) or remove (null). */
export interface Assignment {
  name: string;
  value: string | null;
}

export interface StaticShellRenderer {
  apply(model: EnvModel, base: NodeJS.ProcessEnv): string;
  unset(model: EnvModel, base: NodeJS.ProcessEnv): string;
}

/** Every variable weft may touch for `model`: saved previous values first, then the values, then the bookkeeping. */
function touched(model: EnvModel): string[] {
  const names: string[] = [];
  for (const v of model.vars) {
    if (isReplaced(v)) names.push(prevName(v.name));
    names.push(v.name);
  }
  names.push(RECORD_VAR, MARKER_WORKSPACE, MARKER_NAME);
  return [...new Set(names)];
}

/**
 * The assignments that turn `base` into `after`: a set for every touched variable that has a
 * value after (so the output says the whole truth and sourcing it twice is the same as once),
 * a removal for every one that `base` has and `after` has not.
 */
function diff(names: string[], base: NodeJS.ProcessEnv, after: NodeJS.ProcessEnv): Assignment[] {
  const out: Assignment[] = [];
  for (const name of names) {
    const value = after[name];
    if (value !== undefined) out.push({ name, value });
    else if (base[name] !== undefined) out.push({ name, value: null });
  }
  return out;
}

export function applyAssignments(model: EnvModel, base: NodeJS.ProcessEnv): Assignment[] {
  return diff(touched(model), base, applyEnv(model, base));
}

export function unsetAssignments(model: EnvModel, base: NodeJS.ProcessEnv): Assignment[] {
  return diff(touched(model), base, revertEnv(model, base));
}

export type Emit = (assignments: Assignment[], model: EnvModel, what: 'environment' | 'revert') => string;

export function staticRenderer(emit: Emit): StaticShellRenderer {
  return {
    apply: (model, base) => emit(applyAssignments(model, base), model, 'environment'),
    unset: (model, base) => emit(unsetAssignments(model, base), model, 'revert'),
  };
}

/** A header comment line that user data (name, workspace) cannot end early. */
export function headerText(model: EnvModel, what: string): string {
  const oneLine = (s: string) => s.replace(/[\r\n]/g, ' ');
  return `weft: ${what} for ${oneLine(model.name)} (${oneLine(model.workspace)}); generated, computed against the environment weft ran in`;
}
