// `.gitmodules`: `[submodule "NAME"] path = …, url = …, branch = …`.
import { EXIT_USAGE, WeftError } from '../../errors.js';
import { createCollector } from './collect.js';
import { parseGitConfig, type ConfigSection } from './git-config.js';
import type { ConvertOptions, ConvertResult } from './types.js';

const CARRIED = new Set(['path', 'url', 'branch', 'shallow']);
const WHY: Record<string, string> = {
  update: 'weft checks out the ref; merge/rebase policies are up to you in the checkout',
  ignore: 'weft status reports every change in a checkout',
  fetchrecursesubmodules: 'add "submodules: true" to the source if its own submodules are needed',
  active: 'every listed source is active; use groups to select some',
};

export function convertGitmodules(text: string, file: string, opts: ConvertOptions = {}): ConvertResult {
  const out = createCollector();
  let pinNoted = false;
  for (const s of mergeSubmodules(parseGitConfig(text, file))) {
    if (s.name !== 'submodule' || s.subsection === undefined) {
      out.note(s.line, `[${s.name}${s.subsection !== undefined ? ` "${s.subsection}"` : ''}] not carried over (only [submodule "…"] sections are)`);
      continue;
    }
    const name = s.subsection;
    const get = (k: string) => s.entries.filter((e) => e.key === k).at(-1)?.value;
    const path = get('path');
    const rawUrl = get('url');
    const missing = !path ? 'path' : !rawUrl ? 'url' : undefined;
    if (missing) {
      throw new WeftError('WEFT_E_CONVERT_INPUT', `submodule "${name}" has no "${missing}"`, {
        loc: { file, line: s.line, col: 1 },
        hint: `add "${missing} = …" to the [submodule "${name}"] section`,
        exitCode: EXIT_USAGE,
      });
    }
    let url = rawUrl!;
    if (/^\.\.?\//.test(url)) {
      if (opts.remote) {
        url = resolveRelativeUrl(opts.remote, url);
      } else {
        out.note(s.line, `submodule "${name}" has the relative url "${url}", kept as written (relative to weft.yaml); pass --remote URL of the superproject to resolve it`);
      }
    }
    let branch = get('branch');
    if (branch === '.') {
      out.note(s.line, `submodule "${name}" follows the superproject's branch ("branch = ."); weft uses the remote's default branch`);
      branch = undefined;
    }
    const shallow = get('shallow');
    for (const e of s.entries) {
      if (!CARRIED.has(e.key)) out.note(e.line, `"${e.key}" of submodule "${name}" not carried over: ${WHY[e.key] ?? 'not a submodule setting weft knows'}`);
    }
    if (!pinNoted) {
      out.note(s.line, 'submodule commits are recorded in the superproject, not in .gitmodules; weft follows each branch and pins what it checked out in weft.lock');
      pinNoted = true;
    }
    out.add({
      preferred: name.includes('/') ? undefined : name,
      path: path!,
      line: s.line,
      source: { git: url, ref: branch, depth: shallow === 'true' ? 1 : undefined },
    });
  }
  return out.result();
}

/**
 * git reads all sections of one name as one (`submodule.a.url` is found in whichever
 * `[submodule "a"]` holds it), as a hand-merged .gitmodules or `git config -f` appending
 * may leave them: each submodule once, where it first appears, its entries in file order.
 */
function mergeSubmodules(sections: ConfigSection[]): ConfigSection[] {
  const out: ConfigSection[] = [];
  const seen = new Map<string, ConfigSection>();
  for (const s of sections) {
    const first = s.name === 'submodule' && s.subsection !== undefined ? seen.get(s.subsection) : undefined;
    if (first) {
      first.entries.push(...s.entries);
      continue;
    }
    const copy = { ...s, entries: [...s.entries] };
    if (s.name === 'submodule' && s.subsection !== undefined) seen.set(s.subsection, copy);
    out.push(copy);
  }
  return out;
}

/** Resolves a submodule's `../x` or `./x` URL against the superproject's remote, as git does. */
export function resolveRelativeUrl(remote: string, rel: string): string {
  let base = remote.replace(/\/+$/, '');
  let rest = rel;
  for (;;) {
    if (rest.startsWith('./')) rest = rest.slice(2);
    else if (rest.startsWith('../')) {
      rest = rest.slice(3);
      base = parent(base, remote, rel);
    } else break;
  }
  return base.endsWith(':') ? base + rest : `${base}/${rest}`;
}

function parent(base: string, remote: string, rel: string): string {
  const slash = base.lastIndexOf('/');
  const colon = base.lastIndexOf(':');
  const schemeSlashes = /^[a-z][a-z0-9+.-]*:\/\/[^/]*$/i.test(base);
  if (slash > colon && !schemeSlashes) return base.slice(0, slash);
  if (colon > 0 && !base.includes('://') && colon < base.length - 1) return base.slice(0, colon + 1);
  throw new WeftError('WEFT_E_USAGE', `cannot resolve "${rel}" against --remote ${remote}: it goes above the host`, {
    hint: 'pass the superproject\'s full remote URL, e.g. --remote https://github.com/ORG/PROJECT.git',
  });
}
