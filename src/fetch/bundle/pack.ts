// `weft bundle`: everything a locked plan needs, packed into one tar with a checksum
// index, built in the cache's scratch space and renamed onto the output last.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { writeFileAtomic } from '../../atomic.cjs';
import { WeftError } from '../../errors.js';
import type { Plan, Source } from '../../types.js';
import { enterCache } from '../cache/guard.js';
import { makeCacheScratch, scratchBeside } from '../tmp.js';
import { ensureOriginal } from './archive-bytes.js';
import type { BundleContext } from './context.js';
import { BUNDLE_FORMAT, INDEX_NAME, safeEntryName, withoutSecret, type BundledSource, type BundleIndex, type EntrySum } from './format.js';
import { writeOuterTar } from './outer-tar.js';
import { packGit } from './pack-git.js';
import { packHg, packSvn } from './pack-vcs.js';

export interface PackRequest {
  /** The plan with the lock applied: every git source has its commit, svn/hg their revision. */
  plan: Plan;
  /** The lock file, as committed. */
  lockFile: string;
  out: string;
  depth?: number;
  weftVersion: string;
}

export interface PackResult {
  file: string;
  size: number;
  sha256: string;
  sources: BundledSource[];
  /** Local sources: used in place, so not in the bundle. */
  notBundled: string[];
}

export async function sha256File(file: string): Promise<EntrySum> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return { size: (await stat(file)).size, sha256: hash.digest('hex') };
}

/** `abs` relative to the workspace as a safe '/'-path, or undefined when it is outside. */
export function insideWorkspace(workspace: string, abs: string): string | undefined {
  const rel = relative(workspace, abs);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  const posix = rel.split(sep).join('/');
  return safeEntryName(posix) ? posix : undefined;
}

function isUnder(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

function unpinned(s: Source): WeftError {
  return new WeftError('WEFT_E_BUNDLE_LOCK', `source ${s.name} is not pinned in weft.lock`, {
    hint: 'run "weft lock" (or "weft up") so every source is pinned, then bundle again',
  });
}

async function packSource(s: Source, dir: string, ctx: BundleContext, scratch: string, staging: string, depth: number | undefined): Promise<BundledSource | undefined> {
  switch (s.type) {
    case 'local':
      return undefined;
    case 'git':
      if (!s.commit) throw unpinned(s);
      return packGit({ ...s, commit: s.commit }, dir, ctx, scratch, staging, depth);
    case 'svn':
      if (!s.revision) throw unpinned(s);
      return packSvn({ ...s, revision: s.revision }, dir, ctx, scratch, staging);
    case 'hg':
      if (!s.revision) throw unpinned(s);
      return packHg({ ...s, revision: s.revision }, dir, ctx, scratch, staging);
    case 'archive': {
      ctx.progress('bundling', s.name, 'archive');
      const original = await ensureOriginal(s, ctx, scratch);
      const entry = `archives/${s.name}`;
      await mkdir(join(staging, 'archives'), { recursive: true });
      await copyFile(original, join(staging, entry));
      return { type: 'archive', name: s.name, dir, url: withoutSecret(s.url), entry, integrity: s.integrity, ...(s.format ? { format: s.format } : {}) };
    }
  }
}

export async function packBundle(req: PackRequest, ctx: BundleContext): Promise<PackResult> {
  const { plan } = req;
  // Registered as a user of the cache, as weft up is: `weft cache prune` then waits rather
  // than remove a mirror this bundle is reading.
  const inCache = await enterCache(ctx.cacheDir, {
    waitMs: ctx.defaults.workspaceLockWaitMs,
    staleMs: ctx.defaults.staleLockMs,
    signal: ctx.signal,
    onWait: (why) => ctx.progress(why, ''),
  });
  const scratch = makeCacheScratch(ctx.cacheDir);
  try {
    const staging = join(scratch, 'staging');
    await mkdir(join(staging, 'workspace'), { recursive: true });
    const workspaceFiles: string[] = [];
    // A manifest read from a source's checkout (`import:`) travels in that source's entry.
    const carried = plan.sources.filter((s) => s.type !== 'local');
    for (const f of [...plan.files, req.lockFile]) {
      if (carried.some((s) => isUnder(s.dir, f))) continue;
      const rel = insideWorkspace(plan.workspace, f);
      if (!rel) {
        throw new WeftError('WEFT_E_BUNDLE_OUTSIDE', `${f} is outside the workspace ${plan.workspace}; a bundle carries only the workspace's own files`, {
          hint: 'move the included manifest into the workspace directory',
        });
      }
      const entry = `workspace/${rel}`;
      if (workspaceFiles.includes(entry)) continue;
      await mkdir(dirname(join(staging, entry)), { recursive: true });
      await copyFile(f, join(staging, entry));
      workspaceFiles.push(entry);
    }

    const sources: BundledSource[] = [];
    const notBundled: string[] = [];
    for (const s of plan.sources) {
      const dir = insideWorkspace(plan.workspace, s.dir);
      if (s.type === 'local') {
        notBundled.push(s.name);
        continue;
      }
      if (!dir) {
        throw new WeftError('WEFT_E_BUNDLE_OUTSIDE', `source ${s.name} is checked out at ${s.dir}, outside the workspace ${plan.workspace}`, {
          hint: "give it a path under the manifest's directory (root/path), or leave it out of the bundle",
        });
      }
      ctx.signal?.throwIfAborted();
      const packed = await packSource(s, dir, ctx, scratch, staging, req.depth);
      if (packed) sources.push(packed);
    }

    const entries: Record<string, EntrySum> = {};
    const names = [...workspaceFiles, ...sources.map((s) => s.entry)];
    for (const name of names) entries[name] = await sha256File(join(staging, name));
    const index: BundleIndex = {
      format: BUNDLE_FORMAT,
      weft: req.weftVersion,
      created: new Date().toISOString(),
      name: plan.name,
      workspace: workspaceFiles,
      manifest: `workspace/${insideWorkspace(plan.workspace, plan.manifest)}`,
      sources,
      entries,
    };
    await writeFileAtomic(join(staging, INDEX_NAME), JSON.stringify(index, null, 2) + '\n');

    // Named with host and pid, as checkouts' scratch is: one a killed bundle left beside the
    // output (as large as a bundle) is removed here, by the next bundle made there.
    const tmpOut = scratchBeside(req.out);
    try {
      await writeOuterTar(staging, [INDEX_NAME, ...names], tmpOut);
      await rename(tmpOut, req.out);
    } finally {
      await rm(tmpOut, { force: true });
    }
    const sum = await sha256File(req.out);
    return { file: req.out, size: sum.size, sha256: sum.sha256, sources, notBundled };
  } finally {
    await rm(scratch, { recursive: true, force: true });
    inCache.release();
  }
}
