// The environment model: what weft does to each variable, with every path absolute and
// in its final order. Plain data, so `.weft/env/env.json` can hold it and the hook (or any
// later weft process) can render or revert it without the Plan.
import { isAbsolute, resolve } from 'node:path';
import { WeftError } from '../errors.js';
import { withActiveDirs } from '../source-template.js';
import type { Checkout, EnvEntry, Plan } from '../types.js';
import { badEnvValue, ENV_NAME_RULE, isReservedName, isVarName, RESERVED_NAMES_TEXT } from '../env-names.js';

/**
 * One variable's change.
 * - `list`: weft's entries go first (`prepend`) and last (`append`); whatever else the
 *   variable holds stays in between. `base`, when present, replaces the inherited value
 *   first (a `set` on the same variable; `''` for an `unset`), so the result is static.
 * - `set` / `unset`: a scalar weft replaces; the previous value is saved for revert.
 */
export type VarChange =
  | { type: 'list'; name: string; prepend: string[]; append: string[]; base?: string }
  | { type: 'set'; name: string; value: string }
  | { type: 'unset'; name: string };

export interface EnvModel {
  /** Absolute workspace directory; exported as WEFT_WORKSPACE. */
  workspace: string;
  /** Workspace display name; exported as WEFT_NAME. */
  name: string;
  /** In order of first mention: workspace entries, then sources in envOrder. */
  vars: VarChange[];
}

interface Acc {
  name: string;
  prepend: string[];
  append: string[];
  seen: Set<string>;
  scalar?: { type: 'set'; value: string } | { type: 'unset' };
}

/**
 * Each source's directory in use, as `checkouts` say: the main checkout, or the branch
 * checkout `weft switch` made active. A source's relative paths and every
 * `${source.NAME}` (withActiveDirs) name this directory.
 */
export function activeDirs(checkouts: readonly Checkout[]): Map<string, string> {
  return new Map(checkouts.map((c) => [c.name, c.dir]));
}

/** The env model for a plan whose sources live where `checkouts` say. */
export function buildEnvModel(plan: Plan, checkouts: Checkout[]): EnvModel {
  const dirs = activeDirs(checkouts);
  const byName = new Map(plan.sources.map((s) => [s.name, s]));
  const order = [...plan.envOrder, ...plan.sources.map((s) => s.name).filter((n) => !plan.envOrder.includes(n))];

  // Relative paths resolve against the entry's container, not its `origin` string: a
  // source may legitimately be called "workspace".
  const groups: { entries: EnvEntry[]; dir: string }[] = [{ entries: plan.env, dir: plan.workspace }];
  for (const name of order) {
    const source = byName.get(name);
    if (!source) throw new Error(`plan.envOrder names ${name}, which is not among plan.sources`);
    groups.push({ entries: source.env, dir: dirs.get(name) ?? source.dir });
  }

  const accs = new Map<string, Acc>();
  for (const { entries, dir } of groups) {
    for (const entry of entries) {
      checkName(entry);
      let acc = accs.get(entry.name);
      if (!acc) {
        acc = { name: entry.name, prepend: [], append: [], seen: new Set() };
        accs.set(entry.name, acc);
      }
      if (entry.op === 'set' || entry.op === 'unset') {
        // First wins: the workspace comes first and wins; resolve already refuses two
        // sources that disagree.
        acc.scalar ??= entry.op === 'set' ? { type: 'set', value: withActiveDirs(entry.value, entry.template, dirs) } : { type: 'unset' };
        continue;
      }
      const into = entry.op === 'prepend' ? acc.prepend : acc.append;
      for (const [i, p] of entry.paths.entries()) {
        const abs = resolvePath(dir, withActiveDirs(p, entry.templates?.[i] ?? undefined, dirs), entry);
        if (acc.seen.has(abs)) continue;
        acc.seen.add(abs);
        into.push(abs);
      }
    }
  }

  const vars: VarChange[] = [];
  for (const acc of accs.values()) {
    if (acc.prepend.length > 0 || acc.append.length > 0) {
      const change: VarChange = { type: 'list', name: acc.name, prepend: acc.prepend, append: acc.append };
      if (acc.scalar) change.base = acc.scalar.type === 'set' ? acc.scalar.value : '';
      vars.push(change);
    } else if (acc.scalar) {
      vars.push({ ...acc.scalar, name: acc.name });
    }
  }
  return { workspace: plan.workspace, name: plan.name, vars };
}

function checkName(entry: EnvEntry): void {
  if (!isVarName(entry.name)) {
    throw new WeftError('WEFT_E_ENV_NAME', `env variable name ${JSON.stringify(entry.name)} is not a valid shell variable name`, {
      loc: entry.loc,
      hint: ENV_NAME_RULE,
    });
  }
  if (isReservedName(entry.name)) {
    throw new WeftError('WEFT_E_ENV_RESERVED', `env variable ${entry.name} is weft's own bookkeeping and cannot be set by a manifest`, {
      loc: entry.loc,
      hint: `rename the variable; ${RESERVED_NAMES_TEXT}`,
    });
  }
  const values = entry.op === 'set' ? [entry.value] : entry.op === 'unset' ? [] : entry.paths;
  for (const v of values) {
    const why = badEnvValue(v);
    if (why) throw new WeftError('WEFT_E_ENV_VALUE', `the value of ${entry.name} ${why}`, { loc: entry.loc, hint: 'remove the NUL (written `\\0` in a double-quoted YAML string)' });
  }
}

function resolvePath(dir: string, p: string, entry: EnvEntry): string {
  const abs = isAbsolute(p) ? resolve(p) : resolve(dir, p);
  // ':' separates list entries in every shell and in weft's revert record; a path holding
  // one would silently become two.
  if (abs.includes(':')) {
    throw new WeftError('WEFT_E_ENV_PATH', `path ${JSON.stringify(abs)} for ${entry.name} contains ':', which separates list entries`, {
      loc: entry.loc,
      hint: 'move or rename the directory so its path has no ":"',
    });
  }
  return abs;
}
