// Reading a repository's HEAD, refs and origin URL straight from disk: a no-op `weft up`
// over 50 sources must not spawn 50×N git processes just to learn nothing changed.
// Anything unusual (reftable, symbolic chains) returns undefined and callers ask git.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

const SHA = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/**
 * A file's text, undefined when it is not there. Asked first, not caught: most files read
 * here are usually absent (commondir; a loose ref that is packed), and a thrown ENOENT
 * costs a stack trace, many times per source on every run.
 */
export function readText(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** The .git directory of a working tree (following a `gitdir:` file), or undefined. */
export function gitDirOf(workTree: string): string | undefined {
  const dotGit = join(workTree, '.git');
  try {
    const st = statSync(dotGit);
    if (st.isDirectory()) return existsSync(join(dotGit, 'HEAD')) ? dotGit : undefined;
    if (st.isFile()) {
      const m = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
      if (!m) return undefined;
      const dir = isAbsolute(m[1]!) ? m[1]! : resolve(workTree, m[1]!);
      return existsSync(join(dir, 'HEAD')) ? dir : undefined;
    }
  } catch {
    /* not there */
  }
  return undefined;
}

/**
 * What a git dir's refs are, per path, as first seen: where they live (a linked worktree's
 * shared dir, or the git dir itself) and whether they are a reftable. Neither changes over
 * a repository's life (git writes a worktree's commondir as it makes the worktree, and
 * picks the ref format at init), and a warm `weft up` asked both ~10 times per source:
 * 500 file probes of 1450 in a run of 50 sources.
 */
interface RefStore {
  common: string;
  reftable?: boolean;
}

const stores = new Map<string, RefStore>();

function storeOf(gitDir: string): RefStore {
  let store = stores.get(gitDir);
  if (store === undefined) {
    const rel = readText(join(gitDir, 'commondir'))?.trim();
    store = { common: rel === undefined ? gitDir : isAbsolute(rel) ? rel : resolve(gitDir, rel) };
    if (stores.size >= 4096) stores.clear();
    stores.set(gitDir, store);
  }
  return store;
}

/** Whether the refs are a reftable; kept once the repository is there (a path probed before git made it is no store yet). */
function reftable(store: RefStore): boolean {
  if (store.reftable !== undefined) return store.reftable;
  if (existsSync(join(store.common, 'reftable'))) return (store.reftable = true);
  if (existsSync(join(store.common, 'HEAD'))) store.reftable = false;
  return false;
}

/** Where refs live: a linked worktree's shared dir, or the git dir itself. */
function commonDir(gitDir: string): string {
  return storeOf(gitDir).common;
}

export interface Head {
  /** Branch name when HEAD is a branch (without refs/heads/). */
  branch?: string;
  /** Commit HEAD points at; undefined for an unborn branch or when unreadable here. */
  commit?: string;
}

export function readHead(gitDir: string): Head | undefined {
  let text: string;
  try {
    text = readFileSync(join(gitDir, 'HEAD'), 'utf8').trim();
  } catch {
    return undefined;
  }
  if (SHA.test(text)) return { commit: text };
  const m = /^ref:\s*(refs\/heads\/.+)$/.exec(text);
  if (!m) return undefined;
  return { branch: m[1]!.slice('refs/heads/'.length), commit: readRef(gitDir, m[1]!)?.commit };
}

export interface RefValue {
  /** What the ref points at (a tag object for annotated tags). */
  commit: string;
  /** The commit an annotated tag peels to, when packed-refs records it. */
  peeled?: string;
}

/**
 * packed-refs as parsed, per file, with the stat it was read at. A run reads a mirror's
 * several times (its check, the commit asked for, its branches, its tags, the new
 * checkout's refs); git replaces the file by renaming a new one over it, so the same
 * inode, size and times mean the same text.
 */
const packedSeen = new Map<string, { stamp: string; refs: ReadonlyMap<string, Readonly<RefValue>> }>();

function packedRefs(dir: string): ReadonlyMap<string, Readonly<RefValue>> {
  const path = join(dir, 'packed-refs');
  const out = new Map<string, RefValue>();
  let stamp: string | undefined;
  let text: string;
  try {
    // The stat is also the existence check (a no-op run reads each checkout's once).
    const st = statSync(path, { bigint: true, throwIfNoEntry: false });
    if (!st) return out;
    stamp = `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    const seen = packedSeen.get(path);
    if (seen?.stamp === stamp) return seen.refs;
    text = readFileSync(path, 'utf8');
  } catch {
    return out;
  }
  let last: RefValue | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('^') && last) {
      last.peeled = line.slice(1).trim();
      continue;
    }
    const m = /^([0-9a-f]{40,64}) (.+)$/.exec(line);
    if (m) {
      last = { commit: m[1]! };
      out.set(m[2]!, last);
    } else {
      last = undefined;
    }
  }
  packedSeen.set(path, { stamp, refs: out });
  return out;
}

/** A fully qualified ref (refs/…), loose first then packed; undefined when absent. */
export function readRef(gitDir: string, ref: string, depth = 0): RefValue | undefined {
  if (depth > 5) return undefined;
  const dir = ref.startsWith('refs/') ? commonDir(gitDir) : gitDir;
  const loose = readText(join(dir, ref))?.trim();
  if (loose !== undefined) {
    if (SHA.test(loose)) return { commit: loose };
    const m = /^ref:\s*(refs\/.+)$/.exec(loose);
    return m ? readRef(gitDir, m[1]!, depth + 1) : undefined;
  }
  return packedRefs(dir).get(ref);
}

/** The symbolic target of a symref file such as refs/remotes/origin/HEAD or a bare repo's HEAD. */
export function readSymref(gitDir: string, ref: string): string | undefined {
  const dir = ref.startsWith('refs/') ? commonDir(gitDir) : gitDir;
  const text = readText(join(dir, ref));
  return text === undefined ? undefined : /^ref:\s*(refs\/.+)$/.exec(text.trim())?.[1];
}

/** remote.origin.url from .git/config (last value wins, as in git). */
export function readOriginUrl(gitDir: string): string | undefined {
  let text: string;
  try {
    text = readFileSync(join(commonDir(gitDir), 'config'), 'utf8');
  } catch {
    return undefined;
  }
  let inOrigin = false;
  let url: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const section = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (section) {
      inOrigin = section[1]!.toLowerCase() === 'remote' && section[2] === 'origin';
      continue;
    }
    const kv = /^url\s*=\s*(.*)$/i.exec(line);
    if (inOrigin && kv) url = kv[1]!.replace(/^"(.*)"$/, '$1');
  }
  return url;
}

/**
 * Every ref under `prefix` (e.g. "refs/heads/"), loose ones winning over packed-refs as in
 * git; symbolic refs are left out. Undefined when the store is one this reader does not
 * know (reftable), so callers fall back to git.
 */
export function listRefs(gitDir: string, prefix: string): Map<string, RefValue> | undefined {
  const store = storeOf(gitDir);
  const dir = store.common;
  if (reftable(store)) return undefined;
  const out = new Map<string, RefValue>();
  for (const [name, value] of packedRefs(dir)) if (name.startsWith(prefix)) out.set(name, value);
  const walk = (rel: string): boolean => {
    let names: string[];
    try {
      // A mirror weft built has its refs packed: refs/tags/ and the like are often absent.
      if (!existsSync(join(dir, rel))) return true;
      names = readdirSync(join(dir, rel));
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'ENOENT';
    }
    for (const name of names) {
      const ref = `${rel}/${name}`;
      let text: string;
      try {
        if (statSync(join(dir, ref)).isDirectory()) {
          if (!walk(ref)) return false;
          continue;
        }
        text = readFileSync(join(dir, ref), 'utf8').trim();
      } catch {
        // Deleted while we looked (a concurrent prune): it is simply not there.
        continue;
      }
      // A ref being written right now (name.lock) is not a ref yet.
      if (name.endsWith('.lock')) continue;
      if (SHA.test(text)) out.set(ref, { commit: text });
    }
    return true;
  };
  return walk(prefix.replace(/\/$/, '')) ? out : undefined;
}
