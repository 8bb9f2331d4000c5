// Turns located env operations into EnvEntry values (interpolated), and finds sources that
// disagree about a scalar variable.
import { isAbsolute, resolve } from 'node:path';
import { badEnvValue } from '../env-names.js';
import { sourceTemplate, templateText } from '../source-template.js';
import type { EnvEntry, Loc, Source, SourceTemplate } from '../types.js';
import type { Problems } from './problems.js';
import type { RawEnvSpec } from './raw.js';
import type { Interpolator } from './vars.js';
import type { Leaf } from './yaml-nodes.js';

export function buildEnv(specs: Iterable<RawEnvSpec>, origin: string, interp: Interpolator, problems: Problems): EnvEntry[] {
  const out: EnvEntry[] = [];
  for (const spec of specs) {
    for (const op of spec.ops) {
      const base = { name: spec.name, origin, loc: op.loc };
      if (op.op === 'unset') {
        out.push({ op: 'unset', ...base });
      } else if (op.op === 'set') {
        const parts = interp.expandTemplate(op.value);
        const template = parts && sourceTemplate(parts);
        const value = parts && templateText(parts);
        if (value !== undefined && valueOk(value, op.value, spec.name, origin, problems)) out.push({ op: 'set', value, ...(template ? { template } : {}), ...base });
      } else {
        const paths: string[] = [];
        const templates: (SourceTemplate | null)[] = [];
        let ok = true;
        for (const leaf of op.paths) {
          const parts = interp.expandTemplate(leaf);
          const p = parts && templateText(parts);
          if (p === undefined || !valueOk(p, leaf, spec.name, origin, problems)) {
            ok = false;
          } else if (p === '' || p.includes(':')) {
            ok = false;
            problems.add({
              code: 'WEFT_E_ENV_PATH',
              message:
                p === ''
                  ? `an empty path in ${spec.name} (${where(origin)})`
                  : `\`${p}\` in ${spec.name} (${where(origin)}) contains \`:\`, the list separator`,
              loc: leaf.loc,
              hint: p === '' ? 'remove the empty entry' : 'give one path per list item: `[a, b]` instead of `a:b`',
            });
          } else {
            paths.push(p);
            templates.push(sourceTemplate(parts!) ?? null);
          }
        }
        if (ok) out.push({ op: op.op, paths, ...(templates.some((t) => t !== null) ? { templates } : {}), ...base });
      }
    }
  }
  return out;
}

/**
 * A list entry's directory is known once the plan is: a source placed at `v1:2`, or a
 * workspace under a directory with a ':' in its name, makes every PATH entry there two.
 * Said here, before anything is fetched, not when the env files are written after it.
 */
export function checkListDirs(workspace: string, workspaceEnv: readonly EnvEntry[], sources: readonly Source[], problems: Problems): void {
  const check = (entries: readonly EnvEntry[], dir: string, placedAt: Loc | undefined): void => {
    for (const e of entries) {
      if (e.op !== 'prepend' && e.op !== 'append') continue;
      for (const p of e.paths) {
        const abs = isAbsolute(p) ? resolve(p) : resolve(dir, p);
        if (!abs.includes(':') || p.includes(':')) continue;
        problems.add({
          code: 'WEFT_E_ENV_PATH',
          message: `${e.name} would get ${JSON.stringify(abs)}, whose ':' separates list entries: the directory ${JSON.stringify(dir)} has one in its name`,
          loc: placedAt ?? e.loc,
          hint: placedAt ? 'choose a `path` without ":" for this source' : 'move the workspace to a directory whose path has no ":"',
        });
      }
    }
  };
  check(workspaceEnv, workspace, undefined);
  for (const s of sources) check(s.env, s.dir, s.type === 'local' ? (s.fieldLocs?.['local'] ?? s.loc) : (s.fieldLocs?.['path'] ?? s.loc));
}

function valueOk(value: string, leaf: Leaf<string>, name: string, origin: string, problems: Problems): boolean {
  const why = badEnvValue(value);
  if (!why) return true;
  problems.add({
    code: 'WEFT_E_ENV_VALUE',
    message: `the value of ${name} (${where(origin)}) ${why}${value === leaf.value ? '' : `, once \`${leaf.value.replace(/\0/g, '\\0')}\` is expanded`}`,
    loc: leaf.loc,
    hint: 'remove the NUL (written `\\0` in a double-quoted YAML string) from the value, or from the var it comes from',
  });
  return false;
}

function where(origin: string): string {
  return origin === 'workspace' ? 'workspace env' : `env of source \`${origin}\``;
}

/**
 * Two sources that set one variable to different values (or one sets, one unsets) cannot
 * both win; the workspace settles it by setting or unsetting the variable itself.
 */
export function checkScalarConflicts(workspace: readonly EnvEntry[], sources: readonly Source[], problems: Problems, show: (loc: Loc) => string): void {
  const settled = new Set(workspace.filter((e) => e.op === 'set' || e.op === 'unset').map((e) => e.name));
  const first = new Map<string, EnvEntry>();
  for (const s of sources) {
    for (const e of s.env) {
      if ((e.op !== 'set' && e.op !== 'unset') || settled.has(e.name)) continue;
      const prev = first.get(e.name);
      if (!prev) {
        first.set(e.name, e);
        continue;
      }
      if (prev.origin === e.origin || sameEffect(prev, e)) continue;
      problems.add({
        code: 'WEFT_E_ENV_CONFLICT',
        message: `sources disagree about ${e.name}: \`${prev.origin}\` (${show(prev.loc)}) ${effect(prev)}, \`${e.origin}\` (${show(e.loc)}) ${effect(e)}; only one can win`,
        loc: e.loc,
        hint: `set it once in the workspace \`env:\` (e.g. \`${e.name}: …\` or \`{unset: true}\`), which wins over every source`,
      });
    }
  }
}

function sameEffect(a: EnvEntry, b: EnvEntry): boolean {
  if (a.op === 'unset' && b.op === 'unset') return true;
  return a.op === 'set' && b.op === 'set' && a.value === b.value;
}

function effect(e: EnvEntry): string {
  return e.op === 'set' ? `sets it to \`${e.value}\`` : 'unsets it';
}
