// The whole resolve step: files → merged raw manifest → interpolated, validated Plan.
import { basename, dirname, relative, resolve } from 'node:path';
import { WeftError, formatLoc } from '../errors.js';
import type { ImportSpec, Plan, Source } from '../types.js';
import { buildSource, placeSource, type MirrorRule, type Placement, type SourceContext } from './build-source.js';
import { readUserConfig } from './config.js';
import { locateOnDisk, resolveImports } from './imports.js';
import { buildEnv, checkListDirs, checkScalarConflicts } from './env-spec.js';
import { loadLayers } from './includes.js';
import { LIST_VARIABLES, RESERVED_VAR_NAMES } from './keys.js';
import { findManifest, type ReadRecorder } from './load.js';
import { envOrder } from './order.js';
import { findDirClashes, type PlacedDir } from './paths.js';
import { Problems } from './problems.js';
import type { RawManifest } from './raw.js';
import { VAR_NAME } from './read-manifest.js';
import { SOURCE_NAME } from './read-source.js';
import { checkRange, REQUIRES_HINT, TOOL_NAME } from './requires.js';
import { suggestHint } from './suggest.js';
import { createInterpolator, type Interpolator, type Override } from './vars.js';

export interface ResolveOptions {
  /** Where weft was run (after -C). */
  cwd: string;
  /** --manifest FILE (relative to cwd). */
  manifest?: string;
  /** --var name=value; wins over WEFT_VAR_name in `env`, which wins over the manifest's vars. */
  vars?: Record<string, string>;
  /** For `${env.NAME}` and WEFT_VAR_*; default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Read weft.local.yaml beside the manifest (default true). */
  local?: boolean;
  /** Sources just converged by `weft up`: an import of a file missing in them is an error (see imports.ts). */
  converged?: ReadonlySet<string>;
  /** Told the text of every file read (plan-cache.ts keys on them). */
  onRead?: ReadRecorder;
}

/**
 * The synchronous core of loadPlan (load-plan.ts) (everything it reads is small, local files): the
 * manifest, its includes, weft.local.yaml, the user's config (mirrors), and the manifests
 * imported from sources whose checkouts already exist — so every command sees the plan
 * `weft up` converged; imports not fetched yet are listed in `pendingImports`.
 */
export function resolvePlan(opts: ResolveOptions): Plan {
  const manifest = findManifest(opts.cwd, opts.manifest);
  const workspace = dirname(manifest);
  const env = opts.env ?? process.env;
  const overrides = collectOverrides(opts.vars, env);
  const userMirrors = readUserConfig(env, opts.onRead).mirrors;
  const base = { workspace, env, overrides, userMirrors, onRead: opts.onRead };
  const plan = resolveFile(manifest, { ...base, local: opts.local !== false });
  if (plan.imports.length === 0) return plan;
  const planMirrors = Object.entries(plan.mirrors);
  return resolveImports(plan, {
    locate: locateOnDisk,
    converged: opts.converged,
    resolve: (file) => resolveFile(file, { ...base, local: false, imported: { root: plan.root, mirrors: planMirrors, by: plan.manifest } }),
  });
}

export interface FileOptions {
  workspace: string;
  env: NodeJS.ProcessEnv;
  overrides: Map<string, Override>;
  local: boolean;
  userMirrors: readonly MirrorRule[];
  onRead?: ReadRecorder;
  /**
   * Set for a manifest imported from a source: its checkouts go under the importing
   * workspace's root (its own \`root\` is ignored) and the importer's mirrors win over its own.
   */
  imported?: { root: string; mirrors: readonly (readonly [string, string])[]; by: string };
}

