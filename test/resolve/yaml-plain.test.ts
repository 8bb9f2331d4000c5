// weft's reader for plain YAML (yaml-plain.ts) must either give up or make exactly what the
// yaml library makes: same node kinds, values, types, source texts, positions (every node's
// start, every scalar's end) and line starts — checked on every manifest in the repository,
// on variations of them, on hand-picked edge cases and on thousands of generated texts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Document, Node } from 'yaml';
import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument } from '../../src/resolve/yaml-api.js';
import { readPlainYaml } from '../../src/resolve/yaml-plain.js';
import { repoRoot as root } from '../helpers/cli.js';


/** What weft's readers see of a node (yaml-nodes.ts, vars.ts, load.ts). */
function view(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  if (isPair(node)) return { key: view(node.key), value: view(node.value) };
  if (isAlias(node)) return { alias: node.source };
  if (isMap(node) || isSeq(node)) {
    return { kind: isMap(node) ? 'map' : 'seq', flow: !!node.flow, start: node.range?.[0], items: node.items.map(view) };
  }
  if (isScalar(node)) {
    const v = node.value;
    return { kind: typeof v, value: typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v, type: node.type, source: node.source, format: node.format, range: node.range?.slice(0, 2) };
  }
  return { other: String(node) };
}

function byLibrary(text: string): { doc: Document.Parsed; lines: number[] } {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, merge: true, uniqueKeys: false });
  return { doc, lines: lc.lineStarts };
}

/** Whether the plain reader took `text`; throws when it took it and made something else. */
function check(text: string): boolean {
  const lc = new LineCounter();
  const fast = readPlainYaml(text, lc);
  if (!fast) {
    assert.equal(lc.lineStarts, [], 'a text given up on leaves the line counter untouched');
    return false;
  }
  const lib = byLibrary(text);
  assert.equal(lib.doc.errors.map((e) => e.message), [], `the library finds errors in a text the plain reader took:\n${text}`);
  assert.equal(view(fast.contents as Node), view(lib.doc.contents as Node), text);
  assert.equal(lc.lineStarts, lib.lines, `line starts of:\n${text}`);
  assert.equal(fast.toJS(), lib.doc.toJS(), text);
  return true;
}

function repositoryManifests(): [string, string][] {
  const out: [string, string][] = [];
  for (const dir of ['manifests', 'templates']) {
    for (const name of readdirSync(join(root, dir))) {
      if (name.endsWith('.yaml')) out.push([`${dir}/${name}`, readFileSync(join(root, dir, name), 'utf8')]);
    }
  }
  return out;
}

test('every manifest in the repository is read by the plain reader, as the library reads it', () => {
  const files = repositoryManifests();
  assert.ok(files.length >= 5, 'the repository has its manifests and templates');
  for (const [name, text] of files) assert.ok(check(text), `${name} is plain YAML and should be taken`);
});

