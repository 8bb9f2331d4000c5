// `weft prune`: removes the checkouts (and branch checkouts) of sources that are no longer
// in the manifest — only those weft recorded making in .weft/state.json, only inside the
// workspace, never one still in use by a listed source, and never one holding work.
// Branch checkouts of sources still listed are not touched.
import { lstatSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { writeFileAtomic } from '../atomic.cjs';
import type { Defaults } from '../defaults.js';
import type { Plan, SourceType } from '../types.js';
import { createGit } from './git/run.js';
import { ignoredFiles, reasonsToKeep } from './prune-inspect.js';
import { readState, statePath } from './state.js';
import { BRANCHES_DIR } from './switch/layout.js';
import { lockWorkspace } from './workspace-lock.js';

export interface PruneItem {
  name: string;
  type: SourceType;
  dir: string;
  /** Set for a branch checkout made by weft switch. */
  branch?: string;
  /** A checkout at the source's old place (its `path:` changed since). */
  former?: boolean;
  /** remove: deleted (or would be, with dryRun); keep: left with `why`; gone: already absent. */
  action: 'remove' | 'keep' | 'gone';
  why: string[];
  /** For a removal: what git ignores there (local config, build output), which goes with it. */
  ignored?: string[];
}

export interface PruneContext {
  env: NodeJS.ProcessEnv;
  cacheDir: string;
  defaults: Defaults;
}

const inside = (dir: string, parent: string): boolean => {
  const rel = relative(parent, dir);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

const exists = (dir: string): boolean => {
  try {
    lstatSync(dir);
    return true;
  } catch {
    return false;
  }
};

export async function prune(plan: Plan, opts: { dryRun: boolean }, ctx: PruneContext): Promise<PruneItem[]> {
  const lock = await lockWorkspace(plan.workspace, { waitMs: ctx.defaults.workspaceLockWaitMs, staleMs: ctx.defaults.staleLockMs });
  try {
    const state = readState(plan.workspace);
    const listed = new Set(plan.sources.map((s) => s.name));
    const inUse = plan.sources.map((s) => s.dir);
    const keepCtx = { git: createGit({ cacheDir: ctx.cacheDir, env: ctx.env, offline: true, defaults: ctx.defaults }), env: ctx.env, cacheDir: ctx.cacheDir, timeoutMs: ctx.defaults.gitQuickTimeoutMs };
    const items: PruneItem[] = [];
    const forget: string[] = [];
    for (const [name, entry] of Object.entries(state.sources).sort(([a], [b]) => a.localeCompare(b))) {
      if (!entry || typeof entry.dir !== 'string') continue;
      const formerDirs = (Array.isArray(entry.leftDirs) ? entry.leftDirs : []).filter((l) => typeof l?.dir === 'string');
      if (listed.has(name) && formerDirs.length === 0) continue;
      const mine: PruneItem[] = [];
      const check = async (dir: string, branch: string | undefined, ours: string[], type = entry.type, former = false): Promise<PruneItem> => {
        const item: PruneItem = { name, type, dir, ...(branch ? { branch } : {}), ...(former ? { former } : {}), action: 'remove', why: [] };
        if (!exists(dir)) return { ...item, action: 'gone' };
        const outside = !inside(dir, plan.root) && !inside(dir, plan.workspace);
        const used = inUse.some((d) => d === dir || inside(d, dir) || inside(dir, d));
        if (outside) item.why.push('it is outside the workspace');
        if (used) item.why.push('a source still in the manifest uses that directory');
        if (!outside && !used) item.why.push(...(await reasonsToKeep(type, dir, keepCtx, ours)));
        if (item.why.length) item.action = 'keep';
        else {
          const ignored = await ignoredFiles(type, dir, keepCtx);
          if (ignored.length) item.ignored = ignored;
        }
        return item;
      };
      // Where the source used to be: a checkout of its own (no branch checkouts were made there).
      for (const l of formerDirs) mine.push(await check(l.dir, undefined, [], l.type, true));
      if (!listed.has(name)) {
        const branches = Object.entries(entry.branchDirs ?? {}).filter(([, d]) => typeof d === 'string');
        const start = mine.length;
        for (const [branch, dir] of branches) mine.push(await check(dir, branch, [entry.dir]));
        const main = await check(entry.dir, undefined, branches.map(([, d]) => d));
        const keptBranch = mine.slice(start).find((m) => m.action === 'keep');
        if (keptBranch && main.action === 'remove') {
          main.action = 'keep';
          main.why.push(`its branch checkout ${keptBranch.dir} is kept and needs it`);
        }
        mine.push(main);
      }
      items.push(...mine);
      if (opts.dryRun) continue;
      for (const it of mine) if (it.action === 'remove') removeDir(it.dir, plan.root);
      if (!listed.has(name) && mine.every((m) => m.action !== 'keep')) forget.push(name);
    }
    if (!opts.dryRun && items.some((i) => i.action !== 'keep')) writeRemaining(plan.workspace, forget, items);
    return items;
  } finally {
    lock.release();
  }
}

function removeDir(dir: string, root: string): void {
  rmSync(dir, { recursive: true, force: true });
  // Empty parents under .weft-branches/ go too, so the tree does not fill with husks.
  const top = join(root, BRANCHES_DIR);
  for (let d = dirname(dir); inside(d, top) || d === top; d = dirname(d)) {
    try {
      if (readdirSync(d).length) break;
      rmdirSync(d);
    } catch {
      break;
    }
  }
}

/** Drops forgotten sources from state.json and removed branch checkouts from the kept ones. */
function writeRemaining(workspace: string, forget: string[], items: PruneItem[]): void {
  const state = readState(workspace);
  for (const name of forget) delete state.sources[name];
  for (const it of items) {
    const entry = state.sources[it.name];
    if (!entry || it.action === 'keep') continue;
    if (it.former && Array.isArray(entry.leftDirs)) {
      const rest = entry.leftDirs.filter((l) => l.dir !== it.dir);
      entry.leftDirs = rest.length ? rest : undefined;
      continue;
    }
    if (!it.branch || !entry.branchDirs) continue;
    const { [it.branch]: _gone, ...rest } = entry.branchDirs;
    entry.branchDirs = rest;
  }
  writeFileAtomic(statePath(workspace), JSON.stringify(state, null, 2) + '\n');
}
