// Archive integrity strings and archive formats.
import { ARCHIVE_FORMATS, type ArchiveFormat } from './keys.js';

export type IntegrityCheck = { ok: true; sri: string } | { ok: false; why: string };

const DIGEST_BYTES: Record<string, number> = { sha256: 32, sha512: 64 };
export const INTEGRITY_HINT =
  'write `sha256-<base64>` or `sha512-<base64>` (SRI), or `sha256:<64 hex digits>`; e.g. `sha256sum FILE` gives the hex';

/** Validates and normalises to SRI (`sha256-<base64>`). */
export function normaliseIntegrity(raw: string): IntegrityCheck {
  const s = raw.trim();
  const hex = /^sha256:([0-9a-fA-F]*)$/.exec(s);
  if (hex) {
    if (hex[1]!.length !== 64) return { ok: false, why: `a sha256 hex digest has 64 digits, this one has ${hex[1]!.length}` };
    return { ok: true, sri: `sha256-${Buffer.from(hex[1]!, 'hex').toString('base64')}` };
  }
  const sri = /^(sha[0-9]+)-(.*)$/.exec(s);
  if (!sri) return { ok: false, why: 'it is neither an SRI hash (`sha256-…`) nor `sha256:<hex>`' };
  const [, algo, b64] = sri as unknown as [string, string, string];
  const want = DIGEST_BYTES[algo];
  if (want === undefined) return { ok: false, why: `\`${algo}\` is not supported; use sha256 or sha512` };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return { ok: false, why: 'the digest is not valid base64' };
  const bytes = Buffer.from(b64, 'base64');
  if (bytes.length !== want) return { ok: false, why: `a ${algo} digest is ${want} bytes, this one decodes to ${bytes.length}` };
  return { ok: true, sri: `${algo}-${bytes.toString('base64')}` };
}

const EXTENSIONS: readonly (readonly [string, ArchiveFormat])[] = [
  ['.tar.gz', 'tar.gz'],
  ['.tgz', 'tar.gz'],
  ['.tar.xz', 'tar.xz'],
  ['.txz', 'tar.xz'],
  ['.tar.bz2', 'tar.bz2'],
  ['.tbz2', 'tar.bz2'],
  ['.tbz', 'tar.bz2'],
  ['.tar', 'tar'],
  ['.zip', 'zip'],
];

/** The format named by the URL's file extension (query and fragment ignored). */
export function formatFromUrl(url: string): ArchiveFormat | undefined {
  const path = url.replace(/[?#].*$/, '').toLowerCase();
  return EXTENSIONS.find(([ext]) => path.endsWith(ext))?.[1];
}

export function isArchiveFormat(s: string): s is ArchiveFormat {
  return (ARCHIVE_FORMATS as readonly string[]).includes(s);
}
