// Writes that are either complete or absent: a crash mid-write must never leave a
// truncated state.json that the next run (or `weft env`) would misread.
import { closeSync, fchmodSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

/**
 * Writes `data` to a temp file beside `file`, fsyncs it, renames it over `file`. Readers
 * (a hook sourcing an env file, a second weft reading state.json) see the old file or the
 * new one, never half of one. The mode is `mode`, else the existing file's (a user's
 * group-writable .gitignore stays so), else 0644.
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, mode?: number): void {
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.${tmpSuffix()}.tmp`);
  const finalMode = mode ?? existingMode(file) ?? 0o644;
  const fd = openSync(tmp, 'wx', finalMode);
  try {
    fchmodSync(fd, finalMode); // the umask may have narrowed openSync's mode
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  try {
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  // The rename is only durable once the directory entry is; best effort where dirs can't be opened.
  try {
    const dfd = openSync(dirname(file), 'r');
    try {
      fsyncSync(dfd);
    } finally {
      closeSync(dfd);
    }
  } catch {
    /* some filesystems refuse fsync on directories */
  }
}

/**
 * writeFileAtomic, skipped when `file` already holds exactly `text` (and `mode`, if given).
 * Returns whether it wrote.
 */
export function writeFileIfChanged(file: string, text: string, mode?: number): boolean {
  try {
    if (readFileSync(file, 'utf8') === text && (mode === undefined || existingMode(file) === mode)) return false;
  } catch {
    /* missing or unreadable: write it */
  }
  writeFileAtomic(file, text, mode);
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
