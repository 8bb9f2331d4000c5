import { relative } from 'node:path';
import { WeftError } from '../errors.js';
import { redact } from '../redact.js';
import { activeDirs } from '../shell/model.js';
import { withActiveDirs } from '../source-template.js';
import type { EnvEntry, Loc, Plan, Source, SourceTemplate } from '../types.js';
import type { CommandSpec } from './command.js';
import { checkNames, planFor } from './plan.js';

export interface WhyField {
  field: string;
  value: string;
  /** Where the field was written; undefined when weft's default applies. */
  loc?: Loc;
}

/**
 * The entry's value as the environment has it: each `${source.NAME}` naming that source's
 * directory in use (`dirs`: a branch checkout after `weft switch`), as `weft env` does.
 */
function envValue(e: EnvEntry, dirs: ReadonlyMap<string, string>): string {
  const paths = (p: { paths: string[]; templates?: (SourceTemplate | null)[] }) => p.paths.map((path, i) => withActiveDirs(path, p.templates?.[i] ?? undefined, dirs)).join(' ');
  switch (e.op) {
    case 'prepend':
      return paths(e);
    case 'append':
      return `append ${paths(e)}`;
    case 'set':
      return `set ${withActiveDirs(e.value, e.template, dirs)}`;
    case 'unset':
      return 'unset';
  }
}

/** Every field of the source that has a value, with where it came from; `dirs`: each source's directory in use. */
export function whyFields(s: Source, dirs: ReadonlyMap<string, string> = new Map()): WhyField[] {
  const locs = s.fieldLocs ?? {};
  const out: WhyField[] = [];
  const add = (field: string, value: string | undefined, always = false) => {
    if (value === undefined || (!always && value === '' && !locs[field])) return;
    out.push({ field, value, loc: locs[field] });
  };
  if (s.type === 'local') add('local', s.dir, true);
  else {
    const mirrored = s.canonicalUrl !== undefined && s.canonicalUrl !== s.url;
    add(s.type, redact(mirrored ? `${s.canonicalUrl} (via mirror ${s.url})` : s.url), true);
  }
  if (s.type === 'git' || s.type === 'svn' || s.type === 'hg') add('ref', s.ref ?? (locs['ref'] ? '' : '(remote default)'));
  if (s.type === 'git') {
    if (s.depth !== undefined) add('depth', String(s.depth));
    if (s.submodules || locs['submodules']) add('submodules', String(s.submodules));
  }
  if (s.type === 'archive') {
    add('integrity', s.integrity);
    if (s.strip || locs['strip']) add('strip', String(s.strip));
    if (s.format !== undefined) add('format', s.format);
  }
  if (s.type !== 'local') add('path', s.path, true);
  add('depends', s.depends.join(', '));
  add('groups', s.groups.join(', '));
  for (const e of s.env) out.push({ field: `env.${e.name}`, value: envValue(e, dirs), loc: locs[`env.${e.name}`] ?? e.loc });
  if (s.setup.length) add('setup', s.setup.map((st) => `${st.run} (${st.when})`).join('; '));
  return out;
}

/**
 * A name that is no source but a variable the workspace's environment changes (`weft why
 * PATH`): said as such, with where it is set and which sources' fields `weft why` can show.
 */
function variableNotSource(plan: Plan, name: string): WeftError | undefined {
  if (plan.sources.some((s) => s.name === name)) return undefined;
  const entries = [...plan.env, ...plan.sources.flatMap((s) => s.env)].filter((e) => e.name === name);
  if (entries.length === 0) return undefined;
  const sources = [...new Set(entries.map((e) => e.origin).filter((o) => o !== 'workspace'))];
  const at = entries.map((e) => where(plan, e.loc)).join(', ');
  return new WeftError('WEFT_E_USAGE_SOURCE', `no source named "${name}" in ${plan.manifest}: ${name} is an environment variable the workspace sets (at ${at})`, {
    hint: sources.length ? `weft why shows a source's fields, its env.${name} among them: e.g. weft why ${sources[0]}` : 'weft env prints what the workspace sets; weft why takes a source name',
  });
}

function where(plan: Plan, loc: Loc | undefined): string {
  if (!loc) return '(default)';
  const rel = relative(plan.workspace, loc.file);
  return `${rel || loc.file}:${loc.line}:${loc.col}`;
}

export const command: CommandSpec = {
  name: 'why',
  summary: 'show where each field of a source was set',
  usage: 'why NAME [--json]',
  description: `
Lists each field of the source NAME with its value and the file:line:col that set it —
weft.yaml, an included file, an imported manifest or weft.local.yaml — so an override is
easy to find:

  weft why twisted
  ref   trunk   weft.local.yaml:3:5`,
  options: {},
  positionals: 'names',
  async run(ctx, args) {
    if (args.positionals.length !== 1) {
      throw new WeftError('WEFT_E_USAGE', `weft why takes exactly one source name, got ${args.positionals.length}`, { hint: 'e.g. `weft why twisted`' });
    }
    const plan = await planFor(ctx);
    const variable = variableNotSource(plan, args.positionals[0]!);
    if (variable) throw variable;
    const [name] = checkNames(plan, args.positionals);
    const source = plan.sources.find((s) => s.name === name)!;
    // What `weft switch` made active (state.json): no git, no network.
    const { readCheckouts } = await import('../fetch/index.js');
    const checkouts = await readCheckouts(plan);
    const fields = whyFields(source, activeDirs(checkouts));
    const mine = checkouts.find((c) => c.name === source.name);
    const switched = mine?.switched ? { branch: mine.branch, dir: mine.dir, how: mine.switched } : undefined;
    if (ctx.json) {
      const data = {
        name: source.name,
        type: source.type,
        defined: where(plan, source.loc),
        ...(switched ? { switched } : {}),
        fields: fields.map((f) => ({ field: f.field, value: f.value, from: f.loc ? where(plan, f.loc) : null })),
      };
      ctx.stdout.write(JSON.stringify(data, null, 2) + '\n');
      return 0;
    }
    const w1 = Math.max(...fields.map((f) => f.field.length));
    const w2 = Math.min(40, Math.max(...fields.map((f) => f.value.length)));
    const lines = [`${source.name} (${source.type}, defined at ${where(plan, source.loc)})`];
    // Its paths and every ${source.NAME} below name the directory in use, not the main checkout.
    if (switched?.how === 'worktree') lines.push(`  switched to ${switched.branch ?? '?'} at ${relative(plan.workspace, switched.dir) || switched.dir} (weft switch ${source.name} to go back)`);
    else if (switched) lines.push(`  switched to ${switched.branch ?? '?'} in place (weft switch ${source.name} to go back)`);
    for (const f of fields) lines.push(`  ${f.field.padEnd(w1)}  ${f.value.padEnd(w2)}  ${where(plan, f.loc)}`);
    ctx.stdout.write(lines.join('\n') + '\n');
    return 0;
  },
};
