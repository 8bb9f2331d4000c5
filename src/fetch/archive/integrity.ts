// Integrity strings: SRI (`sha256-<base64>`, `sha512-<base64>`) as the resolver normalises
// them, and `sha256:<hex>` as people paste them from release pages.
import { WeftError } from '../../errors.js';

export interface Integrity {
  algo: 'sha256' | 'sha512';
  digest: Buffer;
  /** `<algo>-<hex>`: the cache key, safe as a file name. */
  key: string;
  /** SRI form, as shown to people and recorded as the revision. */
  sri: string;
}

const LENGTHS = { sha256: 32, sha512: 64 } as const;

export function parseIntegrity(text: string): Integrity {
  const m = /^(sha256|sha512)([-:])(.+)$/.exec(text.trim());
  let digest: Buffer | undefined;
  if (m) {
    const body = m[3]!;
    if (m[2] === ':' && /^[0-9a-f]+$/i.test(body)) digest = Buffer.from(body, 'hex');
    if (m[2] === '-' && /^[A-Za-z0-9+/]+={0,2}$/.test(body)) digest = Buffer.from(body, 'base64');
  }
  const algo = m?.[1] as Integrity['algo'] | undefined;
  if (!algo || !digest || digest.length !== LENGTHS[algo]) {
    throw new WeftError('WEFT_E_INTEGRITY_FORMAT', `invalid integrity "${text}"`, {
      hint: 'write sha256-<base64> or sha512-<base64> (SRI), or sha256:<64 hex digits>',
    });
  }
  return { algo, digest, key: `${algo}-${digest.toString('hex')}`, sri: `${algo}-${digest.toString('base64')}` };
}

export function describeDigest(algo: string, digest: Buffer): string {
  return `${algo}-${digest.toString('base64')}`;
}

/** Both forms a manifest may write, so either can be compared by eye (hex is what `sha256sum` prints). */
export function bothForms(algo: string, digest: Buffer): string {
  return `${algo}-${digest.toString('base64')} (${algo}:${digest.toString('hex')})`;
}
