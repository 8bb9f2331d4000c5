// vcstool / vcs2l `.repos`: `repositories: {PATH: {type, url, version}}`.
import { createCollector } from './collect.js';
import type { ConvertResult } from './types.js';
import { asMap, entries, invalid, isNull, lineOf, parseYamlInput, scalarText } from './yaml-input.js';

const HINT = 'a .repos file looks like: repositories: {src/foo: {type: git, url: https://…/foo.git, version: main}}';
const ENTRY_KEYS = new Set(['type', 'url', 'version']);

export function convertVcstool(text: string, file: string): ConvertResult {
  const input = parseYamlInput(text, file, 'the .repos file');
  const top = asMap(input, input.doc.contents, 'a .repos file', HINT);
  const out = createCollector();
  let repos;
  for (const [key, pair] of entries(top)) {
    if (key === 'repositories') repos = pair;
    else out.note(lineOf(input, pair), `top-level "${key}" not carried over (vcstool reads only "repositories")`);
  }
  if (!repos) throw invalid(input, top, 'the .repos file has no "repositories" mapping', HINT);
  if (isNull(repos.value)) return out.result();
  const map = asMap(input, repos.value, '"repositories"', HINT);
  for (const [path, pair] of entries(map)) {
    const line = lineOf(input, pair);
    const repo = asMap(input, pair.value, `repository "${path}"`, HINT);
    const field = (k: string) => {
      const p = entries(repo).find(([name]) => name === k)?.[1];
      return scalarText(input, p?.value, `"${k}" of repository "${path}"`, HINT);
    };
    for (const [k, p] of entries(repo)) {
      if (!ENTRY_KEYS.has(k)) out.note(lineOf(input, p), `"${k}" of repository "${path}" not carried over (not a vcstool field weft knows)`);
    }
    const type = field('type');
    const url = field('url');
    const version = field('version');
    if (!type) throw invalid(input, pair, `repository "${path}" has no "type"`, HINT);
    if (!url) throw invalid(input, pair, `repository "${path}" has no "url"`, HINT);
    if (type === 'git' || type === 'svn' || type === 'hg') {
      out.add({ path, line, source: { [type]: url, ref: version } });
    } else if (type === 'tar' || type === 'zip') {
      out.note(line, `repository "${path}" (type ${type}, ${url}) not carried over: weft archives need an integrity hash; add it as "archive:" with "integrity:"`);
    } else {
      out.note(line, `repository "${path}" (type ${type}) not carried over: weft fetches git, svn, hg, archives and local directories`);
    }
  }
  return out.result();
}
