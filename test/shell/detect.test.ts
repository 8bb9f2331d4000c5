import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectShell } from '../../src/shell/index.js';

test('the shell is the basename of $SHELL', () => {
  assert.is(detectShell({ SHELL: '/bin/bash' }), 'bash');
  assert.is(detectShell({ SHELL: '/usr/local/bin/zsh' }), 'zsh');
  assert.is(detectShell({ SHELL: '/opt/homebrew/bin/fish' }), 'fish');
  assert.is(detectShell({ SHELL: '/bin/sh' }), 'sh');
});

test('tcsh (and csh), elvish, nushell and PowerShell get their own rendering', () => {
  assert.is(detectShell({ SHELL: '/usr/bin/tcsh' }), 'tcsh');
  assert.is(detectShell({ SHELL: '/bin/csh' }), 'tcsh');
  assert.is(detectShell({ SHELL: '/usr/bin/elvish' }), 'elvish');
  assert.is(detectShell({ SHELL: '/home/me/.cargo/bin/nu' }), 'nu');
  assert.is(detectShell({ SHELL: '/usr/local/bin/pwsh' }), 'pwsh');
});

test('POSIX shells, unknown shells and no $SHELL get the sh rendering', () => {
  for (const s of ['/bin/dash', '/bin/ksh', '/bin/mksh', '/bin/bash-not', '/bin/nushell', '']) assert.is(detectShell({ SHELL: s }), 'sh', s);
  assert.is(detectShell({}), 'sh');
});

test.run();
