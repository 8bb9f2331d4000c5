// yamlLib() evaluates the yaml package's files itself (yaml-lib.ts): it must be the same
// library Node's require gives — same exports, same documents, same errors, same output.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createRequire } from 'node:module';
import { yamlLib } from '../../src/resolve/yaml-lib.js';

type Yaml = typeof import('yaml');
const byNode = createRequire(import.meta.url)('yaml') as Yaml;

const TEXTS = [
  'weft: 1\nname: lab\nvars: { tag: v1 }\nsources:\n  a:\n    git: https://example.invalid/a.git\n    ref: ${tag}\n',
  'base: &b { x: 1, y: [1, 2] }\nover:\n  <<: *b\n  y: 3\nlist:\n  - !!str 10\n  - 0x1F\n  - ~\n  - 2026-11-26\n',
  'bad: [1, 2\nnext: {a: 1\n',
  'a: 1\na: 2\n',
  '\tbad: tab\n',
  'one: 1\n---\ntwo: 2\n',
  'text: |\n  line one\n  line two\nfolded: >-\n  a\n  b\n',
];

/** Everything a reader of the document sees: the value, the errors, the warnings, the positions. */
function view(lib: Yaml, text: string): unknown {
  const lc = new lib.LineCounter();
  const doc = lib.parseDocument(text, { lineCounter: lc, prettyErrors: false, merge: true, uniqueKeys: false });
  const positions: unknown[] = [];
  lib.visit(doc, {
    Node: (_key, node) => {
      positions.push([node.range, lib.isMap(node), lib.isSeq(node), lib.isScalar(node), lib.isAlias(node)]);
    },
  });
  return {
    value: doc.toJS(),
    errors: doc.errors.map((e) => [e.code, e.message, e.pos, lc.linePos(e.pos[0])]),
    warnings: doc.warnings.map((e) => [e.code, e.message, e.pos]),
    positions,
    text: doc.errors.length ? undefined : doc.toString(),
  };
}

test('yamlLib() has exactly the exports of the yaml package', () => {
  assert.equal(Object.keys(yamlLib()).sort(), Object.keys(byNode).sort());
});

test('yamlLib() is loaded once per process, by weft and not by falling back to require', () => {
  assert.is(yamlLib(), yamlLib());
  assert.is.not(yamlLib(), byNode);
});

test('yamlLib() parses every text, good and broken, exactly as the yaml package does', () => {
  for (const text of TEXTS) assert.equal(view(yamlLib(), text), view(byNode, text), text);
});

test('yamlLib() writes YAML exactly as the yaml package does', () => {
  const value = { version: 1, sources: { a: { type: 'git', url: 'https://example.invalid/a.git', commit: 'f'.repeat(40) }, 'b-c': { ref: 'yes', n: '010' } } };
  const opts = { lineWidth: 0, indent: 2, sortMapEntries: false };
  assert.is(yamlLib().stringify(value, opts), byNode.stringify(value, opts));
});

test('nodes of yamlLib() are recognised by the yaml package and the other way round', () => {
  const ours = yamlLib().parseDocument('a: [1]\n');
  const theirs = byNode.parseDocument('a: [1]\n');
  assert.ok(byNode.isMap(ours.contents) && yamlLib().isMap(theirs.contents));
});

test.run();
