// Makes an extracted tree durable before it is published in the cache. The rename that
// publishes an entry can reach the disk before the files' data does: after a power loss
// the entry would be there, complete by name, with empty or torn files, and every later
// `weft up` would copy it into workspaces (only `weft cache verify` reads the contents).
// So every file and directory is fsynced first, as git's index-pack does for a pack.
import { lstat, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { exec } from '../../exec.js';

/** How many fsyncs are in flight at once (node's thread pool has four threads). */
const PARALLEL = 8;

/** fsyncs every regular file and directory under `root` (symlinks have no data of their own). */
export async function syncTree(root: string): Promise<void> {
  const dirs: string[] = [];
  const files: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    dirs.push(dir);
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) await walk(path);
      else if (e.isFile()) files.push(path);
    }
  };
  if (!(await lstat(root)).isDirectory()) return;
  await walk(root);
  let unreadable = false;
  const syncFile = async (path: string): Promise<void> => {
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (err) {
      // A file the archive made unreadable (mode 0200, say) cannot be opened to fsync.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'EACCES' && code !== 'EPERM') throw err;
      unreadable = true;
      return;
    }
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  };
  const jobs = [...files.map((f) => () => syncFile(f)), ...dirs.map((d) => () => syncDir(d))];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, jobs.length) }, worker));
  // Those are flushed with everything else: `sync` (every filesystem), rarely needed.
  if (unreadable) await exec('sync', []);
}

/** fsyncs one directory (its entries, e.g. a rename into it); best effort where that is refused. */
export async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    /* some filesystems refuse fsync on directories */
  } finally {
    await handle.close();
  }
}
