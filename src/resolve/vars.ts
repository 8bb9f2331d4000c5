// `${…}` expansion: `${name}` (vars), `${env.NAME}`, `${source.NAME}` (a source's
// absolute directory), `${workspace}`; `$${` is a literal `${`. Values are computed on
// demand and memoised, so vars may use other vars and sources' directories, and any
// cycle among them is found and named. Where a value used `${source.NAME}`, even through
// a var, `expandTemplate` says so (see SourceTemplate), for the values that must follow
// `weft switch`.
import { templateText } from '../source-template.js';
import type { Loc, SourceTemplate } from '../types.js';
import type { Problems } from './problems.js';
import { suggestHint } from './suggest.js';
import { locAt, type Leaf } from './yaml-nodes.js';

export interface Override {
  value: string;
  /** `--var` or `WEFT_VAR_name`, for messages. */
  from: string;
}

export interface InterpolationDeps {
  vars: Map<string, Leaf<string>>;
  /** --var and WEFT_VAR_* values: taken literally, never expanded. */
  overrides: Map<string, Override>;
  env: NodeJS.ProcessEnv;
  workspace: string;
  sourceNames: readonly string[];
  /** A source's absolute directory, memoised under `source:NAME`; undefined when it cannot be computed (already reported). */
  sourceDir: (name: string) => string | undefined;
  problems: Problems;
}

export interface Interpolator {
  /** The expanded string, or undefined after reporting why it cannot be expanded. */
  expand(leaf: Leaf<string>): string | undefined;
  /** `expand`'s string as parts: each `${source.NAME}` in it (also through vars) kept apart. */
  expandTemplate(leaf: Leaf<string>): SourceTemplate | undefined;
  /** Computes `key` once, naming the cycle if computing it needs itself. */
  memo<T>(key: string, label: string, loc: Loc, compute: () => T | undefined): T | undefined;
  /**
   * Reports what no expansion has met in `vars:` nothing uses yet: a cycle among them, or a
   * `${name}` naming no var. Mistakes all the same, which the next `${…}` someone writes would hit.
   */
  checkUnusedVars(): void;
}

