// svn and hg entries, received. svn: the exported tree is extracted with the archive
// fetcher's rules (files and directories only, nothing outside) into scratch space. hg:
// `hg unbundle` into a fresh repository, which must then hold the locked changeset.
// Both are copied beside their checkout directory and renamed onto it only when that is
// missing or empty: a bundle never replaces what a user has.
import { cp, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { auditTree } from '../archive/audit.js';
import { EntryPolicy } from '../archive/entry-policy.js';
import { extractTar } from '../archive/extract-tar.js';
import { makeScratchBeside } from '../tmp.js';
import { causeOf, targetState } from '../vcs-common.js';
import { hgLocation, hgRunner } from '../vcs-hg.js';
import { fetcherContext, type BundleContext } from './context.js';
import { badBundle, type BundledSource } from './format.js';

type VcsBundled = Extract<BundledSource, { type: 'svn' | 'hg' }>;

export interface ReceivedTree {
  source: VcsBundled;
  /** The verified tree (svn export) or clone (hg) in scratch space. */
  tree: string;
}

export async function receiveSvn(s: VcsBundled, file: string, entryPath: string, ctx: BundleContext, scratch: string): Promise<ReceivedTree> {
  ctx.progress('checking', s.name, `svn r${s.revision}`);
  const tree = join(scratch, `${s.name}.tree`);
  await mkdir(tree);
  const d = ctx.defaults;
  const label = `${basename(file)}:${s.entry}`;
  const policy = new EntryPolicy(label, { maxEntries: d.maxArchiveEntries, maxEntryBytes: d.maxEntryBytes, maxTotalBytes: d.maxExtractedBytes, maxDepth: d.maxPathDepth });
  try {
    await extractTar({ file: entryPath, dest: tree, url: label, format: 'tar', policy, maxDepth: d.maxPathDepth, maxRatio: 1000, signal: ctx.signal });
    policy.finish();
    await auditTree(tree, label);
  } catch (err) {
    throw badBundle(file, s.entry, `its tree is refused: ${(err as Error).message}`);
  }
  return { source: s, tree };
}

export async function receiveHg(s: VcsBundled, file: string, entryPath: string, ctx: BundleContext, scratch: string, manifestDir: string): Promise<ReceivedTree> {
  ctx.progress('checking', s.name, `hg ${s.revision.slice(0, 12)}`);
  const hg = hgRunner(fetcherContext(ctx, true));
  const tree = join(scratch, `${s.name}.hg`);
  const init = await hg.run(['init', '--', tree], 'disk');
  if (init.code !== 0) throw new Error(`hg init failed: ${causeOf(init)}`);
  const un = await hg.run(['unbundle', '-R', tree, '--', entryPath], 'disk');
  if (un.code !== 0) throw badBundle(file, s.entry, `hg unbundle failed: ${causeOf(un, 2)}`);
  const at = await hg.run(['log', '-R', tree, '-r', s.revision, '-T', '{node}'], 'local');
  if (at.code !== 0 || at.stdout.trim() !== s.revision) throw badBundle(file, s.entry, `does not hold the locked changeset ${s.revision}`);
  // The clone's default path is the real location, so `hg pull`/`push` and weft's own
  // checks see the same repository a network clone would have.
  await writeFile(join(tree, '.hg', 'hgrc'), `[paths]\ndefault = ${hgLocation(s.url, manifestDir)}\n`);
  const up = await hg.run(['update', '-R', tree, '-r', s.revision], 'disk');
  if (up.code !== 0) throw new Error(`hg update failed: ${causeOf(up)}`);
  return { source: s, tree };
}

/** Copies the tree onto `dir` (absent or empty); returns false when something is already there. */
export async function placeTree(r: ReceivedTree, dir: string): Promise<boolean> {
  const state = await targetState(dir, r.source.type === 'hg' ? '.hg' : '.svn');
  if (state !== 'missing' && state !== 'empty') return false;
  // Named with host and pid: a run killed meanwhile leaves it for the next one to remove.
  const tmp = makeScratchBeside(dir);
  try {
    const into = join(tmp, 'tree');
    // cp, not rename: the cache and the workspace may be on different filesystems.
    await cp(r.tree, into, { recursive: true, preserveTimestamps: true, verbatimSymlinks: true });
    await rename(into, dir);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return true;
}
