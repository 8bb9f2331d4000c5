import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { convertWest } from '../../src/resolve/convert/index.js';
import type { WeftError } from '../../src/errors.js';
import { fixture } from '../helpers/convert-fixtures.js';

test('a Zephyr-style west.yml becomes git sources with west\'s URLs, revisions, paths and groups', () => {
  const { path, text } = fixture('west.yml');
  const { manifest } = convertWest(text, path);
  assert.equal(manifest, {
    weft: 1,
    sources: {
      cmsis: { git: 'https://github.com/zephyrproject-rtos/cmsis', ref: '4b96cbb174678dcd3ca86e11e1f24bc5f8726da0', groups: ['hal'], path: 'modules/hal/cmsis' },
      hal_nordic: { git: 'https://github.com/zephyrproject-rtos/hal_nordic', ref: 'v3.1.0', groups: ['hal'], path: 'modules/hal/nordic' },
      'net-tools': { git: 'https://github.com/zephyrproject-rtos/net-tools', ref: '3a677d355cc7f73e444801a6280d0ccec80a1957', depth: 1, path: 'tools/net-tools' },
      babblesim_base: { git: 'https://github.com/BabbleSim/base', ref: '2cfac3dca2071452ae481d115d8541880568753d', groups: ['babblesim'], path: 'tools/bsim/components' },
      'trusted-firmware-m': { git: 'https://git.trustedfirmware.org/TF-M/trusted-firmware-m.git', ref: 'TF-Mv2.0.0', submodules: true, path: 'modules/tee/tf-m/trusted-firmware-m' },
      mcuboot: { git: 'https://github.com/zephyrproject-rtos/mcuboot', ref: 'v2.1.0', path: 'bootloader/mcuboot' },
      nrf: { git: 'https://github.com/nrfconnect/sdk-nrf', ref: 'master' },
    },
  });
});

test('west imports, extension commands, userdata, group-filter and self are reported by line', () => {
  const { path, text } = fixture('west.yml');
  const { notes } = convertWest(text, path);
  assert.equal(notes, [
    { line: 14, message: '"group-filter" not carried over: choose groups when running weft instead' },
    { line: 26, message: '"userdata" of project "hal_nordic" not carried over: weft keeps no free-form data per source' },
    { line: 46, message: '"west-commands" of project "mcuboot" not carried over: weft has no west extension commands' },
    { line: 49, message: '"import" of project "nrf" not carried over: west imports read west manifests; convert that file too, or list its projects here' },
    { line: 52, message: '"self.path" not carried over: the manifest repository is where weft.yaml lives, not a source' },
    { line: 53, message: '"self.west-commands" not carried over: weft has no west extension commands' },
    { line: 54, message: '"self.import" not carried over: west imports read west manifests; convert that file too, or list its projects here' },
  ]);
});

test('defaults.revision applies where a project names none', () => {
  const text = [
    'manifest:',
    '  defaults: {remote: r, revision: v2.0}',
    '  remotes: [{name: r, url-base: https://git.example.org/base}]',
    '  projects:',
    '    - name: a',
    '    - name: b',
    '      revision: main',
    '      repo-path: group/b-repo',
    '',
  ].join('\n');
  const { manifest, notes } = convertWest(text, 'west.yml');
  assert.equal(manifest.sources, {
    a: { git: 'https://git.example.org/base/a', ref: 'v2.0' },
    b: { git: 'https://git.example.org/base/group/b-repo', ref: 'main' },
  });
  assert.equal(notes, []);
});

test('a list of submodules becomes submodules: true with a note', () => {
  const text = 'manifest:\n  projects:\n    - name: a\n      url: https://h/a\n      submodules:\n        - path: x\n';
  const { manifest, notes } = convertWest(text, 'west.yml');
  assert.equal(manifest.sources['a'], { git: 'https://h/a', ref: 'master', submodules: true });
  assert.equal(notes.map((n) => n.line), [5]);
});

test('a project naming an unknown remote is refused with the remote\'s position', () => {
  const text = 'manifest:\n  remotes: [{name: r, url-base: https://h}]\n  projects:\n    - name: a\n      remote: nope\n';
  try {
    convertWest(text, '/w/west.yml');
    assert.unreachable('should fail');
  } catch (err) {
    const e = err as WeftError;
    assert.is(e.code, 'WEFT_E_CONVERT_INPUT');
    assert.is(e.exitCode, 2);
    assert.match(e.message, /remote "nope"/);
    assert.equal(e.loc, { file: '/w/west.yml', line: 5, col: 7 });
  }
});

test('a project with no url and no remote anywhere is refused', () => {
  try {
    convertWest('manifest:\n  projects:\n    - name: a\n', 'west.yml');
    assert.unreachable('should fail');
  } catch (err) {
    assert.is((err as WeftError).code, 'WEFT_E_CONVERT_INPUT');
    assert.is((err as WeftError).loc?.line, 3);
  }
});

test('a clone-depth that is not a positive whole number is refused', () => {
  try {
    convertWest('manifest:\n  projects:\n    - name: a\n      url: u\n      clone-depth: deep\n', 'west.yml');
    assert.unreachable('should fail');
  } catch (err) {
    assert.is((err as WeftError).code, 'WEFT_E_CONVERT_INPUT');
    assert.equal([(err as WeftError).loc?.line, (err as WeftError).loc?.col], [5, 20]);
  }
});

test('a west project name weft cannot use is renamed, with a note', () => {
  const { manifest, notes } = convertWest('manifest:\n  projects:\n    - name: "my lib"\n      url: u\n', 'west.yml');
  assert.equal(manifest.sources, { 'my-lib': { git: 'u', ref: 'master', path: 'my lib' } });
  assert.match(notes[0]!.message, /"my lib" is named "my-lib"/);
});

test.run();
