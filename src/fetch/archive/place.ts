// Copies a cache entry into the workspace: built beside the target, then renamed over it,
// so the checkout is either the old tree or the complete new one, never half of each.
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { WeftError } from '../../errors.js';
import { applyKeep, planKeep, type Added, type KeepOutcome, type KeepPlan } from './keep.js';
import { writeMarker, type Marker } from './marker.js';

export interface PlaceRequest {
  entry: string;
  dir: string;
  strip: number;
  url: string;
  marker: Omit<Marker, 'files'>;
  /** What is at `dir` now: nothing, an empty directory, or a tree weft may replace. */
  existing: 'absent' | 'empty' | 'replace';
  /** With 'replace': the user's own entries in the old tree, carried into the new one (see keep.ts). */
  carry?: Added[];
  /** Told what becomes of `carry` once the new tree is built, before anything of the old one goes. */
  beforeSwap?: (plan: KeepPlan | undefined) => void;
}

/** What became of `carry`, when there was any. */
export async function placeTree(req: PlaceRequest): Promise<KeepOutcome | undefined> {
  const parent = dirname(req.dir);
  await mkdir(parent, { recursive: true });
  const tag = randomBytes(4).toString('hex');
  const tmp = join(parent, `.${basename(req.dir)}.weft-tmp-${tag}`);
  const old = join(parent, `.${basename(req.dir)}.weft-old-${tag}`);
  await mkdir(tmp);
  try {
    const files = await copyStripped(req.entry, tmp, req.strip, req.url);
    await writeMarker(tmp, { ...req.marker, files });
    if (req.existing === 'empty') await rmdir(req.dir);
    if (req.existing === 'replace') {
      const carry = req.carry ?? [];
      const plan = carry.length ? await planKeep(req.dir, tmp, req.dir, carry) : undefined;
      req.beforeSwap?.(plan);
      await rename(req.dir, old);
      try {
        await rename(tmp, req.dir);
      } catch (err) {
        await rename(old, req.dir);
        throw err;
      }
      // The user's files go into the new tree before the old one is deleted; if any would
      // not move, the old tree stays whole under a name that says what it is.
      if (plan && !(await applyKeep(old, req.dir, plan))) {
        const leftAt = `${plan.asideDir}-previous`;
        await rename(old, leftAt);
        return { ...plan, leftAt };
      }
      await rm(old, { recursive: true, force: true });
      return plan;
    } else {
      // rename(2) would silently replace an empty directory created meanwhile; the
      // workspace lock held by the caller rules that out.
      await rename(tmp, req.dir);
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return undefined;
}

/** Copies at once: the copies are done by libuv's threads, and one at a time left them idle. */
const PARALLEL_COPIES = 8;

/** Copies `src` into `dest` minus `strip` leading components; returns the file manifest. */
async function copyStripped(src: string, dest: string, strip: number, url: string): Promise<Marker['files']> {
  // Directories first (parents before children), so the copies below can run in any order.
  const copies: { from: string; to: string; kept: string[] }[] = [];
  const stack: string[][] = [[]];
  /** How deep the archive's deepest file is (1: at its top level); 0 when it has none. */
  let deepest = 0;
  /**
   * Each place in the new tree by its case- and NFC-folded name, with the archive entry put
   * there: strip can bring `a/README` and `b/readme` side by side, which the cache's audit
   * (one directory at a time, before strip) never saw together.
   */
  const folded = new Map<string, { kept: string; from: string }>();
  const claim = (kept: string[], childParts: string[]): void => {
    const key = kept.join('/').normalize('NFC').toLowerCase();
    const from = childParts.join('/');
    const other = folded.get(key);
    if (other === undefined) folded.set(key, { kept: kept.join('/'), from });
    else if (other.kept !== kept.join('/')) throw foldClash(url, strip, other.from, from);
  };
  while (stack.length > 0) {
    const parts = stack.pop()!;
    for (const ent of await readdir(join(src, ...parts), { withFileTypes: true })) {
      const childParts = [...parts, ent.name];
      const kept = childParts.slice(strip);
      const to = join(dest, ...kept);
      if (kept.length > 0) claim(kept, childParts);
      if (ent.isDirectory()) {
        if (kept.length > 0) await mkdirFresh(to, kept, strip, url);
        stack.push(childParts);
      } else {
        deepest = Math.max(deepest, childParts.length);
        if (kept.length > 0) copies.push({ from: join(src, ...childParts), to, kept });
      }
    }
  }
  // A strip deeper than the archive would leave an empty checkout that looks fine.
  if (copies.length === 0 && deepest > 0) {
    throw new WeftError('WEFT_E_ARCHIVE_STRIP', `${url}: with strip ${strip}, no file of the archive is left (its files are at most ${deepest} level${deepest === 1 ? '' : 's'} deep)`, {
      hint: `lower \`strip\` to at most ${deepest - 1}`,
    });
  }
  const files: Marker['files'] = {};
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < copies.length) {
      const { from, to, kept } = copies[next++]!;
      try {
        await copyFile(from, to, constants.COPYFILE_EXCL | constants.COPYFILE_FICLONE);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw stripClash(url, kept, strip);
        throw err;
      }
      const st = await stat(to);
      files[kept.join('/')] = [st.size, st.mtimeMs];
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_COPIES, copies.length) }, worker));
  return files;
}

async function mkdirFresh(path: string, kept: string[], strip: number, url: string): Promise<void> {
  try {
    await mkdir(path);
    await chmod(path, 0o755);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Two top-level directories merging under strip is fine; a file in the way is not.
    if (!(await stat(path)).isDirectory()) throw stripClash(url, kept, strip);
  }
}

function foldClash(url: string, strip: number, ...names: [string, string]): WeftError {
  const [a, b] = names.sort();
  return new WeftError(
    'WEFT_E_ARCHIVE_STRIP',
    `${url}: with strip ${strip}, ${a} and ${b} land in one directory under names that differ only in case or Unicode form`,
    { hint: 'such names collide on case-insensitive and normalising filesystems; lower `strip` so that they stay apart' },
  );
}

function stripClash(url: string, kept: string[], strip: number): WeftError {
  return new WeftError('WEFT_E_ARCHIVE_STRIP', `${url}: with strip ${strip}, two entries land on ${kept.join('/')}`, {
    hint: 'lower `strip` so that the archive’s top-level entries stay apart',
  });
}
