import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isValidRefName, unsafeRefReason } from '../../src/fetch/git/ref.js';
import { gitEnv } from '../../src/fetch/git/run.js';
import { mirrorKey, normaliseUrl, splitCredentials, unsafeUrlReason, urlHost } from '../../src/fetch/git/url.js';

test('URLs that differ only in case of scheme/host, credentials, trailing slash or .git share one mirror', () => {
  const same = [
    'https://github.com/twisted/twisted.git',
    'HTTPS://GitHub.com/twisted/twisted',
    'https://user:token@github.com/twisted/twisted.git/',
    'https://github.com/twisted/twisted/',
  ];
  assert.equal(new Set(same.map(normaliseUrl)).size, 1);
  assert.is(normaliseUrl(same[0]!), 'https://github.com/twisted/twisted');
  assert.is(mirrorKey(same[1]!), mirrorKey(same[2]!));
  assert.is(mirrorKey(same[0]!).length, 32);
  assert.is.not(mirrorKey('https://github.com/Twisted/twisted'), mirrorKey(same[0]!), 'paths keep their case');
  assert.is(normaliseUrl('git@GitHub.com:a/b.git'), 'git@github.com:a/b');
});

test('credentials are split from the URL', () => {
  assert.equal(splitCredentials('https://me:p%40ss@host/x.git'), { url: 'https://host/x.git', username: 'me', password: 'p@ss' });
  assert.equal(splitCredentials('/srv/repo'), { url: '/srv/repo' });
});

test('an ssh URL keeps its login user (ssh://git@host/…), and loses only a password', () => {
  assert.equal(splitCredentials('ssh://git@github.com/twisted/twisted.git'), { url: 'ssh://git@github.com/twisted/twisted.git' });
  assert.equal(splitCredentials('git+ssh://git@host:2222/x.git'), { url: 'git+ssh://git@host:2222/x.git' });
  assert.equal(splitCredentials('ssh://me:secret@host/x.git'), { url: 'ssh://me@host/x.git' });
  assert.equal(splitCredentials('git@gitlab.com:x/y.git'), { url: 'git@gitlab.com:x/y.git' });
});

test('hosts are found for the per-host cap', () => {
  assert.is(urlHost('https://a:b@GitHub.com/x'), 'github.com');
  assert.is(urlHost('git@gitlab.com:x/y'), 'gitlab.com');
  assert.is(urlHost('/srv/repo'), undefined);
  assert.is(urlHost('file:///srv/repo'), undefined);
});

test('option-like URLs and command transports are refused', () => {
  for (const url of ['-oProxyCommand=x', '--upload-pack=x', 'ext::sh -c x', 'fd::3', 'foo::bar', 'https://a/b\nc', '']) {
    assert.type(unsafeUrlReason(url), 'string', url);
  }
  for (const url of ['https://github.com/a/b', 'ssh://git@h/a', 'git@h:a/b', '/srv/a', 'file:///srv/a', 'git://h/a', '../rel']) {
    assert.is(unsafeUrlReason(url), undefined, url);
  }
});

test('ref names are judged exactly as git check-ref-format --allow-onelevel judges them', () => {
  const names = [
    'main', 'feature/x', 'v1.0', 'refs/heads/main', 'a..b', 'a/.b', '.a', 'a.lock', 'a/b.lock/c', 'a//b', '/a', 'a/',
    'a.', '@', 'a@{1}', 'a@b', 'a b', 'a~1', 'a^', 'a:b', 'a?', 'a*', 'a[b', 'a\\b', 'ü', 'x-', 'HEAD', 'a\x01',
  ];
  for (const name of names) {
    const res = spawnSync('git', ['check-ref-format', '--allow-onelevel', name]);
    assert.is(isValidRefName(name), res.status === 0, name);
  }
  assert.type(unsafeRefReason('--output=/tmp/x'), 'string');
  assert.type(unsafeRefReason('-b'), 'string');
});

test("git's environment drops redirections and forbids prompts", () => {
  const env = gitEnv({
    PATH: '/bin',
    GIT_DIR: '/x',
    GIT_WORK_TREE: '/x',
    GIT_INDEX_FILE: '/x',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'a.b',
    GIT_CONFIG_VALUE_0: 'c',
    GIT_CONFIG_PARAMETERS: "'a.b'='c'",
    GIT_ASKPASS: '/usr/bin/ksshaskpass',
    GIT_SSH_COMMAND: 'ssh -i key',
  });
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0', 'GIT_CONFIG_PARAMETERS', 'GIT_ASKPASS']) {
    assert.is(env[k], undefined, k);
  }
  assert.is(env.GIT_TERMINAL_PROMPT, '0');
  assert.is(env.GCM_INTERACTIVE, 'never');
  assert.is(env.GIT_SSH_COMMAND, 'ssh -i key -o BatchMode=yes');
  assert.is(env.GIT_ALLOW_PROTOCOL, 'https:http:ssh:git:file');
  assert.is(env.GIT_PROTOCOL_FROM_USER, '0');
  assert.is(env.PATH, '/bin');
  assert.is(gitEnv({}).GIT_SSH_COMMAND, 'ssh -o BatchMode=yes');
});

test.run();
