// `weft shell` driven in a real terminal (tmux): the user's own shell and rc file, the
// workspace environment on top, the prompt marker, the nesting warning, the exit code.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft, weftBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { show, startTmux } from '../helpers/tmux.js';

type Sh = 'bash' | 'zsh' | 'fish';
const which = (cmd: string) => execFileSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim();

// Each rc file sets a marker, its own prompt, and resets PATH the way many rc files do:
// weft's environment must still be there afterwards.
const RC: Record<Sh, [string, string]> = {
  bash: ['.bashrc', "export RC_MARK=bashrc-read\nPS1='user$ '\nexport PATH=/usr/bin:/bin\n"],
  zsh: ['.zshrc', "export RC_MARK=zshrc-read\nPS1='user%# '\nexport PATH=/usr/bin:/bin\n"],
  fish: ['.config/fish/config.fish', "set -gx RC_MARK fish-read\nfunction fish_prompt; echo -n 'user> '; end\nset -gx PATH /usr/bin /bin\n"],
};

async function world(shell: Sh, extra: NodeJS.ProcessEnv = {}) {
  const t = tempDir('weft-subshell-');
  const ws = join(t.dir, 'ws');
  mkdirSync(join(ws, 'lib', 'bin'), { recursive: true });
  writeFileSync(join(ws, 'weft.yaml'), 'name: lab\nsources:\n  lib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  WEFT_DEMO: hello there\n');
  const env = isolatedEnv(t.dir, { PATH: '/usr/local/bin:/usr/bin:/bin', SHELL: which(shell), ...extra });
  const [rcName, rcText] = RC[shell];
  mkdirSync(join(env['HOME']!, rcName, '..'), { recursive: true });
  writeFileSync(join(env['HOME']!, rcName), rcText);
  // Without it, fish's first interactive start generates completions from man pages in a
  // detached background job that writes into HOME while the temp dir is being removed.
  if (shell === 'fish') mkdirSync(join(env['HOME']!, '.local', 'share', 'fish', 'generated_completions'), { recursive: true });
  const up = await weft(['up', '-q'], { cwd: ws, env });
  assert.is(up.code, 0, up.stderr);
  return { ...t, ws, env, libBin: join(ws, 'lib', 'bin') };
}

const weftShell = (...args: string[]) => [process.execPath, weftBin, 'shell', ...args];

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  test(`${shell}: weft shell reads the user's rc, applies the environment over it, marks the prompt, and exits with the shell's code`, async () => {
    const w = await world(shell);
    const t = startTmux({ argv: weftShell(), cwd: w.ws, env: w.env });
    try {
      await t.waitFor(/\(weft:lab\) user/);
      t.line(show('RC', '$RC_MARK'));
      assert.is(await t.value('RC'), `${shell}-read`.replace('bash-read', 'bashrc-read').replace('zsh-read', 'zshrc-read'));
      t.line(show('DEMO', '$WEFT_DEMO'));
      assert.is(await t.value('DEMO'), 'hello there');
      t.line(show('P', shell === 'fish' ? '$(string join : $PATH)' : '$PATH'));
      assert.is(await t.value('P'), `${w.libBin}:/usr/bin:/bin`);
      t.line(show('WS', '$WEFT_SHELL'));
      assert.is(await t.value('WS'), w.ws);
      t.line('exit 3');
      assert.is(await t.exitStatus(), 3, t.screen());
    } finally {
      await t.kill();
      w.cleanup();
    }
  });
}

test('bash: --no-prompt and WEFT_NO_PROMPT=1 leave the prompt alone; the environment is still there', async () => {
  for (const [args, extra] of [[['--no-prompt'], {}], [[], { WEFT_NO_PROMPT: '1' }]] as const) {
    const w = await world('bash', extra);
    const t = startTmux({ argv: weftShell(...args), cwd: w.ws, env: w.env });
    try {
      t.line(show('DEMO', '$WEFT_DEMO'));
      assert.is(await t.value('DEMO'), 'hello there');
      assert.not.match(t.screen(), '(weft:');
      t.line('exit');
      assert.is(await t.exitStatus(), 0);
    } finally {
      await t.kill();
      w.cleanup();
    }
  }
});

test('bash: a weft shell inside a weft shell of the same workspace warns, and exit goes back to the outer one', async () => {
  const w = await world('bash');
  const t = startTmux({ argv: weftShell(), cwd: w.ws, env: w.env });
  try {
    await t.waitFor(/\(weft:lab\) user\$ $/m);
    t.line(weftShell().map((a) => `'${a}'`).join(' '));
    await t.waitFor(/already inside a weft shell of lab/);
    t.line('exit 5');
    t.line(show('INNER', '$?'));
    assert.is(await t.value('INNER'), '5');
    t.line(show('DEMO', '$WEFT_DEMO'));
    assert.is(await t.value('DEMO'), 'hello there');
    t.line('exit');
    assert.is(await t.exitStatus(), 0);
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test('a $SHELL that is not there is said to be $SHELL, with how to start a shell anyway, not a path to check relative to the current directory', async () => {
  const w = await world('bash');
  try {
    const missing = join(w.dir, 'gone', 'zsh');
    const r = await weft(['shell'], { cwd: w.ws, env: { ...w.env, SHELL: missing } });
    assert.is(r.code, 127, r.stderr);
    assert.match(r.stderr, 'WEFT_E_SHELL_NOT_FOUND');
    assert.match(r.stderr, `$SHELL is ${missing}, which does not exist`);
    assert.match(r.stderr, 'SHELL=/bin/bash weft shell');
    assert.not.match(r.stderr, 'relative to the current directory');
    assert.not.match(r.stderr, /\n\s+at /);
  } finally {
    w.cleanup();
  }
});

test.run();
