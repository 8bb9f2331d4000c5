// Lock ↔ Plan: which entries still describe the manifest, and pinning a plan to them.
// Pure functions: no files, no network.
import { relative } from 'node:path';
import type { Checkout, Plan, Source } from '../types.js';
import type { Lock, LockEntry } from './lock.js';
import { entryFor, lockUrl } from './lock-write.js';

/** The entry still describes the manifest's source: same type, url and requested ref (archives: integrity). */
export function entryMatches(s: Source, e: LockEntry | undefined): e is LockEntry {
  if (!e || e.type !== s.type) return false;
  if (s.type === 'local') return true;
  if (lockUrl(s) !== e.url) return false;
  if (s.type === 'archive') return s.integrity === e.integrity;
  return s.ref === e.ref;
}

function revisionOf(e: LockEntry): string | undefined {
  return e.type === 'git' ? e.commit : e.type === 'archive' ? e.integrity : e.revision;
}

export interface ApplyResult {
  plan: Plan;
  /** Sources whose lock entry is missing or no longer matches the manifest: they are resolved afresh. */
  stale: string[];
}

/** Pins every source whose lock entry still matches; `skip` names sources to leave floating (weft update). */
export function applyLock(plan: Plan, lock: Lock | undefined, skip: ReadonlySet<string> = new Set()): ApplyResult {
  const stale: string[] = [];
  const sources = plan.sources.map((s): Source => {
    if (skip.has(s.name)) return s;
    const e = lock?.sources[s.name];
    if (!entryMatches(s, e)) {
      stale.push(s.name);
      return s;
    }
    if (s.type === 'git' && s.commit === undefined && e.commit) return { ...s, commit: e.commit };
    if ((s.type === 'svn' || s.type === 'hg') && s.revision === undefined && e.revision) return { ...s, revision: e.revision };
    return s;
  });
  return { plan: { ...plan, sources }, stale };
}

/**
 * The sources weft.local.yaml makes personal: those it adds, and those whose lock entry it
 * changes (kind, URL, ref, integrity: a `local:` checkout of one's own, one's own branch, a
 * var pointing at another server). `committed` is the plan without weft.local.yaml. The
 * committed lock describes the committed manifest, so their entries stay as they are.
 */
export function personalSources(plan: Plan, committed: Plan): Set<string> {
  const byName = new Map(committed.sources.map((s) => [s.name, s]));
  const out = new Set<string>();
  for (const s of plan.sources) {
    const c = byName.get(s.name);
    if (!c || JSON.stringify(entryFor(plan, s)) !== JSON.stringify(entryFor(committed, c))) out.add(s.name);
  }
  return out;
}

/**
 * The lock after a run: fresh entries for converged sources, old ones for the rest, none
 * for sources gone from the manifest. `personal` sources (personalSources) keep their old
 * entry, or get none.
 */
export function lockAfter(plan: Plan, old: Lock | undefined, checkouts: Checkout[], selected?: ReadonlySet<string>, personal: ReadonlySet<string> = new Set()): Lock {
  const byName = new Map(checkouts.map((c) => [c.name, c]));
  const sources: Record<string, LockEntry> = {};
  for (const s of plan.sources) {
    const c = byName.get(s.name);
    const prior = old?.sources[s.name];
    const converged = c && !personal.has(s.name) && (!selected || selected.has(s.name)) && c.status !== 'failed' && c.status !== 'skipped';
    const revision = c?.locked ?? c?.revision;
    if (converged && (s.type === 'local' || s.type === 'archive' || revision)) {
      sources[s.name] = entryFor(plan, s, s.type === 'local' || s.type === 'archive' ? undefined : revision);
    } else if (prior) {
      sources[s.name] = prior;
    }
  }
  return { version: old?.version ?? 1, sources: { ...sources, ...heldForImports(plan, old) } };
}

/** Entries of `old` for sources that imports not read yet will define: kept as they are. */
export function heldForImports(plan: Plan, old: Lock | undefined): Record<string, LockEntry> {
  const waiting = pendingImportDirs(plan);
  const out: Record<string, LockEntry> = {};
  if (waiting.length === 0) return out;
  const names = new Set(plan.sources.map((s) => s.name));
  for (const [name, e] of Object.entries(old?.sources ?? {})) if (!names.has(name) && awaitsImport(waiting, e)) out[name] = e;
  return out;
}

/** Workspace-relative directories (with a trailing `/`) of sources whose imports are not read yet. */
function pendingImportDirs(plan: Plan): string[] {
  const out: string[] = [];
  for (const i of plan.pendingImports ?? []) {
    const s = plan.sources.find((x) => x.name === i.from);
    if (s) out.push((relative(plan.workspace, s.dir) || '.') + '/');
  }
  return out;
}

/**
 * A lock entry defined in a manifest inside a source whose import is still pending is not
 * "removed": the plan just cannot see it until `weft up` fetches that source.
 */
function awaitsImport(dirs: string[], e: LockEntry): boolean {
  return e.defined !== undefined && dirs.some((d) => e.defined!.startsWith(d));
}

export interface LockProblem {
  name: string;
  why: 'missing' | 'stale' | 'unpinned' | 'removed';
  /** For 'stale': what differs, e.g. `ref: locked main, manifest dev`. */
  detail?: string;
}

/**
 * Whether weft.lock is stale, and for which sources: the one judgement `weft lock --check`
 * and `weft up --frozen` (and bundle, doctor) share. `plan` is the committed manifest's
 * (weft.local.yaml is personal, the lock is not). Only what an entry pins counts: type,
 * URL, ref, integrity and a revision. Where the source is written (`defined`) does not: a
 * comment line, a reordered manifest or a source moved into an include pins nothing new.
 * Empty means the lock is current. No files, no network.
 */
export function lockStaleness(plan: Plan, lock: Lock | undefined): LockProblem[] {
  const out: LockProblem[] = [];
  const names = new Set(plan.sources.map((s) => s.name));
  for (const s of plan.sources) {
    const e = lock?.sources[s.name];
    if (!e) out.push({ name: s.name, why: 'missing' });
    else if (!entryMatches(s, e)) out.push({ name: s.name, why: 'stale', detail: whatDiffers(plan, s, e) });
    else if (s.type !== 'local' && !revisionOf(e)) out.push({ name: s.name, why: 'unpinned' });
  }
  const waiting = pendingImportDirs(plan);
  for (const name of Object.keys(lock?.sources ?? {}).sort()) {
    if (!names.has(name) && !awaitsImport(waiting, lock!.sources[name]!)) out.push({ name, why: 'removed' });
  }
  return out;
}

function whatDiffers(plan: Plan, s: Source, e: LockEntry): string | undefined {
  const now = entryFor(plan, s);
  for (const k of ['type', 'url', 'ref', 'integrity'] as const) {
    if (now[k] !== e[k]) return `${k}: locked ${e[k] ?? '(none)'}, manifest ${now[k] ?? '(none)'}`;
  }
  return undefined;
}

export function describeProblems(problems: LockProblem[]): string {
  const words: Record<LockProblem['why'], string> = {
    missing: 'no lock entry',
    stale: 'manifest entry changed since it was locked',
    unpinned: 'lock entry has no revision',
    removed: 'no longer in the manifest',
  };
  return problems.map((p) => `  ${p.name}: ${words[p.why]}${p.detail ? ` (${p.detail})` : ''}\n`).join('');
}
