// WEFT_ENV_ADDED: what weft did to the environment, kept in the environment itself so a
// later revert (the hook leaving a workspace, `weft env --unset`) removes only weft's
// entries and restores what weft replaced, even in a subshell or after the manifest moved on.
//
// Format: elements joined by ':' (weft's paths never contain ':', and are absolute, so an
// element starting with '/' is always a path and anything else is a marker):
//   +NAME  a list variable; the paths that follow are the entries weft put in it (not
//          those it found there already, which stay when it leaves)
//   =NAME  a variable weft replaced (set, unset, or a list on a `set` base); its previous
//          value is in WEFT_PREV_NAME, and WEFT_PREV_NAME is absent if it was unset
//   -NAME  NAME (either kind, marked before its own element) was set in the shell but not
//          exported: leaving sets it back unexported. Only bash, zsh and fish can tell (see
//          renderers/posix.ts); a process environment holds exported variables only, so
//          TypeScript never adds one, and keeps one already there when it applies again.
// The shells only ever test for `:=NAME:`, `:+NAME:` and `:-NAME:` in it; TypeScript parses
// the rest.
import { isVarName, MARKER_NAME, MARKER_WORKSPACE, PREV_PREFIX, RECORD_VAR } from '../env-names.js';
import { splitList } from './lists.js';
import type { EnvModel, VarChange } from './model.js';

export { MARKER_NAME, MARKER_WORKSPACE, PREV_PREFIX, RECORD_VAR, isReservedName, isVarName } from '../env-names.js';

/** True when weft replaces the whole value, so a revert restores the saved previous one. */
export function isReplaced(v: VarChange): boolean {
  return v.type !== 'list' || v.base !== undefined;
}

export function prevName(name: string): string {
  return PREV_PREFIX + name;
}

/**
 * The record for `model` applied over `base`. A list entry `base` already had is the user's,
 * not weft's: it is left out, so leaving keeps it. One the record in `base` already lists
 * (applied before, and now applied again) stays weft's.
 */
export function recordOf(model: EnvModel, base: NodeJS.ProcessEnv): string {
  const before = modelFromRecord(base);
  const parts: string[] = [];
  for (const v of model.vars) {
    if (recordHasUnexported(base[RECORD_VAR], v.name)) parts.push(`-${v.name}`);
    if (isReplaced(v)) parts.push(`=${v.name}`);
    else if (v.type === 'list') {
      const had = new Set(splitList(base[v.name]));
      const ours = new Set(before?.vars.flatMap((r) => (r.type === 'list' && r.name === v.name ? r.prepend : [])));
      parts.push(`+${v.name}`, ...[...v.prepend, ...v.append].filter((p) => !had.has(p) || ours.has(p)));
    }
  }
  return parts.join(':');
}

export function recordHasReplaced(record: string | undefined, name: string): boolean {
  return `:${record ?? ''}:`.includes(`:=${name}:`);
}

/** True when the record says NAME was set but not exported before weft changed it. */
export function recordHasUnexported(record: string | undefined, name: string): boolean {
  return `:${record ?? ''}:`.includes(`:-${name}:`);
}

/**
 * The model a record describes, for reverting what was applied when the model that did it
 * is gone. Replaced variables come back as `unset` changes: a revert treats every replaced
 * variable alike.
 */
export function modelFromRecord(env: NodeJS.ProcessEnv): EnvModel | undefined {
  const record = env[RECORD_VAR];
  if (record === undefined) return undefined;
  const vars: VarChange[] = [];
  let list: { type: 'list'; name: string; prepend: string[]; append: string[] } | undefined;
  for (const el of record.split(':')) {
    if (el.startsWith('/')) {
      list?.prepend.push(el);
    } else if (!isVarName(el.slice(1))) {
      // The environment is input too: a name that is not one is dropped, never rendered.
      list = undefined;
    } else if (el.startsWith('+')) {
      list = { type: 'list', name: el.slice(1), prepend: [], append: [] };
      vars.push(list);
    } else if (el.startsWith('=')) {
      list = undefined;
      vars.push({ type: 'unset', name: el.slice(1) });
    } else {
      // `-NAME` (how a shell restores it, not what to revert), or a marker of a later weft.
      list = undefined;
    }
  }
  return { workspace: env[MARKER_WORKSPACE] ?? '', name: env[MARKER_NAME] ?? '', vars };
}
