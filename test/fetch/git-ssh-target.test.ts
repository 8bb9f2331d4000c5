// Where an ssh git URL logs in: what the ssh master connection on a terminal is opened to.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { sshTarget, targetKey } from '../../src/fetch/git/ssh-master.js';

test('ssh:// URLs give host, user and port; scp-like ones host and user', () => {
  assert.equal(sshTarget('ssh://git@example.org:2222/a/b.git'), { user: 'git', host: 'example.org', port: '2222' });
  assert.equal(sshTarget('git+ssh://example.org/a.git'), { user: undefined, host: 'example.org', port: undefined });
  assert.equal(sshTarget('ssh://[::1]:22/x'), { user: undefined, host: '::1', port: '22' });
  assert.equal(sshTarget('git@github.com:org/repo.git'), { user: 'git', host: 'github.com' });
  assert.equal(sshTarget('host:repo'), { user: undefined, host: 'host' });
});

test('https, file and local paths are not ssh', () => {
  for (const url of ['https://example.org/a.git', 'file:///srv/a.git', '/srv/a.git', 'git://example.org/a']) assert.is(sshTarget(url), undefined, url);
});

test('one key per login: user, host and port all count', () => {
  const a = targetKey(sshTarget('ssh://git@h/a')!);
  assert.is(targetKey(sshTarget('ssh://git@h/b')!), a);
  assert.is.not(targetKey(sshTarget('ssh://other@h/a')!), a);
  assert.is.not(targetKey(sshTarget('ssh://git@h:2222/a')!), a);
});

test.run();
