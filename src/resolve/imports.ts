// `import:` — manifests found inside fetched sources join the plan, recursively.
//
// Decisions (see README "Imports"):
// - An imported source is placed like one of ours: `path` relative to the importing
//   workspace's root; the imported manifest's own `root`, `name` and workspace `env` are
//   ignored (they describe its own workspace, not ours). Its sources' `env` paths stay
//   relative to their own checkouts, its `local:` paths to the imported file.
// - Our mirrors (and the user's) apply to imported URLs; the lock records canonical URLs
//   and `defined` = the imported file, like any source.
// - The importing file wins, whole source, over anything it imports (directly or deeper).
//   Two imports defining one name differently is an error naming both files, unless the
//   top-level manifest defines the name. An import of a source that did not join the plan
//   (left out by `only`) is not followed.
// - `requires` of imported manifests are merged under ours (ours win). Their includes
//   must stay inside their own source; a symlinked manifest may not lead out of it.
// - While planning, a file missing from a checkout only makes the import pending (the
//   checkout may be at an older revision); once `weft up` converged the source, it is an
//   error (WEFT_E_IMPORT_MISSING, exit 2). A `local:` source is converged by definition.
// - Imported files join `plan.files`, so trust and the env stamp cover them: a changed
//   upstream manifest needs `weft trust` again before its setup steps run.
import { realpathSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { formatLoc, isWeftError } from '../errors.js';
import type { Located } from './locate.js';
import type { ImportSpec, Plan, Source } from '../types.js';
import { checkListDirs, checkScalarConflicts } from './env-spec.js';
import { envOrder } from './order.js';
import { findDirClashes } from './paths.js';
import { Problems } from './problems.js';

export { locateOnDisk, type Located } from './locate.js';

export interface ImportDeps {
  /** Where the manifest `file` of a fetched source is. */
  locate(source: Source, file: string): Located;
  /** Resolves one imported manifest (and its includes) into a plan, imports not followed. */
  resolve(file: string): Plan;
  /**
   * Sources whose checkout is known to be at the planned revision (just converged by
   * `weft up`): a missing file there is an error. Elsewhere the checkout may be at an older
   * revision that `weft up` is about to move, so the import only waits.
   */
  converged?: ReadonlySet<string>;
}

function inside(file: string, dir: string): boolean {
  try {
    const base = realpathSync(dir);
    const real = realpathSync(file);
    return real === base || real.startsWith(base + sep);
  } catch {
    return false;
  }
}

interface Item {
  spec: ImportSpec;
  /** Manifest files from the top-level one down to the one holding `spec`. */
  chain: string[];
}

interface Held {
  source: Source;
  /** The manifest (top-level or imported) whose sources it was taken from. */
  by: string;
}

export function resolveImports(plan: Plan, deps: ImportDeps): Plan {
  const files = [...plan.files];
  const problems = new Problems((f) => {
    const i = files.indexOf(f);
    return i < 0 ? files.length : i;
  });
  const held = new Map<string, Held>(plan.sources.map((s) => [s.name, { source: s, by: plan.manifest }]));
  const added: Source[] = [];
  const followed: ImportSpec[] = [...plan.imports];
  const pending: ImportSpec[] = [];
  const requires = { ...plan.requires };
  const queue: Item[] = plan.imports.map((spec) => ({ spec, chain: [plan.manifest] }));
  const show = (f: string) => relative(plan.workspace, f) || f;

  for (let item = queue.shift(); item; item = queue.shift()) {
    const { spec, chain } = item;
    const from = held.get(spec.from);
    if (!from) continue;
    const where = deps.locate(from.source, spec.file);
    // A local source is used in place and never moved: what it lacks now it lacks after weft up.
    const settled = from.source.type === 'local' || deps.converged?.has(spec.from);
    if (where.state === 'pending' || (where.state === 'missing' && !settled)) {
      pending.push(spec);
      continue;
    }
    if (where.state !== 'found') {
      problems.add({
        code: where.state === 'missing' ? 'WEFT_E_IMPORT_MISSING' : 'WEFT_E_IMPORT_PATH',
        message:
          where.state === 'missing'
            ? `import from \`${spec.from}\`: ${show(where.file)} does not exist in that source's checkout`
            : `import from \`${spec.from}\`: ${show(where.file)} leads outside that source's checkout`,
        loc: spec.loc,
        hint: where.state === 'missing' ? `check \`file\` (default weft.yaml) against the files of \`${spec.from}\`, or remove the import` : 'import a regular file inside the source',
      });
      continue;
    }
    if (chain.includes(where.file)) {
      const cycle = [...chain.slice(chain.indexOf(where.file)), where.file].map(show).join(' → ');
      problems.add({ code: 'WEFT_E_IMPORT_CYCLE', message: `import cycle: ${cycle}`, loc: spec.loc, hint: 'remove one of these imports; a manifest cannot import itself, directly or through others' });
      continue;
    }
    let sub: Plan;
    try {
      sub = deps.resolve(where.file);
    } catch (err) {
      if (!isWeftError(err) || err.code === 'WEFT_E_VERSION') throw err;
      for (const e of err.all()) problems.add({ code: e.code, message: e.message, loc: e.loc, hint: e.hint });
      continue;
    }
    // A fetched manifest is someone else's data: its includes stay inside its own source.
    const outside = sub.files.filter((f) => !inside(f, from.source.dir));
    if (outside.length) {
      problems.add({ code: 'WEFT_E_IMPORT_PATH', message: `import from \`${spec.from}\`: ${show(where.file)} includes ${outside.map(show).join(', ')}, outside that source's checkout`, loc: spec.loc, hint: `an imported manifest may include only files inside \`${spec.from}\`` });
      continue;
    }
    for (const f of sub.files) if (!files.includes(f)) files.push(f);
    for (const [tool, range] of Object.entries(sub.requires)) if (!(tool in requires)) requires[tool] = range;
    const names = new Set(sub.sources.map((s) => s.name));
    for (const o of spec.only ?? []) {
      if (!names.has(o)) problems.add({ code: 'WEFT_E_IMPORT_ONLY', message: `\`only\` of the import from \`${spec.from}\` names \`${o}\`, which ${show(where.file)} does not define`, loc: spec.loc, hint: `sources there: ${[...names].join(', ') || '(none)'}` });
    }
    for (const s of sub.sources) {
      if (spec.only && !spec.only.includes(s.name)) continue;
      const prev = held.get(s.name);
      if (!prev) {
        held.set(s.name, { source: s, by: where.file });
        added.push(s);
        continue;
      }
      // The importer (or a manifest above it) wins; so does the top-level manifest.
      if (chain.includes(prev.by) || prev.by === plan.manifest || sameSource(prev.source, s)) continue;
      problems.add({
        code: 'WEFT_E_IMPORT_CONFLICT',
        message: `source \`${s.name}\` is defined differently by two imports: ${formatLoc(prev.source.loc, plan.workspace)} and ${formatLoc(s.loc, plan.workspace)}`,
        loc: s.loc,
        hint: `define \`${s.name}\` in ${show(plan.manifest)} to choose, or leave it out of one import with \`only\``,
      });
    }
    for (const nested of sub.imports) {
      followed.push(nested);
      queue.push({ spec: nested, chain: [...chain, where.file] });
    }
  }

  if (added.length === 0) {
    problems.throwIfAny();
    return pending.length ? { ...plan, imports: followed, pendingImports: pending } : { ...plan, imports: followed };
  }
  const sources = [...plan.sources, ...added];
  checkCombined(plan, sources, added, problems);
  const order = envOrder(sources.map((s) => ({ name: s.name, depends: s.depends, loc: s.fieldLocs?.depends ?? s.loc })));
  if (!order.ok) problems.add({ code: 'WEFT_E_CYCLE', message: `sources depend on each other in a cycle: ${order.cycle.join(' → ')}`, loc: order.loc, hint: 'remove one of these `depends` entries' });
  problems.throwIfAny();
  return {
    ...plan,
    sources,
    envOrder: order.ok ? order.order : plan.envOrder,
    requires,
    imports: followed,
    files,
    ...(pending.length && { pendingImports: pending }),
  };
}

/** What makes two definitions the same source: kind, where from, which revision, where to. */
function sameSource(a: Source, b: Source): boolean {
  return identity(a) === identity(b);
}

function identity(s: Source): string {
  const common = [s.type, s.dir];
  switch (s.type) {
    case 'local':
      return JSON.stringify(common);
    case 'archive':
      return JSON.stringify([...common, s.canonicalUrl ?? s.url, s.integrity, s.strip]);
    default:
      return JSON.stringify([...common, s.canonicalUrl ?? s.url, s.ref ?? null]);
  }
}

function checkCombined(plan: Plan, sources: Source[], added: Source[], problems: Problems): void {
  const names = new Set(sources.map((s) => s.name));
  for (const s of added) {
    for (const d of s.depends) {
      if (names.has(d)) continue;
      problems.add({
        code: 'WEFT_E_IMPORT_DEPENDS',
        message: `imported source \`${s.name}\` depends on \`${d}\`, which the plan does not hold`,
        loc: s.fieldLocs?.depends ?? s.loc,
        hint: `add \`${d}\` to the import's \`only\` list, or define it in ${relative(plan.workspace, plan.manifest)}`,
      });
    }
  }
  const clashes = findDirClashes(sources.map((s) => ({ name: s.name, dir: s.dir, local: s.type === 'local', loc: s.loc })));
  const fresh = new Set(added.map((s) => s.name));
  for (const c of clashes) {
    if (!fresh.has(c.a.name) && !fresh.has(c.b.name)) continue;
    problems.add({
      code: 'WEFT_E_IMPORT_PATH_CONFLICT',
      message: c.same
        ? `sources \`${c.a.name}\` and \`${c.b.name}\` both use the directory ${c.b.dir}`
        : `source \`${c.b.name}\` (${c.b.dir}) would be checked out inside source \`${c.a.name}\` (${c.a.dir})`,
      loc: c.b.loc,
      hint: `give each its own directory: set \`path\` of one of them in ${relative(plan.workspace, plan.manifest)}, or leave one out with \`only\``,
    });
  }
  checkScalarConflicts(plan.env, sources, problems, (loc) => formatLoc(loc, plan.workspace));
  checkListDirs(plan.workspace, [], added, problems);
}