test('variations of those manifests: comments, blank lines, spaces, indentation, no final newline', () => {
  const variants = (t: string): string[] => [
    t.replace(/^( *)([A-Za-z_][\w.-]*:.*\S)$/gm, '$1$2   # note'),
    t.replace(/\n/g, '\n\n'),
    t.replace(/\n/g, '\n   # between\n'),
    t.replace(/\n/g, '\n# at column 0\n'),
    t.replace(/^( +)/gm, '$1$1'),
    t.replace(/ +$/gm, '').replace(/\n+$/, ''),
    t.replace(/([^ \n])$/gm, '$1  '),
    t.replace(/^#.*\n/gm, ''),
    t.replace(/: (\S[^#\n]*?)$/gm, ': "$1"'),
    t.replace(/: (\S[^#\n']*?)$/gm, ": '$1'"),
  ];
  let taken = 0;
  let all = 0;
  for (const [, text] of repositoryManifests()) {
    for (const v of variants(text)) {
      all++;
      if (check(v)) taken++;
    }
  }
  // Most variations are still plain; a reader that gave up on all of them would test nothing.
  assert.ok(taken > all / 2, `the plain reader took ${taken} of ${all} variations`);
});

test('edge cases: each is either read as the library reads it, or given up on', () => {
  const taken = [
    'a: 1\n',
    'a: 1',
    'a:\n',
    'a:   \nb: 2\n',
    'a: # only a comment\nb: ~\nc: null\nd: NULL\ne: Null\n',
    'a: true\nb: False\nc: TRUE\nd: yes\ne: no\nf: on\n',
    'a: 0\nb: 123456789012345\n',
    'a: "x\\"y\\\\z\\/w\\n\\t"\nb: \'it\'\'s\'\n',
    'a: []\nb: [ ]\nc: [x]\nd: [ x , "y" ,\'z\' ]  # c\ne: [a b, c]\n',
    'list:\n- a\n- b\nmap:\n  k: v\n',
    'list:\n  - a: 1\n    b: 2\n  - c\n  -   d: 3\n      e: 4\n',
    'a:\n  b:\n    c:\n      d: deep\n  e: back\nf: top\n',
    'url: https://example.com/a.git#frag\npath: ${x}/y\nt: a#b\n',
    'k: v # c\n# trailing\n\n',
    'a: x y z\nb: caf\u00e9 \u00fcber\n',
    'a.b/c-d_e: 1\n_x: 2\n',
    'a: x\na: y\n',
    'sources: {}\nenv: { }  # none\n',
    'ref: 3f2a9c0d1e2b3a4958675a6b7c8d9e0f1a2b3c4d\nv: 1.4.0\nw: 2fa\nx: 0x1g\ny: 12abc\nz: ~/src\n',
    'run: ./configure --prefix="$PWD/_build" && make\n',
  ];
  const refused = [
    '',
    '# only comments\n',
    '- a\n- b\n',
    ' a: 1\n',
    'a: &x 1\nb: *x\n',
    'a: !!str 1\n',
    'base: {x: 1}\n',
    'a: [1, [2]]\n',
    'a: [1, 2,]\n',
    'a: |\n  text\n',
    'a: >\n  text\n',
    'a: "x\\e"\n',
    'a: "x\\u0041"\n',
    'a: "unclosed\n  still"\n',
    'a: plain\n  continued\n',
    'a: 1.10\n',
    'a: 0x1f\n',
    'a: -3\n',
    'a: .inf\n',
    'a: .5\n',
    'a: +1\n',
    'a: -.inf\n',
    'a: 012\n',
    'a: 1e5\n',
    'a: 0o17\n',
    'a: 3e10\n',
    'a: <<\n',
    'a: 1234567890123456\n',
    '"a": 1\n',
    '? a\n: 1\n',
    'a:b\n',
    'a: b: c\n',
    'a: b:\n',
    '---\na: 1\n',
    'a: 1\n...\n',
    '%YAML 1.2\n---\na: 1\n',
    'a: 1\r\n',
    'a:\t1\n',
    'a: \x1b[31m\n',
    '<<: {a: 1}\n',
    'true: 1\n',
    'a:\n  - b\n  c: 1\n',
    'a:\n    b: 1\n  c: 2\n',
    'a:\n-\n  b: 1\n',
    'a:\n- - b\n',
    'a: - b\n',
    'a: "x"#c\n',
    'a: [x]y\n',
    'a: @x\n',
  ];
  for (const t of taken) assert.ok(check(t), `should be taken: ${JSON.stringify(t)}`);
  for (const t of refused) assert.not.ok(check(t), `should be given up on: ${JSON.stringify(t)}`);
});

test('generated texts: whatever the plain reader takes, it reads as the library does', () => {
  let seed = 0x5eed;
  const rand = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return (seed >>> 8) % n;
  };
  const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
  const KEYS = ['a', 'b', 'git', 'ref', 'name', 'PATH', 'x-y', 'a.b', '_k', 'true', 'null', '1', '<<', '"q"', 'a b'];
  const SCALARS = [
    'main', 'v1.0', '1', '0', '1.10', '-1', '+1', '0x10', '012', '~', 'null', 'Null', 'true', 'False', 'yes', '.nan', '.inf',
    '${x}/y', 'https://h/p.git', 'a#b', 'a #b', 'a: b', 'a:', ':a', '-a', '- a', '"q"', '"a\\"b"', '"a\\x41"', "'it''s'", "'open",
    '[a, b]', '[]', '[ "x" , y ]', '[a, [b]]', '{a: 1}', '&x a', '*x', '!t a', '|', '>-', '@a', '`a', 'a  ', 'caf\u00e9', '',
  ];
  const COMMENTS = ['', '', '', ' # c', '  #c', '#c', ' #'];
  // Half the texts use only what a plain manifest holds, so many are taken and compared.
  const TAME_KEYS = ['a', 'b', 'git', 'ref', 'name', 'PATH', 'x-y', 'a.b', '_k', 'src/p'];
  const TAME_SCALARS = ['main', 'v1.0', '1', '0', '3f2a9c0d1e2b3a4958675a6b7c8d9e0f1a2b3c4d', '1.4.0', '1e5', '2fa', '0o7', '~/x', '12.5', '~', 'null', 'true', 'FALSE', '${x}/y', 'https://h/p.git', 'a#b', '"q"', '"a\\"b\\n"', "'it''s'", '[a, b]', '[]', '[ "x" , y ]', '{}', 'caf\u00e9', 'a  ', './x --y="$Z"', 'yes'];
  let tame = false;
  const gen = (depth: number, indent: number, out: string[]): void => {
    const n = 1 + rand(4);
    const asList = depth > 0 && rand(4) === 0;
    for (let i = 0; i < n; i++) {
      if (rand(6) === 0) out.push(pick(['', ' '.repeat(rand(6)) + '# note', '   ']));
      const pad = ' '.repeat(indent);
      const head = asList ? `${pad}- ` : pad;
      const key = pick(tame ? TAME_KEYS : KEYS);
      const value = (): string => pick(tame ? TAME_SCALARS : SCALARS);
      if (asList && rand(2) === 0) {
        out.push(`${head}${value()}${pick(COMMENTS)}`);
      } else if (depth < 3 && rand(3) === 0) {
        out.push(`${head}${key}:${pick(COMMENTS)}`);
        const step = pick([2, 2, 4, 1, 0]);
        gen(depth + 1, indent + (asList ? 2 : 0) + step, out);
      } else {
        out.push(`${head}${key}: ${value()}${pick(COMMENTS)}`);
      }
    }
  };
  let taken = 0;
  const count = 3000;
  for (let i = 0; i < count; i++) {
    const lines: string[] = [];
    tame = i % 2 === 0;
    gen(0, 0, lines);
    const text = lines.join('\n') + (rand(5) === 0 ? '' : '\n');
    if (check(text)) taken++;
  }
  assert.ok(taken > count / 4, `the plain reader took ${taken} of ${count} generated texts`);
});

test.run();
