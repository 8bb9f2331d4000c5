// The one rule book for archive entries, shared by the tar and zip readers: only files
// and directories, relative names that stay inside, and caps that stop a bomb early.
// Refusals are collected so the user sees every bad entry at once, not the first.
import { WeftError } from '../../errors.js';

export type EntryKind = 'file' | 'dir' | 'symlink' | 'hardlink' | 'device' | 'fifo' | `other:${string}`;

export interface EntryLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
  maxDepth: number;
}

export class EntryPolicy {
  readonly refused: string[] = [];
  entries = 0;
  totalBytes = 0;
  /** Admitted file paths, and directory paths (named or implied by a path beneath). */
  private readonly files = new Set<string>();
  private readonly dirs = new Set<string>();

  constructor(
    private readonly url: string,
    private readonly limits: EntryLimits,
  ) {}

  /**
   * The safe relative path to extract the entry at, or undefined to leave it out
   * (refused entries are recorded). Throws a WeftError when a cap is exceeded.
   */
  admit(name: string, kind: EntryKind, size: number): string | undefined {
    if (++this.entries > this.limits.maxEntries) {
      throw this.limit(`more than ${this.limits.maxEntries} entries`, 'maxArchiveEntries');
    }
    const reason = this.check(name, kind) ?? this.clash(segments(name), kind);
    if (reason) {
      this.refused.push(`${JSON.stringify(name)} (${reason})`);
      return undefined;
    }
    if (kind === 'file') {
      if (size > this.limits.maxEntryBytes) {
        throw this.limit(`entry ${JSON.stringify(name)} is ${size} bytes, over ${this.limits.maxEntryBytes}`, 'maxEntryBytes');
      }
      this.totalBytes += size;
      if (this.totalBytes > this.limits.maxTotalBytes) {
        throw this.limit(`more than ${this.limits.maxTotalBytes} bytes once extracted`, 'maxExtractedBytes');
      }
    }
    const parts = segments(name);
    return parts.length === 0 ? undefined : parts.join('/');
  }

  private check(name: string, kind: EntryKind): string | undefined {
    if (kind !== 'file' && kind !== 'dir') return kind.startsWith('other:') ? `unsupported type ${kind.slice(6)}` : kind;
    if (name.includes('\0')) return 'NUL in name';
    // On POSIX `a\..\..\x` is one odd file name, but the same tree on Windows (or in a
    // zip written there) means a traversal; refusing is the only reading safe for both.
    if (name.includes('\\')) return 'backslash in name';
    if (name.startsWith('/')) return 'absolute path';
    if (/^[A-Za-z]:/.test(name)) return 'drive-relative path';
    const parts = segments(name);
    if (parts.includes('..')) return 'parent directory reference';
    if (parts.length > this.limits.maxDepth) return `deeper than ${this.limits.maxDepth} levels`;
    return undefined;
  }

  /**
   * A file and a directory of one name, or two files of one name: extractors disagree on
   * which wins (node-tar replaces an empty directory with the file and fails on a full one),
   * so neither does. Records the entry when it does not clash.
   */
  private clash(parts: string[], kind: EntryKind): string | undefined {
    if (parts.length === 0) return undefined;
    for (let i = 1; i < parts.length; i++) {
      const above = parts.slice(0, i).join('/');
      if (this.files.has(above)) return `inside ${JSON.stringify(above)}, which the archive also has as a file`;
    }
    const path = parts.join('/');
    if (kind === 'file' && this.files.has(path)) return 'duplicate name';
    if (kind === 'file' && this.dirs.has(path)) return 'the archive also has a directory of that name';
    if (kind === 'dir' && this.files.has(path)) return 'the archive also has a file of that name';
    for (let i = 1; i < parts.length; i++) this.dirs.add(parts.slice(0, i).join('/'));
    (kind === 'file' ? this.files : this.dirs).add(path);
    return undefined;
  }

  /** Throws WEFT_E_ARCHIVE_UNSAFE listing every refused entry, if there was any. */
  finish(): void {
    if (this.refused.length === 0) return;
    const shown = this.refused.slice(0, 20);
    const more = this.refused.length > shown.length ? `\n  … and ${this.refused.length - shown.length} more` : '';
    throw new WeftError(
      'WEFT_E_ARCHIVE_UNSAFE',
      `${this.url}: refused ${this.refused.length} unsafe entr${this.refused.length === 1 ? 'y' : 'ies'}:\n  ${shown.join('\n  ')}${more}`,
      { hint: 'weft extracts only plain files and directories inside the target; the archive must be rebuilt without these.' },
    );
  }

  private limit(what: string, setting: string): WeftError {
    return new WeftError('WEFT_E_ARCHIVE_LIMIT', `${this.url}: archive has ${what}`, {
      hint: `this looks like a decompression bomb; ${setting} is a built-in limit of weft (no setting raises it), so a genuine archive this large must be split or repacked`,
    });
  }
}

function segments(name: string): string[] {
  return name.split('/').filter((s) => s !== '' && s !== '.');
}

export function ratioError(url: string, ratio: number): WeftError {
  return new WeftError('WEFT_E_ARCHIVE_LIMIT', `${url}: expands more than ${ratio} times its compressed size`, {
    hint: `this looks like a decompression bomb; ${ratio}:1 is a built-in limit of weft (no setting raises it)`,
  });
}
