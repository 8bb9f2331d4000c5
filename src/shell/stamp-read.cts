// .weft/env/stamp.json: what the pre-rendered env files were computed from (the plan's files,
// weft.local.yaml even when absent, the lock, state.json, and a hash of the variables the
// manifest reads). When every stamp still matches, `weft env` prints the pre-rendered file
// without parsing YAML: that is what keeps it near bare Node startup.
// CommonJS with only node: imports: bin/weft.js requires it for `weft env` before any ES
// module loads (the ESM loader alone costs several milliseconds of the fast path's budget).
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const STAMP_FILE = 'stamp.json';
/** Present when the env sets a variable that needs trust (startup-vars.ts): no fast path. */
export const NEEDS_TRUST_FILE = 'needs-trust';
const MANIFEST_NAMES = ['weft.yaml', 'weft.yml'];
const LOCAL_MANIFEST = 'weft.local.yaml';
export const ENV_REF = /\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

interface FileStamp {
  path: string;
  /** Absent when the file did not exist; its appearing must invalidate the stamp too. */
  mtimeMs?: number;
  size?: number;
}

export interface Stamp {
  version: 1;
  manifest: string;
  /** sha256 of the variables and referenced environment values the plan was built with. */
  inputs: string;
  envNames: string[];
  files: FileStamp[];
}

export function statOf(path: string): FileStamp {
  try {
    const st = statSync(path);
    return { path, mtimeMs: st.mtimeMs, size: st.size };
  } catch {
    return { path };
  }
}

function sameStamp(a: FileStamp): boolean {
  const b = statOf(a.path);
  return a.mtimeMs === b.mtimeMs && a.size === b.size;
}

export function inputsHash(vars: Record<string, string>, env: NodeJS.ProcessEnv, envNames: string[]): string {
  const fromEnv = Object.keys(env).filter((k) => k.startsWith('WEFT_VAR_')).sort().map((k) => [k, env[k]]);
  const referenced = envNames.map((k) => [k, env[k] ?? null]);
  const cli = Object.keys(vars).sort().map((k) => [k, vars[k]]);
  if (cli.length === 0 && fromEnv.length === 0 && referenced.length === 0) return 'none';
  // Loaded only when there is something to hash: node:crypto costs the fast path several
  // milliseconds. Hashed rather than stored, since a referenced variable may hold a token.
  const { createHash } = process.getBuiltinModule('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(JSON.stringify([cli, fromEnv, referenced])).digest('hex');
}

export function watchedFiles(manifest: string, workspace: string, files: string[]): string[] {
  const all = [...files, join(dirname(manifest), LOCAL_MANIFEST), join(workspace, 'weft.lock'), join(workspace, '.weft', 'state.json')];
  return [...new Set(all)];
}

export interface StampInput {
  manifest: string;
  workspace: string;
  files: string[];
}

function findManifestQuick(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    for (const name of MANIFEST_NAMES) {
      const file = join(dir, name);
      try {
        if (statSync(file).isFile()) return file;
      } catch {
        // keep walking up
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The pre-rendered env file for `shell` when nothing it was computed from changed, else
 * undefined (the caller takes the slow path, which also reports any error properly).
 */
export function freshEnvFile(cwd: string, manifest: string | undefined, shell: string, vars: Record<string, string>, env: NodeJS.ProcessEnv): string | undefined {
  const found = manifest !== undefined ? resolve(cwd, manifest) : findManifestQuick(cwd);
  if (found === undefined) return undefined;
  const dir = join(dirname(found), '.weft', 'env');
  let stamp: Stamp;
  try {
    stamp = JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8')) as Stamp;
  } catch {
    return undefined;
  }
  if (stamp.version !== 1 || stamp.manifest !== found || !Array.isArray(stamp.files) || !Array.isArray(stamp.envNames)) return undefined;
  if (!stamp.files.every(sameStamp)) return undefined;
  if (statSync(join(dir, NEEDS_TRUST_FILE), { throwIfNoEntry: false })) return undefined;
  if (stamp.inputs !== inputsHash(vars, env, stamp.envNames)) return undefined;
  try {
    const text = readFileSync(join(dir, shell), 'utf8');
    // A file rewritten after the stamp (another `weft up` mid-flight) is not trusted either.
    return statSync(join(dir, STAMP_FILE)).mtimeMs >= statSync(join(dir, shell)).mtimeMs ? text : undefined;
  } catch {
    return undefined;
  }
}