export function createInterpolator(deps: InterpolationDeps): Interpolator {
  const done = new Map<string, unknown>();
  const sourceSet = new Set(deps.sourceNames);
  const active: { key: string; label: string }[] = [];

  const memo = <T>(key: string, label: string, loc: Loc, compute: () => T | undefined): T | undefined => {
    if (done.has(key)) return done.get(key) as T | undefined;
    const at = active.findIndex((a) => a.key === key);
    if (at >= 0) {
      const chain = [...active.slice(at).map((a) => a.label), label].join(' → ');
      deps.problems.add({
        code: 'WEFT_E_VARS_CYCLE',
        message: `values refer to each other in a cycle: ${chain}`,
        loc,
        hint: 'break the cycle: one of these must be written without referring back to the others',
      });
      return undefined;
    }
    active.push({ key, label });
    let value: T | undefined;
    try {
      value = compute();
    } finally {
      active.pop();
    }
    done.set(key, value);
    return value;
  };

  const lookupVar = (name: string, leaf: Leaf<string>, loc: Loc): SourceTemplate | undefined => {
    const o = deps.overrides.get(name);
    if (o) return [o.value];
    const def = deps.vars.get(name);
    if (def) return memo(`var:${name}`, name, loc, () => expandTemplate(def));
    const known = [...new Set([...deps.vars.keys(), ...deps.overrides.keys(), 'workspace'])];
    deps.problems.add({
      code: 'WEFT_E_VARS_UNDEFINED',
      message: `\`\${${name}}\` in ${what(leaf)} refers to a variable that is not defined`,
      loc,
      hint: `${orElse(suggestHint(name, known, 'variables'))}define it under \`vars:\` or pass --var ${name}=VALUE`,
    });
    return undefined;
  };

  const resolveExpr = (expr: string, leaf: Leaf<string>, loc: Loc): SourceTemplate | undefined => {
    if (expr === 'workspace') return [deps.workspace];
    const dot = expr.indexOf('.');
    if (dot < 0) {
      // Reserved, so never a var (--var and vars: refuse them): the name after the dot is missing.
      if (expr === 'env' || expr === 'source') {
        return syntax(`\`\${${expr}}\` in ${what(leaf)} names no ${expr === 'env' ? 'environment variable' : 'source'}`, loc, `write \`\${${expr}.NAME}\``);
      }
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(expr)) return lookupVar(expr, leaf, loc);
      return syntax(`\`\${${expr}}\` in ${what(leaf)} is not a variable reference`, loc);
    }
    const ns = expr.slice(0, dot);
    const name = expr.slice(dot + 1);
    if (ns === 'env') {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return syntax(`\`\${${expr}}\` in ${what(leaf)} does not name an environment variable`, loc);
      const v = deps.env[name];
      if (v !== undefined) return [v];
      deps.problems.add({
        code: 'WEFT_E_VARS_ENV_UNSET',
        message: `\`\${env.${name}}\` in ${what(leaf)} needs the environment variable ${name}, which is not set`,
        loc,
        hint: `export ${name} or define it in vars`,
      });
      return undefined;
    }
    if (ns === 'source') {
      // sourceDir memoises under `source:NAME` itself (and finds real cycles there): a memo
      // here too would take a source defined further down for one that needs itself.
      if (sourceSet.has(name)) {
        const dir = deps.sourceDir(name);
        return dir === undefined ? undefined : [{ source: name, dir }];
      }
      deps.problems.add({
        code: 'WEFT_E_VARS_UNDEFINED',
        message: `\`\${source.${name}}\` in ${what(leaf)} refers to a source that is not defined`,
        loc,
        hint: suggestHint(name, deps.sourceNames, 'source names'),
      });
      return undefined;
    }
    return syntax(
      `\`\${${expr}}\` in ${what(leaf)} uses an unknown prefix \`${ns}.\``,
      loc,
      `write \`\${NAME}\`, \`\${env.NAME}\`, \`\${source.NAME}\` or \`\${workspace}\`${/^(env|source)$/i.test(ns) ? '' : `; ${suggestHint(ns, ['env', 'source'], 'prefixes')}`}`,
    );
  };

  const syntax = (message: string, loc: Loc, hint?: string): undefined => {
    deps.problems.add({
      code: 'WEFT_E_VARS_SYNTAX',
      message,
      loc,
      hint: hint ?? 'write `${NAME}`, `${env.NAME}`, `${source.NAME}` or `${workspace}`; `$${` is a literal `${`',
    });
    return undefined;
  };

  const expandTemplate = (leaf: Leaf<string>): SourceTemplate | undefined => {
    const s = leaf.value;
    if (!s.includes('${')) return [s];
    const out: SourceTemplate = [];
    let text = '';
    let ok = true;
    let i = 0;
    while (i < s.length) {
      const at = s.indexOf('${', i);
      if (at < 0) {
        text += s.slice(i);
        break;
      }
      if (at > 0 && s[at - 1] === '$') {
        text += s.slice(i, at - 1) + '${';
        i = at + 2;
        continue;
      }
      text += s.slice(i, at);
      const end = s.indexOf('}', at + 2);
      const loc = subLoc(leaf, at);
      if (end < 0) {
        syntax(`\`\${\` in ${what(leaf)} is never closed with \`}\``, loc, 'close it with `}`, or write `$${` for a literal `${`');
        return undefined;
      }
      const expr = s.slice(at + 2, end).trim();
      const v = expr === '' ? syntax(`empty \`\${}\` in ${what(leaf)}`, loc) : resolveExpr(expr, leaf, loc);
      if (v === undefined) ok = false;
      else {
        for (const part of v) {
          if (typeof part === 'string') text += part;
          else {
            if (text) out.push(text);
            text = '';
            out.push(part);
          }
        }
      }
      i = end + 1;
    }
    if (text || out.length === 0) out.push(text);
    return ok ? out : undefined;
  };

  const expand = (leaf: Leaf<string>): string | undefined => {
    const t = expandTemplate(leaf);
    return t && templateText(t);
  };

  const checkUnusedVars = (): void => {
    const defined = [...deps.vars.keys()].filter((n) => !deps.overrides.has(n));
    const edges = new Map(defined.map((n) => [n, varRefs(deps.vars.get(n)!.value).filter((r) => deps.vars.has(r) && !deps.overrides.has(r))]));
    const reaches = (from: string, to: string): boolean => {
      const seen = new Set<string>();
      const todo = [...edges.get(from)!];
      while (todo.length) {
        const n = todo.pop()!;
        if (n === to) return true;
        if (!seen.has(n)) {
          seen.add(n);
          todo.push(...edges.get(n)!);
        }
      }
      return false;
    };
    // Expanding a var on a cycle names the cycle through memo, as a use of it would; the
    // memo also keeps a cycle already met (or met here from another of its vars) to one report.
    for (const name of defined) {
      if (reaches(name, name)) {
        const def = deps.vars.get(name)!;
        memo(`var:${name}`, name, def.loc, () => expandTemplate(def));
      }
    }
    // A var nothing uses was never expanded: a `${name}` in it that names no var is the same
    // mistake a use would report (its `${env.…}` are left alone: unset is fine until used).
    for (const name of defined) {
      if (done.has(`var:${name}`)) continue;
      const def = deps.vars.get(name)!;
      for (const ref of varRefAt(def.value)) {
        if (!deps.vars.has(ref.name) && !deps.overrides.has(ref.name)) lookupVar(ref.name, def, subLoc(def, ref.at));
      }
    }
  };

  return { expand, expandTemplate, memo, checkUnusedVars };
}