/** One manifest file (with its includes) → Plan, imports not followed. */
export function resolveFile(manifest: string, o: FileOptions): Plan {
  const { workspace, env, overrides } = o;
  const files: string[] = [];
  const problems = new Problems((f) => {
    const i = files.indexOf(f);
    return i < 0 ? files.length : i;
  });
  const raw = loadLayers(manifest, o.local, { problems, files, listVars: LIST_VARIABLES, workspace, onRead: o.onRead });

  const placements = new Map<string, Placement>();
  const sourceNames = [...raw.sources.keys()];
  const interp: Interpolator = createInterpolator({
    vars: raw.vars,
    overrides,
    env,
    workspace,
    sourceNames,
    problems,
    sourceDir: (name) => dirOf(name),
  });
  const dirOf = (name: string): string | undefined => {
    const src = raw.sources.get(name);
    if (!src) return undefined;
    return interp.memo(`source:${name}`, `source.${name}`, src.loc, () => {
      const p = placeSource(src, ctx);
      if (p) placements.set(name, p);
      return p?.dir;
    });
  };
  const rootOf = (): string | undefined =>
    o.imported
      ? o.imported.root
      : interp.memo('root', 'root', raw.root?.loc ?? { file: manifest, line: 1, col: 1 }, () => {
          const v = raw.root ? interp.expand(raw.root) : '.';
          return v === undefined ? undefined : resolve(workspace, v);
        });
  const own = expandMirrors(raw, interp);
  const mirrors = o.imported ? overlayMirrors(own, o.imported.mirrors, o.imported.by) : own;
  const ctx: SourceContext = { interp, problems, root: rootOf, mirrors, userMirrors: o.userMirrors, dirOf, sourceNames };
  const root = rootOf();

  const sources: Source[] = [];
  for (const src of raw.sources.values()) {
    dirOf(src.name);
    const built = buildSource(src, placements.get(src.name), ctx);
    if (built) sources.push(built);
  }
  checkDepends(raw, problems);
  const order = orderSources(raw, problems);
  checkPlacement(raw, placements, workspace, problems);
  // An imported manifest's workspace-level env is its own workspace's business, not ours.
  const workspaceEnv = o.imported ? [] : buildEnv(raw.env.values(), 'workspace', interp, problems);
  checkScalarConflicts(workspaceEnv, sources, problems, (loc) => formatLoc(loc, workspace));
  checkListDirs(workspace, workspaceEnv, sources, problems);
  const imports = buildImports(raw, interp, problems);
  const requires = buildRequires(raw, interp, problems);
  const name = raw.name ? interp.expand(raw.name) : basename(workspace);
  interp.checkUnusedVars();

  problems.throwIfAny();
  return {
    name: name ?? basename(workspace),
    manifest,
    workspace,
    root: root ?? workspace,
    sources,
    envOrder: order,
    env: workspaceEnv,
    requires,
    mirrors: Object.fromEntries(mirrors.map(([p, r]) => [p, r])),
    imports,
    files,
  };
}

function isReservedVar(name: string): boolean {
  return (RESERVED_VAR_NAMES as readonly string[]).includes(name);
}

function collectOverrides(vars: Record<string, string> | undefined, env: NodeJS.ProcessEnv): Map<string, Override> {
  const out = new Map<string, Override>();
  const bad: string[] = [];
  for (const [k, v] of Object.entries(env)) {
    if (!k.startsWith('WEFT_VAR_') || v === undefined) continue;
    const name = k.slice('WEFT_VAR_'.length);
    if (VAR_NAME.test(name) && !isReservedVar(name)) out.set(name, { value: v, from: k });
  }
  for (const [k, v] of Object.entries(vars ?? {})) {
    if (!VAR_NAME.test(k)) bad.push(k);
    out.set(k, { value: v, from: '--var' });
  }
  const reserved = Object.keys(vars ?? {}).filter(isReservedVar);
  if (reserved.length > 0) {
    throw new WeftError('WEFT_E_USAGE', `--var ${reserved.map((r) => `\`${r}\``).join(', ')}: reserved for \`\${env.NAME}\`, \`\${source.NAME}\` and \`\${workspace}\`, so no variable has that name`, {
      hint: 'pick another name (in the manifest\'s `vars:` too)',
    });
  }
  if (bad.length > 0) {
    throw new WeftError('WEFT_E_USAGE', `--var ${bad.map((b) => `\`${b}\``).join(', ')}: not a valid variable name`, {
      hint: 'write --var NAME=VALUE, where NAME starts with a letter or `_` and holds letters, digits, `_` and `-`',
    });
  }
  return out;
}

/** The importer's mirror rules replace the imported manifest's rules for the same prefix. */
function overlayMirrors(own: MirrorRule[], over: readonly (readonly [string, string])[], file: string): MirrorRule[] {
  const out = own.filter(([p]) => !over.some(([q]) => q === p));
  for (const [p, r] of over) out.push([p, r, { file, line: 1, col: 1 }]);
  return out;
}

function expandMirrors(raw: RawManifest, interp: Interpolator): MirrorRule[] {
  const out: MirrorRule[] = [];
  for (const [prefix, leaf] of raw.mirrors) {
    const v = interp.expand(leaf);
    if (v !== undefined) out.push([prefix, v, leaf.loc]);
  }
  return out;
}

function checkDepends(raw: RawManifest, problems: Problems): void {
  const names = [...raw.sources.keys()];
  for (const src of raw.sources.values()) {
    for (const dep of src.fields.depends?.value ?? []) {
      if (raw.sources.has(dep.value)) continue;
      problems.add({
        code: 'WEFT_E_MANIFEST_UNKNOWN_SOURCE',
        message: `source \`${src.name}\` depends on \`${dep.value}\`, which is not a source in this manifest`,
        loc: dep.loc,
        // Never itself: a source depending on itself is a cycle, not a fix.
        hint: suggestHint(dep.value, names.filter((n) => n !== src.name), 'source names'),
      });
    }
  }
}

