// Which decoder an archive needs: the manifest's `format` wins, then the bytes' magic
// numbers (release URLs often end in neither .tar.gz nor .zip), then the URL's suffix.
import { open } from 'node:fs/promises';
import { WeftError } from '../../errors.js';

export type ArchiveFormat = 'tar' | 'tar.gz' | 'tar.xz' | 'tar.bz2' | 'zip';

export async function detectFormat(file: string, url: string, declared?: ArchiveFormat): Promise<ArchiveFormat> {
  if (declared) return declared;
  const fh = await open(file, 'r');
  const head = Buffer.alloc(512);
  let n: number;
  try {
    ({ bytesRead: n } = await fh.read(head, 0, 512, 0));
  } finally {
    await fh.close();
  }
  const b = head.subarray(0, n);
  if (b[0] === 0x1f && b[1] === 0x8b) return 'tar.gz';
  if (b.subarray(0, 6).equals(Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]))) return 'tar.xz';
  if (b.subarray(0, 3).toString('latin1') === 'BZh') return 'tar.bz2';
  if (b[0] === 0x50 && b[1] === 0x4b && (b[2] === 3 || b[2] === 5)) return 'zip';
  if (b.subarray(257, 262).toString('latin1') === 'ustar') return 'tar';
  const byName = fromName(url);
  if (byName) return byName;
  throw new WeftError('WEFT_E_ARCHIVE_UNSUPPORTED', `${url}: not a recognised archive (tar, tar.gz, tar.xz, tar.bz2, zip)`, {
    hint: 'Set `format:` on the source if the file really is one of these.',
  });
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
