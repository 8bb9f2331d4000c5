// A fresh checkout's work tree and index written in node from the repository's objects,
// instead of a `git read-tree -u` process per source: on a warm cache that process (its
// start, its config reading) was most of the remaining cost of a new workspace.
//
// Only the plain case: regular files and directories with names git and every filesystem
// agree on, no .gitattributes (filters, eol conversion), no symlinks or submodules, a
// repository of modest size, and no user configuration that changes what checkout writes.
// Everything is read and checked before the first file is written: for anything else it
// returns false having written nothing, and git does the work.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync, type BigIntStats } from 'node:fs';
import { lstat, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FetcherContext } from '../fetcher.js';
import { once } from '../once.js';
import { settled } from './materialize.js';
import { openObjectStore, type ObjectStore } from './objects.js';
import type { Git } from './run.js';

/** Above these, git's own checkout (parallel, streaming) is the better tool. */
const MAX_PACK_BYTES = 32 * 1024 * 1024;
const MAX_FILES = 5000;
const MAX_CONTENT_BYTES = 64 * 1024 * 1024;

// Printable ASCII without the characters some filesystem or git's path checks treat
// specially (\ : ~ and the like); anything else is left to git.
const PLAIN_NAME = /^[A-Za-z0-9_+@=,%#!'()[\]{}&$^ -][A-Za-z0-9._+@=,%#!'()[\]{}&$^ -]*$|^\.[A-Za-z0-9_+@=,%#!'()[\]{}&$^-][A-Za-z0-9._+@=,%#!'()[\]{}&$^ -]*$/;

function plainName(name: string): boolean {
  if (!PLAIN_NAME.test(name) || name.endsWith('.') || name.endsWith(' ')) return false;
  const lower = name.toLowerCase();
  return lower !== '.git' && lower !== '.gitattributes';
}

/**
 * Whether the user's setup leaves checkout as plain bytes: no global or system attributes
 * file, no autocrlf/eol or other core.* setting that changes what is written. Asked once per run.
 */
export function plainCheckoutSetup(git: Git, ctx: FetcherContext): Promise<boolean> {
  return once(ctx, 'git:plain-checkout', async () => {
    const env = ctx.env;
    const home = env.HOME;
    const xdg = env.XDG_CONFIG_HOME || (home ? join(home, '.config') : undefined);
    const attributeFiles = [xdg ? join(xdg, 'git', 'attributes') : undefined, env.GIT_ATTR_NOSYSTEM ? undefined : '/etc/gitattributes'];
    if (attributeFiles.some((f) => f !== undefined && existsSync(f))) return false;
    const res = await git(['config', '--list', '-z'], { cwd: ctx.cacheDir });
    // 1 with no output: no configuration at all.
    if (res.code !== 0 && !(res.code === 1 && res.stdout === '')) return false;
    for (const item of res.stdout.split('\0')) {
      const nl = item.indexOf('\n');
      const key = (nl < 0 ? item : item.slice(0, nl)).toLowerCase();
      const value = nl < 0 ? '' : item.slice(nl + 1).toLowerCase();
      if (key === 'core.autocrlf' && (value === 'false' || value === 'input')) continue;
      if (/^core\.(autocrlf|eol|attributesfile|symlinks|filemode|ignorecase|precomposeunicode|sparsecheckout|sparsecheckoutcone|worktree|checkroundtripencoding|bare)$/.test(key)) return false;
    }
    return true;
  });
}

interface FileEntry {
  path: string;
  sha: string;
  exec: boolean;
  data: Buffer;
}

/** Reads the commit's whole tree; undefined when it is not the plain case. */
function readTree(store: ObjectStore, commit: string): { dirs: string[][]; files: FileEntry[] } | undefined {
  const c = store.read(commit);
  if (c?.type !== 'commit') return undefined;
  const m = /^tree ([0-9a-f]{40})\n/.exec(c.data.toString('latin1', 0, 64));
  if (!m) return undefined;
  const dirs: string[][] = [];
  const files: FileEntry[] = [];
  let bytes = 0;
  const walk = (sha: string, prefix: string, depth: number): boolean => {
    const t = store.read(sha);
    if (t?.type !== 'tree') return false;
    const data = t.data;
    let p = 0;
    while (p < data.length) {
      const sp = data.indexOf(0x20, p);
      const nul = data.indexOf(0, sp);
      if (sp < 0 || nul < 0 || nul + 21 > data.length) return false;
      const mode = data.toString('latin1', p, sp);
      const name = data.toString('latin1', sp + 1, nul);
      const child = data.toString('hex', nul + 1, nul + 21);
      p = nul + 21;
      if (!plainName(name)) return false;
      const path = prefix + name;
      if (mode === '40000') {
        (dirs[depth] ??= []).push(path);
        if (!walk(child, `${path}/`, depth + 1)) return false;
      } else if (mode === '100644' || mode === '100755') {
        const blob = store.read(child);
        if (blob?.type !== 'blob') return false;
        bytes += blob.data.length;
        if (files.length >= MAX_FILES || bytes > MAX_CONTENT_BYTES) return false;
        files.push({ path, sha: child, exec: mode === '100755', data: blob.data });
      } else {
        return false;
      }
    }
    return true;
  };
  return walk(m[1]!, '', 0) ? { dirs, files } : undefined;
}

function packBytes(gitDir: string): number {
  let total = 0;
  const dir = join(gitDir, 'objects', 'pack');
  for (const f of readdirSync(dir)) if (f.endsWith('.pack')) total += statSync(join(dir, f)).size;
  return total;
}

/** The index git would write for these files (version 2, no extensions). */
export function indexFile(entries: { path: string; sha: string; exec: boolean; st: BigIntStats }[]): Buffer {
  const sorted = entries.map((e) => ({ ...e, name: Buffer.from(e.path, 'latin1') })).sort((a, b) => Buffer.compare(a.name, b.name));
  const parts: Buffer[] = [];
  const head = Buffer.alloc(12);
  head.write('DIRC', 0, 'latin1');
  head.writeUInt32BE(2, 4);
  head.writeUInt32BE(sorted.length, 8);
  parts.push(head);
  const u32 = (v: bigint) => Number(BigInt.asUintN(32, v));
  for (const e of sorted) {
    const len = 62 + e.name.length;
    const b = Buffer.alloc(len + (8 - (len % 8)));
    const st = e.st;
    b.writeUInt32BE(u32(st.ctimeNs / 1_000_000_000n), 0);
    b.writeUInt32BE(u32(st.ctimeNs % 1_000_000_000n), 4);
    b.writeUInt32BE(u32(st.mtimeNs / 1_000_000_000n), 8);
    b.writeUInt32BE(u32(st.mtimeNs % 1_000_000_000n), 12);
    b.writeUInt32BE(u32(st.dev), 16);
    b.writeUInt32BE(u32(st.ino), 20);
    b.writeUInt32BE(e.exec ? 0o100755 : 0o100644, 24);
    b.writeUInt32BE(u32(st.uid), 28);
    b.writeUInt32BE(u32(st.gid), 32);
    b.writeUInt32BE(u32(st.size), 36);
    b.write(e.sha, 40, 'hex');
    b.writeUInt16BE(Math.min(e.name.length, 0xfff), 60);
    e.name.copy(b, 62);
    parts.push(b);
  }
  const body = Buffer.concat(parts);
  return Buffer.concat([body, createHash('sha1').update(body).digest()]);
}

/**
 * Writes `commit`'s tree into the empty `workTree` and its index into `gitDir`. False (and
 * nothing written) when this is not the plain case; throws when writing fails midway.
 */
export async function checkoutInNode(workTree: string, gitDir: string, commit: string): Promise<boolean> {
  if (packBytes(gitDir) > MAX_PACK_BYTES) return false;
  const store = openObjectStore(gitDir);
  if (!store) return false;
  let tree: ReturnType<typeof readTree>;
  try {
    tree = readTree(store, commit);
  } catch {
    // A corrupt or unexpected object: git reads it, and says what is wrong.
    tree = undefined;
  } finally {
    store.close();
  }
  if (!tree) return false;
  for (const level of tree.dirs) await settled(level.map((d) => mkdir(join(workTree, d))));
  const written = await settled(
    tree.files.map(async (f) => {
      const path = join(workTree, f.path);
      await writeFile(path, f.data, { mode: f.exec ? 0o777 : 0o666 });
      return { path: f.path, sha: f.sha, exec: f.exec, st: await lstat(path, { bigint: true }) };
    }),
  );
  await writeFile(join(gitDir, 'index'), indexFile(written));
  return true;
}
