import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hgLocation, hgRefProblem, hgUrlProblem, sameHgLocation } from '../../src/fetch/vcs-hg.js';

test('hg sources equal as hg stores them: without password, file: URLs as paths, no trailing slash', () => {
  assert.ok(sameHgLocation('https://bob@hg.example.org/repo', 'https://bob:s3cret@hg.example.org/repo/'));
  assert.ok(sameHgLocation('/srv/repo', 'file:///srv/repo'));
  assert.not.ok(sameHgLocation('/srv/repo', '/srv/other'));
});

test('plain hg paths are made absolute against the manifest directory; URLs are kept', () => {
  assert.is(hgLocation('../lib', '/work/ws'), '/work/lib');
  assert.is(hgLocation('default', '/work/ws'), '/work/ws/default');
  assert.is(hgLocation('ssh://h//srv/r', '/work/ws'), 'ssh://h//srv/r');
});

test('only ssh, http(s), file and plain paths reach hg', () => {
  for (const ok of ['https://h/r', 'ssh://me@h/r', 'file:///srv/r', '/srv/r', '../r']) assert.is(hgUrlProblem(ok), undefined, ok);
  for (const bad of ['', '-R', 'bundle:x.hg', 'static-http://h/r', 'union:a+b', 'ssh://-oProxyCommand=x/r', 'a\nb']) {
    assert.type(hgUrlProblem(bad), 'string', bad);
  }
});

test('hg refs: names and ids pass; options, control characters and local revision numbers do not', () => {
  for (const ok of ['default', '1.0', 'stable', 'a'.repeat(40), 'my branch']) assert.is(hgRefProblem(ok), undefined, ok);
  assert.is(hgRefProblem('-r1')?.code, 'WEFT_E_HG_UNSAFE');
  assert.is(hgRefProblem('12')?.code, 'WEFT_E_HG_REF');
  assert.is(hgRefProblem('x\ny')?.code, 'WEFT_E_HG_REF');
  for (const none of ['f'.repeat(40), '0'.repeat(40), 'ffffffffffff', 'null', 'wdir()']) assert.is(hgRefProblem(none)?.code, 'WEFT_E_HG_REF', none);
});

test.run();
