// Talking to `hg`: which URLs and refs weft lets it see, how it runs (no user or repository
// config, so no hooks or extensions; never prompts; never touches the network offline),
// and what a ref resolves to.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { exec, type ExecResult } from '../exec.js';
import type { FetcherContext } from './fetcher.js';

// bundle:, static-http:, union: and whatever an extension registers are left out: weft
// needs only the transports a manifest would name, and each extra one is attack surface.
const SCHEMES = new Set(['http', 'https', 'ssh', 'file']);
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/** Why `url` must not reach hg, or undefined when it may. */
export function hgUrlProblem(url: string): string | undefined {
  if (url === '') return 'it is empty';
  if (url.startsWith('-')) return 'it starts with "-" and would be read as an option';
  if (/[\x00-\x1f\x7f]/.test(url)) return 'it contains control characters';
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return undefined;
  if (!SCHEMES.has(scheme)) return `the scheme "${scheme}:" is not allowed (only ${[...SCHEMES].join(', ')}, or a plain path)`;
  // CVE-2017-1000116: an ssh host like "-oProxyCommand=…" became an ssh option.
  const authority = /^[^:]+:\/\/([^/]*)/.exec(url)?.[1] ?? '';
  if (authority.slice(authority.lastIndexOf('@') + 1).startsWith('-')) {
    return 'its host starts with "-" and would be read as an ssh option';
  }
  return undefined;
}

/** Why `ref` must not reach hg, with the error code to use, or undefined when it may. */
export function hgRefProblem(ref: string): { code: string; why: string } | undefined {
  if (ref.startsWith('-')) return { code: 'WEFT_E_HG_UNSAFE', why: 'it starts with "-" and would be read as an option' };
  if (ref === '' || /[\x00-\x1f\x7f]/.test(ref)) return { code: 'WEFT_E_HG_REF', why: 'it is empty or contains control characters' };
  // hg reads a short number as a local revision number, which differs from clone to clone
  // (and hg forbids all-digit tag and branch names, so nothing else is lost).
  if (/^\d{1,11}$/.test(ref)) {
    return { code: 'WEFT_E_HG_REF', why: 'a number is a local revision number, different in every clone; use the changeset id' };
  }
  // hg's ids for no changeset: the null revision, and the working directory itself (which
  // `hg update` took as "stay", so a lock naming it passed as "cloned at ffffffffffff").
  if (/^(?:0{40}|f{40}|0{12}|f{12})$/i.test(ref) || ['null', 'wdir()', '.'].includes(ref)) {
    return { code: 'WEFT_E_HG_REF', why: 'it names no changeset (hg\'s id for the null revision or the working directory)' };
  }
  return undefined;
}

/** Where hg should clone from: plain relative paths are relative to the manifest's directory. */
export function hgLocation(url: string, manifestDir: string): string {
  if (SCHEME.test(url) || isAbsolute(url)) return url;
  // Absolute also keeps hg from reading a bare word as a [paths] alias.
  return resolve(manifestDir, url);
}

/** hg stores the clone source without its password; compare in that form. */
export function sameHgLocation(a: string, b: string): boolean {
  return canonical(a) === canonical(b);
}

function canonical(location: string): string {
  let s = location.trim();
  if (/^file:/i.test(s)) {
    try {
      s = fileURLToPath(s.replace(/^file:(?!\/\/)/i, 'file://'));
    } catch {
      // Not a path-shaped file: URL; compare as written.
    }
  }
  s = s.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/:@]*):[^/@]*@/i, '$1@');
  return s.length > 1 ? s.replace(/\/+$/, '') : s;
}

