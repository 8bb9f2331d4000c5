// Which URLs a manifest may name. git, svn and hg run commands chosen by URL syntax
// (`ext::sh -c …`, `--upload-pack=…`, `ssh://-oProxyCommand=…`, CVE-2017-1000117), so
// anything that is not a plain, known transport is refused before any tool sees it.
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

export type UrlKind = 'git' | 'archive' | 'svn' | 'hg';

const SCHEMES: Record<UrlKind, readonly string[]> = {
  git: ['https', 'http', 'ssh', 'git', 'file'],
  archive: ['https', 'http', 'file'],
  svn: ['https', 'http', 'svn', 'svn+ssh', 'file'],
  hg: ['https', 'http', 'ssh', 'file'],
};

/** `relative`: the URL was a path relative to the manifest (`url` is it resolved). */
export type UrlCheck = { ok: true; url: string; relative?: boolean } | { ok: false; why: string; hint: string };

/**
 * Checks one URL and returns its canonical form: plain paths are resolved against
 * `baseDir` (the directory of the file that wrote them) — to an absolute path for git and
 * hg, to a file: URL for archives and svn, which only take URLs.
 */
export function checkUrl(kind: UrlKind, raw: string, baseDir: string): UrlCheck {
  const schemes = SCHEMES[kind];
  const allowed = `allowed: ${schemes.join(', ')} URLs${kind === 'git' ? ', `user@host:path`' : ''}, or a path relative to the manifest`;
  if (raw.trim() === '') return { ok: false, why: 'it is empty', hint: `write a URL (${allowed})` };
  if (raw.startsWith('-')) return { ok: false, why: 'it starts with `-`, so tools would read it as an option', hint: allowed };
  if (/[\x00-\x1f\x7f]/.test(raw)) return { ok: false, why: 'it contains control characters (such as a newline)', hint: 'remove them' };
  if (/^[A-Za-z][A-Za-z0-9+.-]*::/.test(raw)) {
    return { ok: false, why: 'the `transport::address` form runs helper programs (`ext::` runs any command)', hint: allowed };
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(raw)?.[1]?.toLowerCase();
  if (scheme !== undefined) {
    if (!schemes.includes(scheme)) return { ok: false, why: `the \`${scheme}:\` scheme is not allowed for ${kind} sources`, hint: allowed };
    let u: URL;
    try {
      u = new URL(raw);
    } catch {
      return { ok: false, why: 'it is not a well-formed URL', hint: 'check for stray spaces or characters that need %-encoding' };
    }
    if (u.hostname.startsWith('-') || decodeURIComponent(u.username).startsWith('-')) {
      return { ok: false, why: 'its host or user starts with `-`, which ssh reads as an option', hint: 'fix the host name' };
    }
    if (scheme !== 'file' && u.hostname === '') return { ok: false, why: 'it has no host', hint: 'write `scheme://host/path`' };
    return { ok: true, url: raw };
  }
  const scp = /^(?:([^@/:]+)@)?([^/:]+):(.*)$/.exec(raw);
  if (scp && !isAbsolute(raw)) {
    if (kind !== 'git' && kind !== 'hg') return { ok: false, why: `\`host:path\` addresses are not supported for ${kind} sources`, hint: allowed };
    if (kind === 'hg') return { ok: false, why: 'hg does not take `host:path` addresses', hint: 'write `ssh://host/path`' };
    if ((scp[1] ?? '').startsWith('-') || scp[2]!.startsWith('-')) {
      return { ok: false, why: 'its host or user starts with `-`, which ssh reads as an option', hint: 'fix the host name' };
    }
    return { ok: true, url: raw };
  }
  const abs = resolve(baseDir, raw);
  return { ok: true, url: kind === 'archive' || kind === 'svn' ? pathToFileURL(abs).href : abs, ...(isAbsolute(raw) ? {} : { relative: true }) };
}

/** The mirror rule with the longest matching prefix, if any. */
export function applyMirrors(url: string, mirrors: readonly (readonly [prefix: string, replacement: string])[]): { url: string; prefix?: string } {
  let best: readonly [string, string] | undefined;
  for (const m of mirrors) if (url.startsWith(m[0]) && (!best || m[0].length > best[0].length)) best = m;
  return best ? { url: best[1] + url.slice(best[0].length), prefix: best[0] } : { url };
}
