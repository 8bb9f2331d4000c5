// schema/weft.schema.json against every manifest the project ships, the starters, the
// converters' output, and manifests it must refuse; checked with the small hand-written
// checker in test/helpers/schema-check.ts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { detectAndConvert, renderManifest } from '../src/resolve/convert/index.js';
import { SCHEMA_VERSION } from '../src/resolve/index.js';
import { checkSchema, type Schema } from './helpers/schema-check.js';
import { testWorkspace } from './helpers/manifest.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const schema = JSON.parse(readFileSync(join(root, 'schema', 'weft.schema.json'), 'utf8')) as Schema;
const yamlFiles = (dir: string) => readdirSync(join(root, dir)).filter((f) => /\.ya?ml$/.test(f)).map((f) => join(dir, f));
const problems = (value: unknown) => checkSchema(schema, value).map((p) => `${p.path}: ${p.message}`);

test('the schema declares draft 2020-12', () => {
  assert.is(schema['$schema'], 'https://json-schema.org/draft/2020-12/schema');
});

test('every manifest under manifests/ and templates/ is valid', () => {
  const files = [...yamlFiles('manifests'), ...yamlFiles('templates')];
  assert.ok(files.includes('templates/weft.yaml') && files.includes('manifests/demo.yaml'), files.join(' '));
  for (const f of files) assert.equal(problems(parse(readFileSync(join(root, f), 'utf8'))), [], f);
});

test('every template points editors at the schema on its first line', () => {
  for (const f of yamlFiles('templates')) {
    assert.is(readFileSync(join(root, f), 'utf8').split('\n')[0], '# yaml-language-server: $schema=../schema/weft.schema.json', f);
  }
});

test('the full manifest of the design is valid', () => {
  const full = {
    weft: 1,
    name: 'divmod-lab',
    root: '.',
    vars: { gh: 'https://github.com' },
    sources: {
      twisted: {
        git: '${gh}/twisted/twisted.git', ref: 'trunk', path: 'Twisted', depth: 1, submodules: false, groups: ['core'],
        env: { PYTHONPATH: 'src', PATH: 'bin' },
      },
      epsilon: {
        git: '${gh}/twisted/epsilon.git', ref: '0.8.0', depends: ['twisted'], env: { PYTHONPATH: '.' },
        setup: [{ run: 'python3 setup.py build_ext -i', when: 'changed' }, 'make'],
      },
      nevow: { archive: 'https://example.org/Nevow-0.14.5.tar.gz', integrity: `sha256-${'A'.repeat(43)}=`, strip: 1, format: 'tar.gz' },
      nevow2: { archive: 'https://example.org/n.zip', integrity: `sha256:${'ab'.repeat(32)}` },
      mylib: { local: '../mylib', env: { LIB: { set: 'x' } } },
      docs: { svn: 'https://svn.example.org/docs/trunk', ref: '1234', setup: 'make docs' },
      hgrepo: { hg: 'https://hg.example.org/r', ref: 'default' },
    },
    include: ['./base.weft.yaml'],
    import: [{ from: 'epsilon', file: 'weft.yaml', only: ['axiom'] }],
    env: {
      PATH: 'tools/bin',
      MANPATH: { append: ['share/man'] },
      CLASSPATH: { prepend: 'lib' },
      NODE_PATH: ['a', 'b'],
      DJANGO_SETTINGS_MODULE: 'lab.settings',
      PYTHONSTARTUP: { unset: true },
    },
    requires: { git: '>=2.30', python3: '>=3.9' },
    mirrors: { 'https://github.com/': 'https://git.internal.example/mirror/' },
  };
  assert.equal(problems(full), []);
});

test('what the converters write is valid', () => {
  for (const name of ['ros2.repos', 'classic.rosinstall', 'west.yml', 'gitmodules']) {
    const path = join(root, 'test/fixtures/convert', name);
    const r = detectAndConvert(path, readFileSync(path, 'utf8'), { remote: 'https://h/o/app.git' });
    assert.equal(problems(parse(renderManifest(r.manifest))), [], name);
  }
});

const refused: Array<[string, unknown, RegExp]> = [
  ['an unknown top-level key', { weft: 1, sorces: {} }, /unknown key "sorces"/],
  ['a source with two kinds', { weft: 1, sources: { a: { git: 'u', svn: 'v' } } }, /matches none of oneOf/],
  ['a source with no kind', { weft: 1, sources: { a: { ref: 'main' } } }, /matches none of oneOf/],
  ['an archive without integrity', { weft: 1, sources: { a: { archive: 'https://h/a.tgz' } } }, /missing "integrity"/],
  ['a malformed integrity', { weft: 1, sources: { a: { archive: 'u', integrity: 'md5-abc' } } }, /does not match/],
  ['a git-only field on svn', { weft: 1, sources: { a: { svn: 'u', depth: 1 } } }, /unknown key "depth"/],
  ['a bad source name', { weft: 1, sources: { '-x': { local: '.' } } }, /does not match/],
  ['depth 0', { weft: 1, sources: { a: { git: 'u', depth: 0 } } }, /less than 1/],
  ['an unknown archive format', { weft: 1, sources: { a: { archive: 'u', integrity: `sha256:${'0'.repeat(64)}`, format: 'rar' } } }, /expected one of/],
  ['a setup step with a bad when', { weft: 1, sources: { a: { local: '.', setup: [{ run: 'x', when: 'sometimes' }] } } }, /matches none of oneOf/],
  ['an env form with two operations', { weft: 1, env: { PATH: { prepend: 'a', set: 'b' } } }, /matches none of oneOf/],
  ['unset: false', { weft: 1, env: { X: { unset: false } } }, /matches none of oneOf/],
  ['an import without from', { weft: 1, import: [{ file: 'weft.yaml' }] }, /missing "from"/],
  ['weft: 2', { weft: 2 }, /expected one of \[1\]/],
];
for (const [what, value, why] of refused) {
  test(`the schema refuses ${what}`, () => {
    const found = problems(value);
    assert.ok(found.some((p) => why.test(p)), found.join('\n') || '(no problems found)');
  });
}

test('`weft:` is optional in the schema, as in the loader, and defaults to the version this weft reads', async () => {
  assert.equal(problems({ sources: { a: { git: 'https://h/a.git' } } }), []);
  const weft = (schema['properties'] as Record<string, Record<string, unknown>>)['weft']!;
  assert.is(weft['default'], SCHEMA_VERSION);
  const ws = testWorkspace({ 'weft.yaml': 'sources:\n  a: {git: https://h/a.git}\n' });
  try {
    assert.is((await ws.load()).sources.length, 1);
  } finally {
    ws.cleanup();
  }
});

test('every property in the schema has a description', () => {
  const missing: string[] = [];
  const walk = (node: unknown, path: string): void => {
    if (!node || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o['properties'] && typeof o['properties'] === 'object') {
      for (const [k, v] of Object.entries(o['properties'] as Record<string, Record<string, unknown>>)) {
        if (typeof v['description'] !== 'string') missing.push(`${path}.properties.${k}`);
      }
    }
    for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`);
  };
  walk(schema, '$');
  assert.equal(missing, []);
});

test.run();