/** The `[paths] default` of a clone, read as text so no hg (and no hgrc hook) runs for it. */
export async function hgDefaultPath(repo: string): Promise<string | undefined> {
  const text = await readFile(join(repo, '.hg', 'hgrc'), 'utf8').catch(() => '');
  let section = '';
  for (const line of text.split(/\r?\n/)) {
    const head = /^\[([^\]]+)\]/.exec(line);
    if (head) section = head[1]!.trim();
    const kv = /^([^\s=#;][^=]*?)\s*=\s*(.*)$/.exec(line);
    if (kv && section === 'paths' && kv[1] === 'default') return kv[2]!.trim();
  }
  return undefined;
}

export type HgMode = 'network' | 'local' | 'disk';

export interface HgRunner {
  /** `network` is a programmer error when offline; `disk` may write a whole tree. */
  run(args: string[], mode: HgMode): Promise<ExecResult>;
}

export function hgRunner(ctx: FetcherContext): HgRunner {
  const env: NodeJS.ProcessEnv = {
    ...ctx.env,
    HGPLAIN: '1',
    // No system or user config (hooks, extensions, aliases); HGRCSKIPREPO also skips the
    // .hg/hgrc of a repository hg opens, so cloning a hostile local path runs none of its
    // hooks. weft always names the remote itself, so it never needs [paths] from there.
    HGRCPATH: '',
    HGRCSKIPREPO: '1',
  };
  delete env.HGPLAINEXCEPT;
  return {
    run(args, mode) {
      if (mode === 'network' && ctx.offline) throw new Error(`hg ${args[0]} would use the network while offline`);
      const timeoutMs = mode === 'local' ? ctx.defaults.gitQuickTimeoutMs : ctx.defaults.gitTimeoutMs;
      const safe = ['--noninteractive', '--config', 'ui.interactive=false', '--config', 'ui.ssh=ssh -o BatchMode=yes'];
      return exec('hg', [...safe, ...args], { env, timeoutMs, signal: ctx.signal });
    },
  };
}

export interface HgResolved {
  node: string;
  /** Floating refs (branch, bookmark, tip) move with pulls; tags and changesets do not. */
  floating: boolean;
  /** The named branch, when the ref is one. */
  branch?: string;
}

/** What `ref` means in `repo` right now, without the network; undefined when unknown there. */
export async function resolveHgRef(hg: HgRunner, repo: string, ref: string): Promise<HgResolved | undefined> {
  // A quoted revset string is always one symbol: never a revset expression to evaluate.
  const symbol = `"${ref.replace(/[\\"]/g, '\\$&')}"`;
  // ':' and newlines cannot occur in hg tag, branch or bookmark names.
  const template = '{node}\n{branch}\n{join(tags, ":")}\n{join(bookmarks, ":")}\n{phase}\n';
  const res = await hg.run(['log', '-R', repo, '--limit', '1', '-r', symbol, '-T', template], 'local');
  if (res.code !== 0) return undefined;
  const [node = '', branch = '', tags = '', bookmarks = '', phase = ''] = res.stdout.split('\n');
  if (!/^[0-9a-f]{40}$/.test(node)) return undefined;
  // hg looks names up as bookmark, then tag, then branch; a hex prefix comes last.
  const kind = bookmarks.split(':').includes(ref) ? 'bookmark' : ref === 'tip' ? 'tip' : tags.split(':').includes(ref) ? 'tag' : branch === ref ? 'branch' : 'id';
  if (kind === 'tag' || kind === 'id') return { node, floating: false };
  const upstream = phase === 'public' ? undefined : await upstreamNode(hg, repo, node, kind, ref);
  const resolved: HgResolved = { node: upstream ?? node, floating: true };
  if (kind === 'branch') resolved.branch = branch;
  return resolved;
}

/** A revset string that is always `text` itself: never a pattern (re:) or an expression. */
function literal(text: string): string {
  return `"literal:${text.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * What a floating ref means upstream when in `repo` it names `node`: a changeset only
 * this clone holds (not public: the user's own commit, never pushed) is never what weft
 * moves to or locks. A branch means its newest public head, tip the newest public
 * changeset, a bookmark the newest public changeset it descends from. Undefined when
 * nothing public stands in for it (a non-publishing remote leaves everything draft).
 */
async function upstreamNode(hg: HgRunner, repo: string, node: string, kind: 'bookmark' | 'tip' | 'branch', ref: string): Promise<string | undefined> {
  const sets =
    kind === 'branch'
      ? [`max(heads(branch(${literal(ref)}) and public()) - closed())`, `max(heads(branch(${literal(ref)}) and public()))`]
      : kind === 'tip'
        ? ['max(public())']
        : [`max(ancestors(${node}) and public())`];
  for (const set of sets) {
    const res = await hg.run(['log', '-R', repo, '-r', set, '-T', '{node}'], 'local');
    const found = res.stdout.trim();
    if (res.code === 0 && /^[0-9a-f]{40}$/.test(found)) return found;
  }
  return undefined;
}
