// `weft up --from`: open a bundle, check every byte of it against its index and every
// source against the lock in force, and only then fill the cache and the workspace.
// Until publish() nothing is written outside one private scratch directory in the
// cache's tmp/, which close() removes whatever happened.
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { mkdir } from 'node:fs/promises';
import { writeFileAtomic } from '../../atomic.cjs';
import { WeftError } from '../../errors.js';
import { makeCacheScratch } from '../tmp.js';
import type { BundleContext } from './context.js';
import { badBundle, INDEX_NAME, parseIndex, workspaceEntries, type BundledSource, type BundleIndex } from './format.js';
import { readOuterTar } from './outer-tar.js';
import { publishArchive, receiveArchive, type ReceivedArchive } from './unpack-archive.js';
import { publishGit, receiveGit, type ReceivedGit } from './unpack-git.js';
import { placeTree, receiveHg, receiveSvn, type ReceivedTree } from './unpack-vcs.js';

export interface OpenedBundle {
  file: string;
  index: BundleIndex;
  /** Where the entries were written, by name. */
  entriesDir: string;
  scratch: string;
}

/** Reads the outer tar and checks it against its index: every entry listed, present and intact. */
export async function openBundle(file: string, ctx: BundleContext): Promise<OpenedBundle> {
  const scratch = makeCacheScratch(ctx.cacheDir);
  try {
    ctx.progress('reading', '', file);
    const entriesDir = join(scratch, 'entries');
    const { sums, first } = await readOuterTar(file, entriesDir);
    if (first !== INDEX_NAME || !sums.has(INDEX_NAME)) {
      throw badBundle(file, INDEX_NAME, first === undefined ? 'missing: the file is empty or not a tar' : `missing: the first entry is ${first}`, 'is this a bundle made by "weft bundle"?');
    }
    const index = parseIndex(await readFile(join(entriesDir, INDEX_NAME), 'utf8'), file);
    for (const [name, want] of Object.entries(index.entries)) {
      const got = sums.get(name);
      if (!got) throw badBundle(file, name, 'missing');
      if (got.size !== want.size || got.sha256 !== want.sha256) throw badBundle(file, name, `checksum mismatch: index says sha256 ${want.sha256} (${want.size} bytes), the entry is ${got.sha256} (${got.size} bytes)`);
    }
    for (const name of sums.keys()) {
      if (name !== INDEX_NAME && !(name in index.entries)) throw badBundle(file, name, 'is not listed in the index');
    }
    return { file, index, entriesDir, scratch };
  } catch (err) {
    await rm(scratch, { recursive: true, force: true });
    throw err;
  }
}

export async function closeBundle(b: OpenedBundle): Promise<void> {
  await rm(b.scratch, { recursive: true, force: true, maxRetries: 5, retryDelay: 20 });
}

export function entryText(b: OpenedBundle, entry: string): Promise<string> {
  return readFile(join(b.entriesDir, entry), 'utf8');
}

/** What the lock in force pins for a source: commit, integrity or revision. */
export type Pins = Record<string, { type: BundledSource['type'] | 'local'; pin?: string }>;

function pinOf(s: BundledSource): string {
  return s.type === 'git' ? s.commit : s.type === 'archive' ? s.integrity : s.revision;
}

export interface Received {
  git: ReceivedGit[];
  archives: ReceivedArchive[];
  trees: ReceivedTree[];
}

/**
 * Checks that the bundle covers exactly what `pins` asks and that each source's content is
 * what it claims, preparing it in scratch space. Throws WEFT_E_BUNDLE_DAMAGED naming the entry.
 */
export async function receiveSources(b: OpenedBundle, pins: Pins, manifestDir: string, ctx: BundleContext): Promise<Received> {
  const got: Received = { git: [], archives: [], trees: [] };
  const byName = new Map(b.index.sources.map((s) => [s.name, s]));
  for (const [name, want] of Object.entries(pins)) {
    if (want.type === 'local') continue;
    if (!byName.has(name)) throw badBundle(b.file, INDEX_NAME, `has no content for source ${name}, which weft.lock pins`);
  }
  for (const s of b.index.sources) {
    const want = pins[s.name];
    if (!want) throw badBundle(b.file, s.entry, `is for source ${s.name}, which the manifest does not have`);
    if (want.type !== s.type || want.pin !== pinOf(s)) {
      throw new WeftError('WEFT_E_BUNDLE_MISMATCH', `${b.file}: entry ${s.entry}: pins ${s.type} ${pinOf(s)}, but weft.lock says ${want.type} ${want.pin ?? '(nothing)'}`, {
        hint: "the bundle was made from another lock than this workspace's: ask for a bundle of this lock, or run weft up --from in an empty directory",
      });
    }
    ctx.signal?.throwIfAborted();
    const path = join(b.entriesDir, s.entry);
    if (s.type === 'git') got.git.push(await receiveGit(s, b.file, path, ctx, b.scratch));
    else if (s.type === 'archive') got.archives.push(await receiveArchive(s, b.file, path, ctx));
    else if (s.type === 'svn') got.trees.push(await receiveSvn(s, b.file, path, ctx, b.scratch));
    else got.trees.push(await receiveHg(s, b.file, path, ctx, b.scratch, manifestDir));
  }
  return got;
}

export interface Published {
  /** Workspace files written (those absent before). */
  wrote: string[];
  /** svn/hg sources whose tree was placed. */
  placed: string[];
  /** svn/hg sources left alone because their directory was already in use. */
  kept: string[];
}

/** Fills the cache, then writes the missing workspace files and the svn/hg trees. */
export async function publish(b: OpenedBundle, r: Received, workspace: string, ctx: BundleContext): Promise<Published> {
  for (const g of r.git) {
    ctx.progress('caching', g.source.name, 'git mirror');
    await publishGit(g, ctx);
  }
  for (const a of r.archives) {
    ctx.progress('caching', a.source.name, 'archive');
    await publishArchive(a, a.source.format, ctx);
  }
  const out: Published = { wrote: [], placed: [], kept: [] };
  for (const t of r.trees) {
    const placed = await placeTree(t, join(workspace, ...t.source.dir.split('/')));
    (placed ? out.placed : out.kept).push(t.source.name);
  }
  for (const entry of workspaceEntries(b.index)) {
    const target = join(workspace, ...entry.slice('workspace/'.length).split('/'));
    const exists = await readFile(target).then(() => true, () => false);
    if (exists) continue;
    await mkdir(dirname(target), { recursive: true });
    writeFileAtomic(target, await readFile(join(b.entriesDir, entry)));
    out.wrote.push(target);
  }
  return out;
}