function orderSources(raw: RawManifest, problems: Problems): string[] {
  const items = [...raw.sources.values()].map((s) => ({
    name: s.name,
    depends: (s.fields.depends?.value ?? []).map((d) => d.value),
    loc: s.fields.depends?.loc ?? s.loc,
  }));
  const r = envOrder(items);
  if (r.ok) return r.order;
  problems.add({
    code: 'WEFT_E_CYCLE',
    message: `sources depend on each other in a cycle: ${r.cycle.join(' → ')}`,
    loc: r.loc,
    hint: 'remove one of these `depends` entries',
  });
  return [];
}

function checkPlacement(raw: RawManifest, placements: Map<string, Placement>, workspace: string, problems: Problems): void {
  const dirs: PlacedDir[] = [];
  for (const [name, p] of placements) {
    const src = raw.sources.get(name)!;
    const local = src.fields.local !== undefined;
    const loc = (local ? src.fields.local!.loc : src.fields.path?.loc) ?? src.loc;
    dirs.push({ name, dir: p.dir, local, loc });
    const rel = relative(workspace, p.dir).split(/[\\/]/)[0];
    if (!local && (rel === '.weft' || rel === '.git')) {
      problems.add({
        code: 'WEFT_E_MANIFEST_PATH',
        message: `source \`${name}\` would be checked out at ${p.dir}, inside the workspace's ${rel} directory`,
        loc,
        hint: `choose another \`path\`; ${rel} belongs to ${rel === '.weft' ? 'weft' : 'git'}`,
      });
    }
  }
  for (const c of findDirClashes(dirs)) {
    problems.add({
      code: 'WEFT_E_MANIFEST_PATH_CONFLICT',
      message: c.same
        ? `sources \`${c.a.name}\` and \`${c.b.name}\` both use the directory ${c.b.dir}`
        : `source \`${c.b.name}\` (${c.b.dir}) would be checked out inside source \`${c.a.name}\` (${c.a.dir})`,
      loc: c.b.loc,
      hint: `give each source its own directory: change \`path\` of \`${c.b.name}\` or \`${c.a.name}\` (defined at ${formatLoc(c.a.loc, workspace)})`,
    });
  }
}

function buildImports(raw: RawManifest, interp: Interpolator, problems: Problems): ImportSpec[] {
  const names = [...raw.sources.keys()];
  const out: ImportSpec[] = [];
  for (const imp of raw.imports) {
    const from = interp.expand(imp.from);
    const file = imp.file ? interp.expand(imp.file) : 'weft.yaml';
    const only = imp.only?.map((o) => interp.expand(o));
    if (from === undefined || file === undefined || only?.some((o) => o === undefined)) continue;
    if (!raw.sources.has(from)) {
      problems.add({
        code: 'WEFT_E_MANIFEST_UNKNOWN_SOURCE',
        message: `\`import\` names source \`${from}\`, which is not a source in this manifest`,
        loc: imp.from.loc,
        hint: suggestHint(from, names, 'source names'),
      });
      continue;
    }
    const fileCheck = file === '' || file.startsWith('/') || file.split(/[\\/]/).includes('..');
    if (fileCheck) {
      problems.add({
        code: 'WEFT_E_MANIFEST_PATH',
        message: `\`file\` \`${file}\` of the import from \`${from}\` must be a relative path inside that source`,
        loc: imp.file!.loc,
        hint: 'write it relative to the source\'s checkout, without `..`, e.g. `file: weft.yaml`',
      });
      continue;
    }
    for (const [i, o] of (only ?? []).entries()) {
      if (!SOURCE_NAME.test(o!)) {
        problems.add({ code: 'WEFT_E_MANIFEST_SOURCE_NAME', message: `\`only\` entry \`${o}\` is not a valid source name`, loc: imp.only![i]!.loc, hint: 'list the names of sources to take from the imported manifest' });
      }
    }
    out.push({ from, file, ...(only && { only: only as string[] }), loc: imp.loc });
  }
  return out;
}

function buildRequires(raw: RawManifest, interp: Interpolator, problems: Problems): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [tool, leaf] of raw.requires) {
    if (!TOOL_NAME.test(tool)) {
      problems.add({ code: 'WEFT_E_MANIFEST_REQUIRES', message: `\`${tool}\` in \`requires\` is not a program name`, loc: leaf.keyLoc ?? leaf.loc, hint: 'use the name of the program, e.g. `git`' });
      continue;
    }
    const range = interp.expand(leaf);
    if (range === undefined) continue;
    const why = checkRange(range.trim());
    if (why) {
      problems.add({ code: 'WEFT_E_MANIFEST_REQUIRES', message: `version range \`${range}\` for \`${tool}\` is not valid: ${why}`, loc: leaf.loc, hint: REQUIRES_HINT });
      continue;
    }
    out[tool] = range.trim();
  }
  return out;
}
