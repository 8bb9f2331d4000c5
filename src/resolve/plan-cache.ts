// .weft/plan-cache.json: the Plan `weft up` last resolved, with everything it was resolved
// from — the exact text of every file read (manifest, includes, weft.local.yaml, imported
// manifests, the user's config), which of those were absent, the variables and the
// environment values the manifests refer to, the local directories, where each import was
// found, and which build of weft resolved it. A no-op `weft up` then skips the YAML parser
// and the whole resolve step. Texts, not stamps: a file edited within the filesystem's
// timestamp granularity is still seen, and no mtime trickery can fool it.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../atomic.cjs';
import { buildId } from '../build-id.js';
import type { Plan } from '../types.js';
import { userConfigPath } from './config-path.js';
import { findManifest, LOCAL_MANIFEST_NAME } from './find.js';
import { locateOnDisk } from './locate.js';
import type * as StampRead from '../shell/stamp-read.cjs';

// What the env stamp uses too — the `${env.X}` pattern and the hash of --var, WEFT_VAR_*
// and the referenced environment values — defined once, in the CommonJS reader the
// `weft env` fast path loads.
const stampRead = (): typeof StampRead => createRequire(import.meta.url)('../shell/stamp-read.cjs') as typeof StampRead;

export const PLAN_CACHE_FILE = 'plan-cache.json';
const FORMAT = 1;

export interface PlanCacheKey {
  cwd: string;
  manifest?: string;
  vars?: Record<string, string>;
  env: NodeJS.ProcessEnv;
}

interface CachedFile {
  path: string;
  /** null: the file did not exist, and its appearing must invalidate the cache. */
  text: string | null;
}

interface CacheFile {
  format: number;
  build: string;
  manifest: string;
  inputs: string;
  envNames: string[];
  files: CachedFile[];
  plan: Plan;
}

export function planCachePath(workspace: string): string {
  return join(workspace, '.weft', PLAN_CACHE_FILE);
}

/** The cached plan when every input is exactly as it was; otherwise undefined. Reads only. */
export function readPlanCache(key: PlanCacheKey): Plan | undefined {
  let manifest: string;
  try {
    manifest = findManifest(key.cwd, key.manifest);
  } catch {
    return undefined; // the full resolve reports it
  }
  let cached: CacheFile;
  try {
    cached = JSON.parse(readFileSync(planCachePath(dirname(manifest)), 'utf8')) as CacheFile;
  } catch {
    return undefined;
  }
  if (cached?.format !== FORMAT || cached.manifest !== manifest || !Array.isArray(cached.files) || !Array.isArray(cached.envNames)) return undefined;
  if (cached.build !== resolverBuild()) return undefined;
  if (!cached.files.some((f) => f.path === userConfigPath(key.env))) return undefined;
  if (!cached.files.every((f) => readText(f.path) === f.text)) return undefined;
  if (cached.inputs !== stampRead().inputsHash(key.vars ?? {}, key.env, cached.envNames)) return undefined;
  const plan = cached.plan;
  if (!plan || plan.manifest !== manifest) return undefined;
  // What resolve checks on disk besides files: local directories, and where imports are.
  for (const s of plan.sources) {
    if (s.type === 'local' && !isDir(s.dir)) return undefined;
  }
  for (const spec of plan.imports) {
    const from = plan.sources.find((s) => s.name === spec.from);
    if (!from) continue;
    const at = locateOnDisk(from, spec.file);
    if (at.state !== 'found' || !cached.files.some((f) => f.path === at.file && f.text !== null)) return undefined;
  }
  return plan;
}

/**
 * Records `plan` with the texts resolve read (`read`, from ResolveOptions.onRead). Not when
 * imports are pending: the next run reads them, so the plan will differ.
 */
export function writePlanCache(plan: Plan, read: ReadonlyMap<string, string>, key: PlanCacheKey): void {
  if (plan.pendingImports?.length) return;
  const files: CachedFile[] = [...read].map(([path, text]) => ({ path, text }));
  // Absent when resolved: these must still be absent (or the cache is stale).
  for (const path of [join(plan.workspace, LOCAL_MANIFEST_NAME), userConfigPath(key.env)]) {
    if (!read.has(path)) files.push({ path, text: null });
  }
  // Every file the plan names must have been recorded: anything else is a read this cache
  // does not know about, and then it is better not to cache at all.
  if (!plan.files.every((f) => read.has(f))) return;
  const { ENV_REF, inputsHash } = stampRead();
  const envNames = new Set<string>();
  for (const text of read.values()) for (const m of text.matchAll(ENV_REF)) envNames.add(m[1]!);
  const names = [...envNames].sort();
  const data: CacheFile = {
    format: FORMAT,
    build: resolverBuild(),
    manifest: plan.manifest,
    inputs: inputsHash(key.vars ?? {}, key.env, names),
    envNames: names,
    files,
    plan,
  };
  const text = JSON.stringify(data) + '\n';
  const file = planCachePath(plan.workspace);
  if (readText(file) === text) return;
  mkdirSync(dirname(file), { recursive: true });
  // Owner-only: it holds the user's config text and mirror URLs, which may carry tokens.
  // Not fsynced: a plan cache lost in a crash is only a slower next run (it is checked on read).
  writeFileAtomic(file, text, 0o600, { durable: false });
}

/** The file's text; null when it does not exist; a value no text equals when unreadable. */
function readText(path: string): string | null | symbol {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? null : UNREADABLE;
  }
}
const UNREADABLE = Symbol('unreadable');

/** A plan resolved by another build of weft is never used. */
function resolverBuild(): string {
  return buildId(['./plan-cache.js', './plan.js', './build-source.js'].map((rel) => new URL(rel, import.meta.url)));
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
