// Redirects are followed by hand so that each hop is checked: a downgrade from https to
// http would let anyone on the path swap the bytes (integrity still catches it, but the
// credentials sent along would already be gone).
import { WeftError } from '../../errors.js';

export const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface Hop {
  url: URL;
  headers: Record<string, string>;
}

/** The next request after a redirect from `from` to `location`, or a WeftError. */
export function nextHop(from: Hop, location: string | undefined, original: string): Hop {
  if (!location) {
    throw new WeftError('WEFT_E_DOWNLOAD_REDIRECT', `${original}: redirect from ${from.url.href} has no Location`, {
      hint: 'the server answered a redirect without saying where to; try the final URL directly',
    });
  }
  let url: URL;
  try {
    url = new URL(location, from.url);
  } catch {
    throw new WeftError('WEFT_E_DOWNLOAD_REDIRECT', `${original}: redirect to an invalid URL (${location})`, {
      hint: 'use the final download URL in the manifest',
    });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new WeftError('WEFT_E_DOWNLOAD_REDIRECT', `${original}: redirect to unsupported scheme ${url.protocol}`, {
      hint: 'only http and https redirects are followed',
    });
  }
  if (from.url.protocol === 'https:' && url.protocol === 'http:') {
    throw new WeftError('WEFT_E_DOWNLOAD_REDIRECT', `${original}: refused redirect from https to http (${url.href})`, {
      hint: 'a downgrade to plain http is never followed; ask the server owner to fix it or use another mirror',
    });
  }
  const headers = { ...from.headers };
  if (url.origin !== from.url.origin) delete headers.authorization;
  return { url, headers };
}

/** Moves `user:pass@` from the URL into an Authorization header (undici refuses userinfo). */
export function firstHop(raw: string): Hop {
  const url = new URL(raw);
  const headers: Record<string, string> = {};
  if (url.username || url.password) {
    const user = decodeURIComponent(url.username);
    const pass = decodeURIComponent(url.password);
    headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  return { url, headers };
}
