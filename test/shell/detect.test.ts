import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectShell } from '../../src/shell/index.js';

test('the shell is the basename of $SHELL', () => {
  assert.is(detectShell({ SHELL: '/bin/bash' }), 'bash');
  assert.is(detectShell({ SHELL: '/usr/local/bin/zsh' }), 'zsh');
  assert.is(detectShell({ SHELL: '/opt/homebrew/bin/fish' }), 'fish');
  assert.is(detectShell({ SHELL: '/bin/sh' }), 'sh');
});

test('POSIX shells, unknown shells and no $SHELL get the sh rendering', () => {
  for (const s of ['/bin/dash', '/bin/ksh', '/bin/mksh', '/usr/bin/tcsh', '/bin/bash-not', '']) assert.is(detectShell({ SHELL: s }), 'sh', s);
  assert.is(detectShell({}), 'sh');
});

test.run();
