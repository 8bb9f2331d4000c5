// .weft/env/stamp.json: what the pre-rendered env files were computed from (the plan's files,
// weft.local.yaml even when absent, the lock, state.json, and a hash of the variables the
// manifest reads). When every stamp still matches, `weft env` prints the pre-rendered file
// without parsing YAML: that is what keeps it near bare Node startup.
// Only node: imports here: this module is on the fast path.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeFileIfChanged } from '../atomic.js';

export const STAMP_FILE = 'stamp.json';
/** Present when the env sets a variable that needs trust (startup-vars.ts): no fast path. */
export const NEEDS_TRUST_FILE = 'needs-trust';
const MANIFEST_NAMES = ['weft.yaml', 'weft.yml'];
const LOCAL_MANIFEST = 'weft.local.yaml';
const ENV_REF = /\$\{env\.([A-Za-z_][A-Za-z0-9_]*)\}/g;

interface FileStamp {
  path: string;
  /** Absent when the file did not exist; its appearing must invalidate the stamp too. */
  mtimeMs?: number;
  size?: number;
}

interface Stamp {
  version: 1;
  manifest: string;
  /** sha256 of the variables and referenced environment values the plan was built with. */
  inputs: string;
  envNames: string[];
  files: FileStamp[];
}

function statOf(path: string): FileStamp {
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

function inputsHash(vars: Record<string, string>, env: NodeJS.ProcessEnv, envNames: string[]): string {
  const fromEnv = Object.keys(env).filter((k) => k.startsWith('WEFT_VAR_')).sort().map((k) => [k, env[k]]);
  const referenced = envNames.map((k) => [k, env[k] ?? null]);
  const cli = Object.keys(vars).sort().map((k) => [k, vars[k]]);
  return createHash('sha256').update(JSON.stringify([cli, fromEnv, referenced])).digest('hex');
}

function watchedFiles(manifest: string, workspace: string, files: string[]): string[] {
  const all = [...files, join(dirname(manifest), LOCAL_MANIFEST), join(workspace, 'weft.lock'), join(workspace, '.weft', 'state.json')];
  return [...new Set(all)];
}

export interface StampInput {
  manifest: string;
  workspace: string;
  files: string[];
}

/** Call after the env files are written. */
export function writeStamp(plan: StampInput, vars: Record<string, string>, env: NodeJS.ProcessEnv): void {
  const envNames = new Set<string>();
  for (const f of plan.files) {
    try {
      for (const m of readFileSync(f, 'utf8').matchAll(ENV_REF)) envNames.add(m[1]!);
    } catch {
      // an unreadable file is stamped as missing below, so the fast path never trusts it
    }
  }
  const names = [...envNames].sort();
  const stamp: Stamp = {
    version: 1,
    manifest: plan.manifest,
    inputs: inputsHash(vars, env, names),
    envNames: names,
    files: watchedFiles(plan.manifest, plan.workspace, plan.files).map(statOf),
  };
  writeFileIfChanged(join(plan.workspace, '.weft', 'env', STAMP_FILE), JSON.stringify(stamp, null, 2) + '\n');
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
