// Talking to `svn`: which URLs and revisions weft lets it see, how it runs (never prompts,
// never stores credentials, never touches the network when offline), and reading its XML.
import { exec, type ExecResult } from '../exec.js';
import type { FetcherContext } from './fetcher.js';

// svn+NAME:// runs whatever the user's config names as tunnel NAME, so only the tunnel
// every install has (ssh) is allowed; anything else is a command transport in disguise.
const SCHEMES = new Set(['file', 'http', 'https', 'svn', 'svn+ssh']);

/** Why `url` must not reach svn, or undefined when it may. */
export function svnUrlProblem(url: string): string | undefined {
  if (url.startsWith('-')) return 'it starts with "-" and would be read as an option';
  if (/[\x00-\x1f\x7f]/.test(url)) return 'it contains control characters';
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)/i.exec(url);
  if (!m) return 'it is not a URL (svn needs file:///abs/path, http(s)://, svn:// or svn+ssh://)';
  const scheme = m[1]!.toLowerCase();
  if (!SCHEMES.has(scheme)) return `the scheme "${scheme}:" is not allowed (only ${[...SCHEMES].join(', ')})`;
  // CVE-2017-9800: an svn+ssh host like "-oProxyCommand=…" became an ssh option.
  const host = m[2]!.slice(m[2]!.lastIndexOf('@') + 1);
  if (host.startsWith('-')) return 'its host starts with "-" and would be read as an ssh option';
  return undefined;
}

export type SvnRev = number | 'HEAD';

/** The revision a source asks for: the lock's, else the ref (`1234`, `r1234`, `HEAD`), else HEAD. */
export function wantedSvnRev(ref: string | undefined): SvnRev | undefined {
  const raw = (ref ?? 'HEAD').trim();
  if (/^head$/i.test(raw)) return 'HEAD';
  const m = /^r?(\d{1,15})$/.exec(raw);
  return m ? Number(m[1]) : undefined;
}

export interface SvnRunner {
  /** Runs svn; `network: true` calls are a programmer error when offline. */
  run(args: string[], network: boolean): Promise<ExecResult>;
}

export function svnRunner(ctx: FetcherContext): SvnRunner {
  const env: NodeJS.ProcessEnv = {
    ...ctx.env,
    // Only consulted by the default ssh tunnel; BatchMode makes a missing key fail, not ask.
    SVN_SSH: ctx.env.SVN_SSH ?? 'ssh -q -o BatchMode=yes --',
  };
  return {
    run(args, network) {
      if (network && ctx.offline) throw new Error(`svn ${args[0]} would use the network while offline`);
      const timeoutMs = network ? ctx.defaults.gitTimeoutMs : ctx.defaults.gitQuickTimeoutMs;
      // The user's config dir is kept on purpose: svn has no client-side hooks, and it holds
      // the proxies, CAs and stored credentials private servers need. --no-auth-cache keeps
      // weft from ever writing credentials there; --non-interactive keeps svn from asking.
      return exec('svn', [args[0]!, '--non-interactive', '--no-auth-cache', ...args.slice(1)], {
        env,
        timeoutMs,
        signal: ctx.signal,
      });
    },
  };
}

export interface SvnInfo {
  url: string;
  /** The revision the working copy (or the remote target) is at. */
  revision: number;
  /** The last revision that changed anything at or below it. */
  lastChanged: number;
  wcRoot?: string;
}

const unescape = (s: string): string =>
  s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);

export function parseSvnInfo(xml: string): SvnInfo | undefined {
  const rev = /<entry\b[^>]*\brevision="(\d+)"/.exec(xml)?.[1];
  const url = /<url>([^<]*)<\/url>/.exec(xml)?.[1];
  const last = /<commit\s+revision="(\d+)"/.exec(xml)?.[1];
  if (rev === undefined || url === undefined) return undefined;
  const root = /<wcroot-abspath>([^<]*)<\/wcroot-abspath>/.exec(xml)?.[1];
  return {
    url: unescape(url),
    revision: Number(rev),
    // A path added in its revision's own commit has no separate last change.
    lastChanged: Number(last ?? rev),
    ...(root === undefined ? {} : { wcRoot: unescape(root) }),
  };
}

export interface SvnLocalChange {
  path: string;
  /** svn's word for it: modified, unversioned, conflicted, missing, locked, … */
  what: string;
}

// Items that are not someone's work: clean, an externals root, or ignored by svn:ignore.
const CLEAN = new Set(['normal', 'none', 'external', 'ignored']);

/** Everything `svn status --xml` lists that an update could disturb. */
export function parseSvnStatus(xml: string): SvnLocalChange[] {
  const out: SvnLocalChange[] = [];
  for (const m of xml.matchAll(/<entry\s+path="([^"]*)">\s*<wc-status([^>]*)>/g)) {
    const attrs = m[2]!;
    const attr = (name: string): string | undefined => new RegExp(`\\b${name}="([^"]*)"`).exec(attrs)?.[1];
    const item = attr('item') ?? 'none';
    let what: string | undefined;
    if (!CLEAN.has(item)) what = item;
    else if (attr('props') === 'modified' || attr('props') === 'conflicted') what = `properties ${attr('props')}`;
    else if (attr('tree-conflicted') === 'true') what = 'tree-conflicted';
    else if (attr('wc-locked') === 'true') what = 'locked (interrupted; needs svn cleanup)';
    if (what) out.push({ path: unescape(m[1]!), what });
  }
  return out;
}

/** svn shows the same URL in a canonical form; compare in that form. */
export function sameSvnUrl(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

function canonical(url: string): string {
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/]*)(.*)$/i.exec(url.trim());
  if (!m) return url;
  let path = m[3]!.replace(/\/+/g, '/').replace(/\/$/, '');
  try {
    path = decodeURI(path);
  } catch {
    // Malformed escapes: compare as written.
  }
  const host = m[2]!.toLowerCase().replace(/^localhost$/, '');
  return `${m[1]!.toLowerCase()}://${host}${path}`;
}
