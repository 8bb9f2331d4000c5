import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import { detectAndConvert, detectFormat, renderManifest } from '../../src/resolve/convert/index.js';
import type { WeftError } from '../../src/errors.js';
import { fixture } from '../helpers/convert-fixtures.js';

test('the format is taken from the file name', () => {
  assert.is(detectFormat('/p/ros2.repos', ''), 'vcstool');
  assert.is(detectFormat('/p/.rosinstall', ''), 'rosinstall');
  assert.is(detectFormat('/p/noetic.rosinstall', ''), 'rosinstall');
  assert.is(detectFormat('/p/west.yml', ''), 'west');
  assert.is(detectFormat('/p/.gitmodules', ''), 'gitmodules');
});

test('otherwise the format is recognised from the content', () => {
  for (const [name, format] of [['ros2.repos', 'vcstool'], ['classic.rosinstall', 'rosinstall'], ['west.yml', 'west'], ['gitmodules', 'gitmodules']] as const) {
    assert.is(detectFormat('/p/deps.txt', fixture(name).text), format, name);
  }
});

test('an unrecognised file is refused with a hint naming the formats', () => {
  try {
    detectAndConvert('/p/deps.yaml', 'hello: world\n');
    assert.unreachable('should fail');
  } catch (err) {
    const e = err as WeftError;
    assert.is(e.code, 'WEFT_E_CONVERT_FORMAT');
    assert.is(e.exitCode, 2);
    assert.equal(e.loc, { file: '/p/deps.yaml', line: 1, col: 1 });
    assert.match(e.hint ?? '', /west\.yml/);
  }
});

test('the written manifest keeps weft, name, sources order, input order and each source\'s key order', () => {
  const text = renderManifest(
    { weft: 1, name: 'lab', sources: { zeta: { groups: ['a', 'b'], path: 'z/zeta', ref: 'v1', git: 'https://h/zeta.git', depth: 1 }, alpha: { svn: 'https://h/svn', ref: '12' } } },
    { schemaUrl: 'file:///opt/weft/schema/weft.schema.json', header: ['Converted.'], notes: [{ line: 3, message: 'x not carried over' }], from: 'a.repos' },
  );
  assert.is(
    text,
    [
      '# yaml-language-server: $schema=file:///opt/weft/schema/weft.schema.json',
      '# Converted.',
      '#',
      '# Notes on the conversion of a.repos (input line: note):',
      '#   3: x not carried over',
      '',
      'weft: 1',
      'name: lab',
      'sources:',
      '  zeta:',
      '    git: https://h/zeta.git',
      '    ref: v1',
      '    path: z/zeta',
      '    depth: 1',
      '    groups: [a, b]',
      '  alpha:',
      '    svn: https://h/svn',
      '    ref: "12"',
      '',
    ].join('\n'),
  );
});

test('every fixture converts to YAML that reads back as the same manifest', () => {
  for (const name of ['ros2.repos', 'classic.rosinstall', 'west.yml', 'gitmodules']) {
    const { path, text } = fixture(name);
    const r = detectAndConvert(path, text, { remote: 'https://h/org/app.git' });
    assert.equal(parse(renderManifest(r.manifest, { notes: r.notes })), JSON.parse(JSON.stringify(r.manifest)), name);
  }
});

test('a newline hidden in an input key cannot escape the header comment into the manifest', () => {
  const r = detectAndConvert('x.repos', 'repositories:\n  a:\n    type: git\n    url: https://h/a.git\n    "x\\nsources: {evil: {local: /}}": 1\n');
  const text = renderManifest(r.manifest, { notes: r.notes });
  assert.equal(parse(text), { weft: 1, sources: { a: { git: 'https://h/a.git' } } });
});

test.run();
