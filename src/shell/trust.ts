// Trust: a record, in the user's config dir, of each trusted manifest's realpath and the
// sha256 of every file the plan read. Any edit changes a hash, so trust lapses by itself.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { WeftError } from '../errors.js';
import { weftConfigDir } from '../resolve/config-path.js';
import { writeFileAtomic } from '../atomic.cjs';
import type { Plan } from '../types.js';

interface TrustEntry {
  /** file path → sha256 hex of its content at the time `weft trust` ran. */
  files: Record<string, string>;
  trustedAt: string;
}

interface TrustFile {
  version: 1;
  workspaces: Record<string, TrustEntry>;
}

export interface TrustStatus {
  trusted: boolean;
  /** Files whose content differs from what was trusted, or that appeared/disappeared. */
  changed: string[];
  /** True when there is no record at all for this manifest. */
  unknown: boolean;
}

export function trustFilePath(env: NodeJS.ProcessEnv): string {
  return join(weftConfigDir(env), 'trust.json');
}

function readTrust(file: string): TrustFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, workspaces: {} };
    throw err;
  }
  try {
    const data = JSON.parse(text) as TrustFile;
    if (data && data.version === 1 && typeof data.workspaces === 'object' && data.workspaces !== null) return data;
  } catch {
    // fall through to the error below
  }
  throw new WeftError('WEFT_E_CONFIG_TRUST', `cannot read the trust record ${file}: not a weft trust file`, {
    hint: `remove ${file} and run "weft trust" again in each workspace you trust`,
  });
}

function writeTrust(file: string, data: TrustFile): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
  writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n', 0o600);
}

function keyOf(plan: Plan): string {
  return realpathSync(plan.manifest);
}

function hashFile(file: string): string | undefined {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Keyed by each file's realpath, as the record is by the manifest's: a workspace reached
 * through a symlinked path (the hook asks with -C "$PWD", which keeps the link) is the
 * one that was trusted, not a workspace whose every file changed.
 */
function hashesOf(plan: Plan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of plan.files) {
    const real = realpathOrNone(f);
    if (real === undefined) continue;
    const h = hashFile(real);
    if (h !== undefined) out[real] = h;
  }
  return out;
}

function realpathOrNone(file: string): string | undefined {
  try {
    return realpathSync(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

export function trustStatus(plan: Plan, env: NodeJS.ProcessEnv): TrustStatus {
  const entry = readTrust(trustFilePath(env)).workspaces[keyOf(plan)];
  if (!entry) return { trusted: false, changed: [], unknown: true };
  const now = hashesOf(plan);
  const names = new Set([...Object.keys(now), ...Object.keys(entry.files)]);
  const changed = [...names].filter((f) => now[f] !== entry.files[f]).sort();
  return { trusted: changed.length === 0, changed, unknown: false };
}

export function isTrusted(plan: Plan, env: NodeJS.ProcessEnv): boolean {
  return trustStatus(plan, env).trusted;
}

export function recordTrust(plan: Plan, env: NodeJS.ProcessEnv, now = new Date()): void {
  const file = trustFilePath(env);
  const data = readTrust(file);
  data.workspaces[keyOf(plan)] = { files: hashesOf(plan), trustedAt: now.toISOString() };
  writeTrust(file, data);
}

/**
 * Forgets the trust in the manifest at `manifest` (its path: revoking needs no parse, so a
 * manifest that no longer loads can still be distrusted). False when there was none.
 */
export function revokeTrust(manifest: string, env: NodeJS.ProcessEnv): boolean {
  const file = trustFilePath(env);
  const data = readTrust(file);
  const key = realpathSync(manifest);
  if (!(key in data.workspaces)) return false;
  delete data.workspaces[key];
  writeTrust(file, data);
  return true;
}
