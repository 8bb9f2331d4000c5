// Writes that are either complete or absent: a crash mid-write must never leave a
// truncated state.json that the next run (or `weft env`) would misread. CommonJS, so that
// bin/weft.js's loader (cli/load.cts) writes its code cache with it too.
import { closeSync, fchmodSync, fsync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

export interface AtomicOptions {
  /**
   * False for a file a crash may lose but never tear (a cache the reader validates, such
   * as the plan cache): replaced by rename all the same, without the fsyncs.
   */
  durable?: boolean;
}

/** A temp file beside `file`, written and (durable) fsynced, still open; removed if writing fails. */
function stage(file: string, data: string | Uint8Array, mode: number, durable: boolean): { fd: number; tmp: string } {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${tmpSuffix()}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    fchmodSync(fd, mode); // the umask may have narrowed openSync's mode
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    if (durable) fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  return { fd, tmp };
}

/** Renames a staged file over `file`; the temp file goes if that fails. */
function publish(tmp: string, file: string): void {
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}

/**
 * Writes `data` to a temp file beside `file`, fsyncs it, renames it over `file`. Readers
 * (a hook sourcing an env file, a second weft reading state.json) see the old file or the
 * new one, never half of one. The mode is `mode`, else the existing file's (a user's
 * group-writable .gitignore stays so), else 0644.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number, opts: AtomicOptions = {}): void {
  const durable = opts.durable !== false;
  const { fd, tmp } = stage(file, data, mode ?? existingMode(file) ?? 0o644, durable);
  closeSync(fd);
  publish(tmp, file);
  if (durable) syncDir(dirname(file));
}

/** The rename is only durable once the directory entry is; best effort where dirs can't be opened. */
function syncDir(dir: string): void {
  try {
    const dfd = openSync(dir, 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    /* some filesystems refuse fsync on directories */
  }
}

/** Whether `file` already holds exactly `text` (and `mode`, if given). */
function holds(file: string, text: string, mode?: number): boolean {
  try {
    return readFileSync(file, 'utf8') === text && (mode === undefined || existingMode(file) === mode);
  } catch {
    return false; // missing or unreadable: write it
  }
}

/**
 * writeFileIfChanged for several files of one directory, renamed into place in the order
 * given. Their fsyncs run at once and the directory is synced once: one after another, the
 * ten fsyncs of the five env files every `weft up` rewrites were a visible part of its tail.
 * Returns the names it wrote.
 */
export async function writeFilesIfChanged(dir: string, files: readonly (readonly [name: string, text: string])[]): Promise<string[]> {
  const staged: { name: string; fd: number; tmp: string }[] = [];
  try {
    for (const [name, text] of files) {
      const file = join(dir, name);
      // The fsync is left to the thread pool below, all files at once.
      if (!holds(file, text)) staged.push({ name, ...stage(file, text, existingMode(file) ?? 0o644, false) });
    }
    await Promise.all(staged.map((st) => new Promise<void>((resolve, reject) => fsync(st.fd, (err) => (err ? reject(err) : resolve())))));
  } catch (err) {
    for (const st of staged) rmSync(st.tmp, { force: true });
    throw err;
  } finally {
    for (const st of staged) closeSync(st.fd);
  }
  for (const [i, st] of staged.entries()) {
    try {
      publish(st.tmp, join(dir, st.name));
    } catch (err) {
      for (const rest of staged.slice(i + 1)) rmSync(rest.tmp, { force: true });
      throw err;
    }
  }
  if (staged.length > 0) syncDir(dir);
  return staged.map((st) => st.name);
}

/**
 * writeFileAtomic, skipped when `file` already holds exactly `text` (and `mode`, if given).
 * Returns whether it wrote.
 */
export function writeFileIfChanged(file: string, text: string, mode?: number, opts: AtomicOptions = {}): boolean {
  if (holds(file, text, mode)) return false;
  writeFileAtomic(file, text, mode, opts);
  return true;
}

// Not node:crypto: loading it costs `weft env`'s fast path several milliseconds, and the
// name needs only to differ between writers ('wx' refuses a clash rather than share a file).
function tmpSuffix(): string {
  return Math.floor(Math.random() * 0x1_0000_0000).toString(16).padStart(8, '0');
}

function existingMode(file: string): number | undefined {
  try {
    return statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
}