/** The plain `${name}` references in a value (not `${env.…}`, `${source.…}`, `${workspace}`, or a literal `$${`). */
function varRefs(s: string): string[] {
  return varRefAt(s).map((r) => r.name);
}

/** varRefs, each with the offset of its `${` in the value. */
function varRefAt(s: string): { name: string; at: number }[] {
  const out: { name: string; at: number }[] = [];
  for (let at = s.indexOf('${'); at >= 0; at = s.indexOf('${', at + 2)) {
    if (at > 0 && s[at - 1] === '$') continue;
    const end = s.indexOf('}', at + 2);
    if (end < 0) break;
    const expr = s.slice(at + 2, end).trim();
    if (expr !== 'workspace' && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(expr)) out.push({ name: expr, at });
  }
  return out;
}

function orElse(hint: string): string {
  return hint.endsWith('?') ? `${hint} Otherwise ` : `${hint}; or `;
}

function what(leaf: Leaf<string>): string {
  return `\`${leaf.value.length > 60 ? leaf.value.slice(0, 57) + '…' : leaf.value}\``;
}

/**
 * Where the `${` at `index` of the value sits in the file: the same occurrence of `${` in
 * the scalar's source text (block and quoted scalars differ from the value in layout, not
 * in their `${` sequences). Falls back to the value's start.
 */
function subLoc(leaf: Leaf<string>, index: number): Loc {
  const range = leaf.node?.range;
  if (!range) return leaf.loc;
  let n = 0;
  for (let i = leaf.value.indexOf('${'); i >= 0 && i < index; i = leaf.value.indexOf('${', i + 1)) n++;
  const src = leaf.ctx.text.slice(range[0], range[1]);
  let pos = src.indexOf('${');
  for (let k = 0; k < n && pos >= 0; k++) pos = src.indexOf('${', pos + 1);
  return pos >= 0 ? locAt(leaf.ctx, range[0] + pos) : leaf.loc;
}
