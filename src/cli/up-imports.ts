// `weft up`: check `requires:`, fetch the plan, read the manifests the fetched checkouts hold,
// fetch the sources they add, and again, until no import brings anything new.
import { WeftError } from '../errors.js';
import { join, relative } from 'node:path';
import { applyLock, loadPlan, describeProblems, lockStaleness, type Lock } from '../resolve/quick.js';
import type { Checkout, Plan } from '../types.js';
import type { CommandContext } from './command.js';

export interface ImportRun {
  /** Names selected on the command line (empty: everything); imported sources are appended. */
  only: string[];
  lock: Lock | undefined;
  mode: 'up' | 'update';
  frozen: boolean;
}

/** Rounds of imports before giving up: far deeper than any real stack of manifests. */
const MAX_ROUNDS = 32;

export async function fetchWithImports(
  ctx: CommandContext,
  first: Plan,
  run: ImportRun,
  fetch: (plan: Plan, only: string[] | undefined) => Promise<Checkout[]>,
): Promise<{ plan: Plan; checkouts: Checkout[] }> {
  let plan = first;
  await checkTools(ctx, plan, {});
  let checkouts = await fetch(plan, run.only.length ? run.only : undefined);
  if (plan.imports.length === 0) return { plan, checkouts };
  const selection = [...run.only];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const known = new Set(plan.sources.map((s) => s.name));
    // The manifests just fetched are on disk now: planning again reads them.
    const moved = checkouts.filter((c) => c.status !== 'failed' && c.status !== 'skipped' && (selection.length === 0 || run.only.includes(c.name)));
    const converged = new Set(moved.map((c) => c.name));
    const read = await loadPlan({ cwd: ctx.cwd, manifest: ctx.manifest, vars: ctx.vars, env: ctx.env, converged });
    const fresh = read.sources.filter((s) => !known.has(s.name)).map((s) => s.name);
    const unpinned = new Set(run.mode === 'update' && selection.length === 0 ? read.sources.map((s) => s.name) : selection);
    const next = applyLock(read, run.lock, unpinned).plan;
    if (fresh.length === 0) return { plan: next, checkouts: sameOrder(next, checkouts) };
    if (run.frozen) checkFrozen(next, run.lock, new Set(fresh));
    await checkTools(ctx, next, plan.requires);
    const got = await fetch(next, fresh);
    const byName = new Map(checkouts.map((c) => [c.name, c]));
    for (const c of got) if (fresh.includes(c.name)) byName.set(c.name, c);
    plan = next;
    checkouts = plan.sources.map((s) => byName.get(s.name)!).filter(Boolean);
    if (run.only.length) run.only.push(...fresh);
  }
  throw new WeftError('WEFT_E_IMPORT_DEPTH', `imports kept adding sources after ${MAX_ROUNDS} rounds`, {
    hint: 'check the imported manifests for imports that generate new names each time',
  });
}

/** `requires:` is checked before anything is fetched (and again for what imports add). */
async function checkTools(ctx: CommandContext, plan: Plan, checked: Record<string, string>): Promise<void> {
  const todo = Object.fromEntries(Object.entries(plan.requires).filter(([tool, range]) => checked[tool] !== range));
  if (Object.keys(todo).length === 0) return;
  const { checkRequires, probeTools, requiresError } = await import('../resolve/index.js');
  const { cacheDirFrom } = await import('../fetch/index.js');
  const tools = probeTools(ctx.env, join(cacheDirFrom(ctx.env), 'tools.json'));
  const checks = await checkRequires(todo, tools);
  tools.save();
  const err = requiresError(checks, relative(ctx.cwd, plan.manifest) || plan.manifest);
  if (err) throw err;
}

function sameOrder(plan: Plan, checkouts: Checkout[]): Checkout[] {
  const byName = new Map(checkouts.map((c) => [c.name, c]));
  return plan.sources.map((s) => byName.get(s.name)).filter((c): c is Checkout => c !== undefined);
}

/** --frozen covers what imports bring too: a source the lock does not pin stops the run. */
function checkFrozen(plan: Plan, lock: Lock | undefined, fresh: ReadonlySet<string>): void {
  const problems = lockStaleness(plan, lock).filter((p) => fresh.has(p.name));
  if (problems.length === 0) return;
  throw new WeftError('WEFT_E_FROZEN', `--frozen: imported sources are not in weft.lock: ${problems.map((p) => p.name).join(', ')}\n${describeProblems(problems).trimEnd()}`, {
    hint: 'run "weft lock" (or weft up without --frozen) and commit weft.lock',
  });
}
