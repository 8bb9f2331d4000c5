// rosinstall / wstool: a list of `{KIND: {local-name, uri, version}}`.
import { createCollector } from './collect.js';
import type { ConvertResult } from './types.js';
import { asMap, asSeq, entries, invalid, isNull, lineOf, parseYamlInput, scalarText } from './yaml-input.js';

const HINT = 'a rosinstall file is a list like: - git: {local-name: src/foo, uri: https://…/foo.git, version: main}';
const FIELDS = new Set(['local-name', 'uri', 'version']);

export function convertRosinstall(text: string, file: string): ConvertResult {
  const input = parseYamlInput(text, file, 'the rosinstall file');
  const out = createCollector();
  if (isNull(input.doc.contents)) return out.result();
  const list = asSeq(input, input.doc.contents, 'a rosinstall file', HINT);
  for (const item of list.items) {
    const entry = asMap(input, item, 'each rosinstall entry', HINT);
    const pairs = entries(entry);
    if (pairs.length !== 1) throw invalid(input, item, `a rosinstall entry has exactly one kind (git, svn, hg, bzr, tar, other, setup-file); this one has ${pairs.length}`, HINT);
    const [kind, pair] = pairs[0]!;
    const line = lineOf(input, pair);
    const spec = asMap(input, pair.value, `the "${kind}" entry`, HINT);
    const field = (k: string) => {
      const p = entries(spec).find(([name]) => name === k)?.[1];
      return scalarText(input, p?.value, `"${k}" of the "${kind}" entry`, HINT);
    };
    const localName = field('local-name');
    if (!localName) throw invalid(input, pair, `the "${kind}" entry has no "local-name"`, HINT);
    for (const [k, p] of entries(spec)) {
      if (!FIELDS.has(k)) out.note(lineOf(input, p), `"${k}" of "${localName}" not carried over (not a rosinstall field weft knows)`);
    }
    if (kind === 'git' || kind === 'svn' || kind === 'hg') {
      const uri = field('uri');
      if (!uri) throw invalid(input, pair, `the ${kind} entry "${localName}" has no "uri"`, HINT);
      out.add({ path: localName, line, source: { [kind]: uri, ref: field('version') } });
    } else if (kind === 'other') {
      out.add({ path: localName, line, source: { local: localName } });
    } else if (kind === 'tar') {
      out.note(line, `tar entry "${localName}" not carried over: weft archives need an integrity hash; add it as "archive:" with "integrity:"`);
    } else if (kind === 'setup-file') {
      out.note(line, `setup-file "${localName}" not carried over: weft writes the environment itself; put variables under "env:"`);
    } else {
      out.note(line, `${kind} entry "${localName}" not carried over: weft fetches git, svn, hg, archives and local directories`);
    }
  }
  return out.result();
}
