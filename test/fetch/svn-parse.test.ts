import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseSvnStatus, sameSvnUrl, svnUrlProblem, wantedSvnRev } from '../../src/fetch/vcs-svn.js';

test('svn URLs equal up to case of scheme and host, trailing slashes and escapes', () => {
  assert.ok(sameSvnUrl('https://SVN.example.org/repo/trunk/', 'https://svn.example.org/repo/trunk'));
  assert.ok(sameSvnUrl('file:///srv/my%20repo/trunk', 'file:///srv/my repo/trunk'));
  assert.ok(sameSvnUrl('file://localhost/srv/r', 'file:///srv/r'));
  assert.not.ok(sameSvnUrl('https://svn.example.org/repo/trunk', 'https://svn.example.org/repo/branches/x'));
  assert.not.ok(sameSvnUrl('https://svn.example.org/Repo', 'https://svn.example.org/repo'));
});

test('svn revisions are numbers, r-numbers or HEAD, and nothing else', () => {
  assert.is(wantedSvnRev(undefined), 'HEAD');
  assert.is(wantedSvnRev('head'), 'HEAD');
  assert.is(wantedSvnRev('1234'), 1234);
  assert.is(wantedSvnRev('r7'), 7);
  for (const bad of ['', 'BASE', '{2020-01-01}', '-r1', '1:2', '12a']) assert.is(wantedSvnRev(bad), undefined, bad);
});

test('only the svn transports every install has are allowed', () => {
  for (const ok of ['https://h/r', 'http://h/r', 'svn://h/r', 'svn+ssh://me@h/r', 'file:///srv/r']) {
    assert.is(svnUrlProblem(ok), undefined, ok);
  }
  for (const bad of ['-x', 'svn+rsh://h/r', 'ext::sh -c x', '/srv/r', 'svn+ssh://-oProxyCommand=x/r', 'https://h/r\n']) {
    assert.type(svnUrlProblem(bad), 'string', bad);
  }
});

test('svn status counts edits, property edits, conflicts and locks, but not externals or ignored files', () => {
  const entry = (path: string, attrs: string): string => `<entry\n   path="${path}">\n<wc-status\n   ${attrs}>\n</wc-status>\n</entry>`;
  const xml = [
    entry('w/ext', 'item="external" props="none"'),
    entry('w/ign', 'item="ignored" props="none"'),
    entry('w/p', 'item="normal" props="modified"'),
    entry('w/t', 'item="normal" props="none" tree-conflicted="true"'),
    entry('w/l', 'item="normal" props="none" wc-locked="true"'),
    entry('w/a&amp;b', 'item="missing" props="none"'),
  ].join('\n');
  assert.equal(
    parseSvnStatus(xml).map((c) => `${c.path}: ${c.what}`),
    ['w/p: properties modified', 'w/t: tree-conflicted', 'w/l: locked (interrupted; needs svn cleanup)', 'w/a&b: missing'],
  );
});

test.run();
