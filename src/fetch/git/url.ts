// Git URL handling done before git ever runs: refusing option-like URLs and command
// transports, separating credentials from the URL, and the cache key.
import { createHash } from 'node:crypto';

export interface SplitUrl {
  /** The URL without credentials: what goes in argv, .git/config and logs. */
  url: string;
  username?: string;
  password?: string;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
// `<transport>::<address>` makes git run git-remote-<transport>; ext:: runs any command.
const TRANSPORT_PREFIX = /^[A-Za-z0-9][A-Za-z0-9+.-]*::/;

/** Why a URL is refused before git sees it, or undefined when it is acceptable. */
export function unsafeUrlReason(url: string): string | undefined {
  if (url.length === 0) return 'it is empty';
  if (url.startsWith('-')) return 'it starts with "-" and git would read it as an option';
  if (TRANSPORT_PREFIX.test(url)) return `it uses the "${url.slice(0, url.indexOf('::'))}::" transport, which runs commands`;
  if (/[\0\r\n]/.test(url)) return 'it contains control characters';
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme && !['https', 'http', 'ssh', 'git', 'file', 'git+ssh', 'ssh+git'].includes(scheme)) {
    return `its scheme "${scheme}" is not one of https, http, ssh, git, file`;
  }
  return undefined;
}

/**
 * Takes `user:password@` out of an http(s) URL; git gets them from weft's credential helper
 * instead. Other schemes keep their user (the ssh login) and lose only a password.
 */
export function splitCredentials(raw: string): SplitUrl {
  const m = SCHEME.exec(raw);
  if (!m) return { url: raw };
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { url: raw };
  }
  if (!parsed.username && !parsed.password) return { url: raw };
  const at = raw.indexOf('@', m[0].length);
  if (!/^https?$/i.test(m[1]!)) {
    // Over ssh the user is the login name (ssh://git@host/…): it stays in the URL, where
    // ssh reads it and the user pushes with it. A password has no use there; it only goes.
    if (!parsed.password) return { url: raw };
    return { url: m[0] + decodeURIComponent(parsed.username) + raw.slice(at) };
  }
  const username = decodeURIComponent(parsed.username) || undefined;
  const password = decodeURIComponent(parsed.password) || undefined;
  return { url: m[0] + raw.slice(at + 1), username, password };
}

/** The identity of a repository: lower-case scheme and host, no credentials, no trailing `/` or `.git`. */
export function normaliseUrl(raw: string): string {
  let url = splitCredentials(raw.trim()).url;
  const m = SCHEME.exec(url);
  if (m) {
    const rest = url.slice(m[0].length);
    const slash = rest.indexOf('/');
    const host = slash < 0 ? rest : rest.slice(0, slash);
    const path = slash < 0 ? '' : rest.slice(slash);
    url = `${m[1]!.toLowerCase()}://${host.toLowerCase()}${path}`;
  } else {
    // scp-like `user@host:path`
    const scp = /^([^/@:]+@)?([^/:]+):(.*)$/.exec(url);
    if (scp && !url.startsWith('/')) url = `${scp[1] ?? ''}${scp[2]!.toLowerCase()}:${scp[3]}`;
  }
  url = url.replace(/\/+$/, '');
  url = url.replace(/\.git$/, '');
  return url.replace(/\/+$/, '');
}

// mirrorKey is pure and asked several times per source on every run (the mirror's path in
// each step): normalising parses the URL, which showed in a warm up's profile.
const keys = new Map<string, string>();

/** The mirror's directory name in the cache: first 32 hex digits of sha256(normalised URL). */
export function mirrorKey(raw: string): string {
  let key = keys.get(raw);
  if (key === undefined) {
    key = createHash('sha256').update(normaliseUrl(raw)).digest('hex').slice(0, 32);
    if (keys.size >= 4096) keys.clear();
    keys.set(raw, key);
  }
  return key;
}

/** The host a URL talks to (for the per-host cap), undefined for local paths. */
export function urlHost(raw: string): string | undefined {
  const url = splitCredentials(raw).url;
  const m = SCHEME.exec(url);
  if (m) {
    if (m[1]!.toLowerCase() === 'file') return undefined;
    try {
      return new URL(url).host.toLowerCase() || undefined;
    } catch {
      return undefined;
    }
  }
  const scp = /^(?:[^/@:]+@)?([^/:]+):/.exec(url);
  return scp && !url.startsWith('/') ? scp[1]!.toLowerCase() : undefined;
}
