// `weft up --force` on an extracted tree the user changed: files weft wrote and the user
// modified are discarded (that is what --force is for), named before they go; what the
// user added is theirs and goes into the new tree — except a file the new archive also
// has (replaced, named first too). Where the new tree leaves no room for one (a file of
// the archive stands where the user's directory was), it is moved aside to a directory
// named for it and the summary says where. Nothing of the user's disappears unsaid.
import { lstat, mkdir, readdir, rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MARKER, type Marker } from './marker.js';

/** One thing of the user's in the old tree: a file (or symlink), or a whole directory weft never wrote into. */
export interface Added {
  rel: string;
  dir: boolean;
}

export interface Survey {
  /** Files weft wrote that the user changed: discarded by --force. */
  modified: string[];
  /** Files weft wrote that the user removed. */
  deleted: string[];
  added: Added[];
}

/** What becomes of `added` against the new tree. Directories end with '/'. */
export interface KeepPlan {
  /** Moved into the new tree at the same path. */
  keep: string[];
  /** The new archive has a file of that name: the user's is replaced. */
  replaced: string[];
  /** No room in the new tree: moved to `asideDir`. */
  aside: string[];
  asideDir: string;
}

export interface KeepOutcome extends KeepPlan {
  /** Set when some could not be moved: the whole old tree is left there instead. */
  leftAt?: string;
}

/** Every difference between `dir` and what weft wrote there. */
export async function survey(dir: string, marker: Marker): Promise<Survey> {
  const weftDirs = new Set<string>();
  for (const rel of Object.keys(marker.files)) {
    for (let i = rel.indexOf('/'); i !== -1; i = rel.indexOf('/', i + 1)) weftDirs.add(rel.slice(0, i));
  }
  const out: Survey = { modified: [], deleted: [], added: [] };
  const seen = new Set<string>();
  const walk = async (rel: string): Promise<void> => {
    for (const name of (await readdir(rel ? join(dir, rel) : dir)).sort()) {
      const childRel = rel ? `${rel}/${name}` : name;
      if (childRel === MARKER) continue;
      const st = await lstat(join(dir, childRel));
      if (st.isDirectory()) {
        if (weftDirs.has(childRel)) await walk(childRel);
        // A directory weft never wrote a file into is the user's as a whole (an empty one
        // may be the archive's own: nothing to keep there).
        else if (await holdsAnything(join(dir, childRel))) out.added.push({ rel: childRel, dir: true });
        continue;
      }
      const was = marker.files[childRel];
      if (!was) {
        out.added.push({ rel: childRel, dir: false });
        continue;
      }
      seen.add(childRel);
      if (!st.isFile() || was[0] !== st.size || was[1] !== st.mtimeMs) out.modified.push(childRel);
    }
  };
  await walk('');
  for (const rel of Object.keys(marker.files)) if (!seen.has(rel)) out.deleted.push(rel);
  return out;
}

async function holdsAnything(abs: string): Promise<boolean> {
  for (const e of await readdir(abs, { withFileTypes: true })) {
    if (!e.isDirectory() || (await holdsAnything(join(abs, e.name)))) return true;
  }
  return false;
}

async function lstatOrNot(path: string) {
  try {
    return await lstat(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw err;
  }
}

/** Where the user's `added` go in `fresh` (the new tree, not yet in place); `old` is the tree now at `dir`. */
export async function planKeep(old: string, fresh: string, dir: string, added: Added[], now = new Date()): Promise<KeepPlan> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const plan: KeepPlan = { keep: [], replaced: [], aside: [], asideDir: join(dirname(dir), `${basename(dir)}.weft-kept-${stamp}`) };
  const place = async (rel: string, isDir: boolean): Promise<void> => {
    const there = await lstatOrNot(join(fresh, rel));
    const shown = isDir ? `${rel}/` : rel;
    if (!there) {
      (await blocked(fresh, rel) ? plan.aside : plan.keep).push(shown);
    } else if (isDir && there.isDirectory()) {
      // The new archive has a directory of that name too: the user's files go in one by one.
      for (const name of (await readdir(join(old, rel))).sort()) {
        const st = await lstat(join(old, rel, name));
        if (!st.isDirectory() || (await holdsAnything(join(old, rel, name)))) await place(`${rel}/${name}`, st.isDirectory());
      }
    } else if (!isDir && !there.isDirectory()) {
      plan.replaced.push(shown);
    } else {
      plan.aside.push(shown);
    }
  };
  for (const a of added) await place(a.rel, a.dir);
  return plan;
}

/** True when a file of the new tree stands where one of `rel`'s parent directories would be. */
async function blocked(fresh: string, rel: string): Promise<boolean> {
  const parts = rel.split('/');
  for (let i = 1; i < parts.length; i++) {
    const st = await lstatOrNot(join(fresh, ...parts.slice(0, i)));
    if (!st) return false;
    if (!st.isDirectory()) return true;
  }
  return false;
}

/**
 * Moves what `plan` keeps from `old` into `dir` (the new tree, now in place) and what it
 * sets aside into `plan.asideDir`. Returns false when something could not be moved: the
 * caller must then keep `old` rather than delete it.
 */
export async function applyKeep(old: string, dir: string, plan: KeepPlan): Promise<boolean> {
  let all = true;
  const move = async (rel: string, root: string): Promise<void> => {
    const r = rel.replace(/\/$/, '');
    try {
      await mkdir(dirname(join(root, r)), { recursive: true });
      await rename(join(old, r), join(root, r));
    } catch {
      all = false;
    }
  };
  for (const rel of plan.keep) await move(rel, dir);
  for (const rel of plan.aside) await move(rel, plan.asideDir);
  return all;
}

/** Up to `max` names, then how many more. */
export function nameSome(names: string[], max = 10): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')} and ${names.length - max} more`;
}

/** What --force is about to discard, or '' when nothing. */
export function describeDiscard(s: Survey, plan?: KeepPlan): string {
  const parts: string[] = [];
  if (s.modified.length) parts.push(`your changes to ${nameSome(s.modified)}`);
  if (plan?.replaced.length) parts.push(`${nameSome(plan.replaced)}, which you added and the new archive also has (replaced)`);
  return parts.join('; ');
}

/** The summary's account of a forced replacement. */
export function describeForced(s: Survey, o: KeepOutcome): string {
  const parts: string[] = [];
  const lost = describeDiscard(s, o);
  if (lost) parts.push(`--force discarded: ${lost}`);
  if (o.keep.length) parts.push(`kept what you added: ${nameSome(o.keep)}`);
  if (o.aside.length) parts.push(`moved aside to ${o.asideDir} (the new archive has a directory or file in their way): ${nameSome(o.aside)}`);
  if (o.leftAt) parts.push(`some of what you added could not be moved: the whole previous tree is kept at ${o.leftAt}`);
  return parts.join('; ');
}
