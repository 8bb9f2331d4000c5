// Which decoder an archive needs. The bytes decide whenever their magic number is
// conclusive: the integrity already matched, so the file is what its publisher meant, and a
// `.tar.gz` that is really a plain tar (some servers decompress on the way, some release
// scripts misname) should extract, not fail as corrupt. The manifest's `format` (or the
// URL's suffix) decides only what magic cannot tell, such as an old tar without the
// `ustar` mark.
import { open } from 'node:fs/promises';
import { WeftError } from '../../errors.js';

export type ArchiveFormat = 'tar' | 'tar.gz' | 'tar.xz' | 'tar.bz2' | 'zip';

export async function detectFormat(file: string, url: string, declared?: ArchiveFormat): Promise<ArchiveFormat> {
  const fh = await open(file, 'r');
  const head = Buffer.alloc(512);
  let n: number;
  try {
    ({ bytesRead: n } = await fh.read(head, 0, 512, 0));
  } finally {
    await fh.close();
  }
  const byMagic = fromMagic(head.subarray(0, n));
  if (byMagic) return byMagic;
  const byName = declared ?? fromName(url);
  if (byName) return byName;
  throw new WeftError('WEFT_E_ARCHIVE_UNSUPPORTED', `${url}: not a recognised archive (tar, tar.gz, tar.xz, tar.bz2, zip)`, {
    hint: 'set `format:` on the source if the file really is one of these',
  });
}

/** The format the first bytes prove, undefined when they prove none. */
export function fromMagic(b: Buffer): ArchiveFormat | undefined {
  if (b[0] === 0x1f && b[1] === 0x8b) return 'tar.gz';
  if (b.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'tar.xz';
  // A plain tar starts with its first member's name, which could read `BZh` or `PK`: the
  // ustar mark at 257 is checked before those two short magics.
  if (b.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  if (b.subarray(0, 3).toString('latin1') === 'BZh') return 'tar.bz2';
  if (b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5)) return 'zip';
  return undefined;
}

function fromName(url: string): ArchiveFormat | undefined {
  const path = url.replace(/[?#].*$/, '').toLowerCase();
  if (/\.(tar\.gz|tgz)$/.test(path)) return 'tar.gz';
  if (/\.(tar\.xz|txz)$/.test(path)) return 'tar.xz';
  if (/\.(tar\.bz2|tbz2?)$/.test(path)) return 'tar.bz2';
  if (path.endsWith('.zip')) return 'zip';
  if (path.endsWith('.tar')) return 'tar';
  return undefined;
}
