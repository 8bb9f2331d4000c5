// .weft/plan-cache.json: the Plan `weft up` last resolved, with everything it was resolved
// from — the exact text of every file read (manifest, includes, weft.local.yaml, imported
// manifests, the user's config), which of those were absent, the variables and the
// environment values the manifests refer to, the local directories, where each import was
// found, and which build of weft resolved it. A no-op `weft up` then skips the YAML parser
// and the whole resolve step. Texts, not stamps: a file edited within the filesystem's
// timestamp granularity is still seen, and no mtime trickery can fool it.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { writeFileAtomic } from '../atomic.cjs';
import { buildId } from '../build-id.js';
import { hasSecrets, secretsOf } from '../redact.js';
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
  /**
   * Where plans resolved in other workspaces are kept (the cache's plans/): a workspace
   * with no plan cache of its own whose manifest reads exactly like one resolved
   * elsewhere takes that plan, moved to this workspace, if every input checks out here.
   */
  store?: string;
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

/** A plan found in a cache: the workspace's own, or one moved here from the store. */
export interface CachedPlan {
  plan: Plan;
  /** The workspace's plan cache to write, when the plan came from the store. */
  adopt?: () => void;
}

/** The cached plan when every input is exactly as it was; otherwise undefined. Reads only. */
export function readPlanCache(key: PlanCacheKey): CachedPlan | undefined {
  let manifest: string;
  try {
    manifest = findManifest(key.cwd, key.manifest);
  } catch {
    return undefined; // the full resolve reports it
  }
  const own = parseCacheFile(readText(planCachePath(dirname(manifest))));
  const plan = own && checked(own, key, manifest);
  if (plan) return { plan };
  if (!key.store) return undefined;
  const moved = fromStore(key.store, manifest);
  const fromElsewhere = moved && checked(moved.cached, key, manifest);
  if (!fromElsewhere) return undefined;
  return { plan: fromElsewhere, adopt: () => writeCacheText(dirname(manifest), moved.text) };
}

function parseCacheFile(text: string | null | symbol): CacheFile | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text) as CacheFile;
  } catch {
    return undefined;
  }
}

/** `cached`'s plan when it was resolved from exactly what `key` and the disk say now. */
function checked(cached: CacheFile, key: PlanCacheKey, manifest: string): Plan | undefined {
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
  // A password or token that is in no file read (it came from the environment or --var)
  // is not written to disk here either: no plan cache for such a workspace.
  if (secretsFromElsewhere(plan, read)) {
    rmSync(planCachePath(plan.workspace), { force: true });
    return;
  }
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
  writeCacheText(plan.workspace, text);
  if (key.store) toStore(key.store, data, text, key);
}

/** True when a source's URL carries a secret that no file resolve read holds as it is. */
function secretsFromElsewhere(plan: Plan, read: ReadonlyMap<string, string>): boolean {
  const texts = [...read.values()];
  return plan.sources.some(
    (s) => s.type !== 'local' && [s.url, s.canonicalUrl ?? ''].some((u) => secretsOf(u).some((secret) => !texts.some((t) => t.includes(secret)))),
  );
}

function writeCacheText(workspace: string, text: string): void {
  const file = planCachePath(workspace);
  if (readText(file) === text) return;
  mkdirSync(dirname(file), { recursive: true });
  // Owner-only: it holds the user's config text and mirror URLs, which may carry tokens.
  // Not fsynced: a plan cache lost in a crash is only a slower next run (it is checked on read).
  writeFileAtomic(file, text, 0o600, { durable: false });
}

// The store: the plan caches of workspaces whose plan depends on where they are only by
// their own path, that path replaced by WORKSPACE. Keyed by the manifest's name and text;
// an entry is only a candidate, taken only when every recorded input, moved to the new
// workspace, reads the same there (checked above), so a manifest that names its own
// workspace's path is never moved: its text there no longer matches.
const WORKSPACE = '@@weft-workspace@@';
const STORE_KEEPS = 64;

function storeFile(store: string, manifest: string, text: string): string {
  return join(store, `${createHash('sha256').update(`${FORMAT}\0${basename(manifest)}\0${text}`).digest('hex').slice(0, 32)}.json`);
}

/**
 * The store's plan cache for a manifest like `manifest`, moved to its workspace. Only a
 * file this user wrote and no one else can change: a plan carries setup steps, and a
 * cache directory may be shared (WEFT_CACHE_DIR), where mirrors are checked by their
 * hashes but a plan would be taken as it is.
 */
function fromStore(store: string, manifest: string): { cached: CacheFile; text: string } | undefined {
  const source = readText(manifest);
  if (typeof source !== 'string') return undefined;
  const file = storeFile(store, manifest, source);
  const st = statOf(file);
  if (!st || process.getuid === undefined || st.uid !== process.getuid() || (st.mode & 0o022) !== 0) return undefined;
  const stored = readText(file);
  if (typeof stored !== 'string') return undefined;
  const text = stored.split(WORKSPACE).join(jsonInner(dirname(manifest)));
  const cached = parseCacheFile(text);
  return cached ? { cached, text } : undefined;
}

/**
 * Keeps `data` in the store when its plan can be moved: a workspace that is its manifest's
 * directory, no imports, no local directories, and the workspace's path in it only as
 * the start of paths, never as part of another name, nor its parent directory or its
 * own name apart from that (what a `..` or a default name would leave), nor in an
 * environment value or variable the manifests use.
 */
function toStore(store: string, data: CacheFile, text: string, key: PlanCacheKey): void {
  const plan = data.plan;
  const ws = plan.workspace;
  // Not a workspace whose parent is / (which every path names).
  if (ws !== plan.root || ws !== dirname(plan.manifest) || dirname(dirname(ws)) === dirname(ws)) return;
  if (plan.imports.length || plan.sources.some((s) => s.type === 'local') || text.includes(WORKSPACE)) return;
  // A password or token written in the manifest stays in the workspace's own plan cache,
  // which only its owner reads; it is not copied into the cache, which may be shared.
  if (plan.sources.some((s) => s.type !== 'local' && (hasSecrets(s.url) || hasSecrets(s.canonicalUrl ?? '')))) return;
  const fromEnv = Object.keys(key.env).filter((k) => k.startsWith('WEFT_VAR_') || data.envNames.includes(k));
  const values = [...Object.values(key.vars ?? {}), ...fromEnv.map((k) => key.env[k] ?? '')];
  if (values.some((v) => v.includes(ws) || v.includes(basename(ws)))) return;
  const at = jsonInner(ws);
  const moved = text.split(`${at}/`).join(`${WORKSPACE}/`).split(`${at}"`).join(`${WORKSPACE}"`);
  const rest = moved.split(jsonInner(userConfigPath(key.env))).join('');
  if (rest.includes(at) || rest.includes(jsonInner(dirname(ws))) || rest.includes(jsonInner(basename(ws)))) return;
  if (process.getuid === undefined) return;
  try {
    mkdirSync(store, { recursive: true, mode: 0o700 });
    const file = storeFile(store, plan.manifest, data.files.find((f) => f.path === plan.manifest)?.text ?? '');
    if (readText(file) !== moved) writeFileAtomic(file, moved, 0o600, { durable: false });
    trimStore(store);
  } catch {
    /* the store only saves time */
  }
}

/** Removes the store's oldest entries beyond STORE_KEEPS (each edit of a manifest makes one). */
function trimStore(store: string): void {
  const names = readdirSync(store).filter((n) => n.endsWith('.json'));
  if (names.length <= STORE_KEEPS) return;
  const aged = names.map((n) => ({ n, t: statSync(join(store, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of aged.slice(0, names.length - STORE_KEEPS)) rmSync(join(store, n), { force: true });
}

/** A string as it appears inside a JSON string. */
function jsonInner(s: string): string {
  return JSON.stringify(s).slice(1, -1);
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

/** The file's stat; undefined when it is not there (nor its directory: a cache dir that is a file). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
