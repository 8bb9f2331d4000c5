// The hook in real interactive shells in a pseudo-terminal (tmux), typed at as a user
// would: entering and leaving, the user's own edits, nested shells, trust, `weft up`
// while inside, and other tools' PROMPT_COMMAND.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft, weftBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { show, startTmux, type TmuxSession } from '../helpers/tmux.js';

type Sh = 'bash' | 'zsh' | 'fish';
const BASE = '/usr/local/bin:/usr/bin:/bin';

async function world(opts: { trusted: boolean; bashrcBefore?: string; bashrcAfter?: string }) {
  const t = tempDir('weft-hook-tty-');
  const ws = join(t.dir, 'ws');
  const out = join(t.dir, 'out');
  const bin = join(t.dir, 'bin');
  for (const d of [join(ws, 'lib', 'bin'), join(ws, 'sub'), out, bin]) mkdirSync(d, { recursive: true });
  // `weft` as the user types it.
  writeFileSync(join(bin, 'weft'), `#!/bin/sh\nexec '${process.execPath}' '${weftBin}' "$@"\n`);
  chmodSync(join(bin, 'weft'), 0o755);
  const manifest = (demo: string) => writeFileSync(join(ws, 'weft.yaml'), `sources:\n  lib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  WEFT_DEMO: ${demo}\n`);
  manifest('hello');
  const path = `${bin}:${BASE}`;
  const env = isolatedEnv(t.dir, { PATH: path });
  // fish's first start would otherwise generate completions in a detached background job.
  mkdirSync(join(env['HOME']!, '.local', 'share', 'fish', 'generated_completions'), { recursive: true });
  const up = await weft(['up', '-q'], { cwd: ws, env });
  assert.is(up.code, 0, up.stderr);
  if (opts.trusted) assert.is((await weft(['trust'], { cwd: ws, env })).code, 0);
  const files: Record<Sh, string> = { bash: '', zsh: '', fish: '' };
  for (const sh of ['bash', 'zsh', 'fish'] as const) {
    const r = await weft(['hook', sh], { cwd: t.dir, env });
    files[sh] = join(t.dir, `hook.${sh}`);
    writeFileSync(files[sh], r.stdout);
  }
  const rc = join(t.dir, 'bashrc');
  writeFileSync(rc, `PS1='$ '\n${opts.bashrcBefore ?? ''}\neval "$(cat '${files.bash}')"\n${opts.bashrcAfter ?? ''}\n`);
  const zdot = join(t.dir, 'zdot');
  mkdirSync(zdot);
  writeFileSync(join(zdot, '.zshrc'), `PS1='$ '\neval "$(cat '${files.zsh}')"\n`);
  const fishInit = join(t.dir, 'init.fish');
  writeFileSync(fishInit, `source '${files.fish}'\nfunction fish_prompt; echo -n '$ '; end\n`);
  const argv: Record<Sh, string[]> = {
    bash: ['bash', '--noprofile', '--rcfile', rc, '-i'],
    zsh: ['zsh', '-i'],
    fish: ['fish', '--no-config', '--init-command', `source ${fishInit}`],
  };
  const start = (sh: Sh) => startTmux({ argv: argv[sh], cwd: t.dir, env: { ...env, ZDOTDIR: zdot } });
  const nested = (sh: Sh) => argv[sh].map((a) => `'${a}'`).join(' ');
  return { ...t, ws, out, path, libBin: join(ws, 'lib', 'bin'), manifest, start, nested };
}

const pathExpr = (sh: Sh) => (sh === 'fish' ? '$(string join : $PATH)' : '$PATH');
const prependPath = (sh: Sh, dir: string) => (sh === 'fish' ? `set -gx PATH ${dir} $PATH` : `PATH="${dir}:$PATH"`);
const exportVar = (sh: Sh, name: string, value: string) => (sh === 'fish' ? `set -gx ${name} ${value}` : `export ${name}=${value}`);
const count = (text: string, what: string) => text.split(what).length - 1;

async function check(t: TmuxSession, key: string, expr: string): Promise<string> {
  t.line(show(key, expr));
  return t.value(key);
}

for (const sh of ['bash', 'zsh', 'fish'] as const) {
  test(`${sh} in a terminal: cd in activates, cd out reverts and keeps the user's own PATH edit, a nested shell takes over without applying twice`, async () => {
    const w = await world({ trusted: true });
    const t = w.start(sh);
    try {
      t.line(`cd ${w.ws}`);
      assert.is(await check(t, 'A_DEMO', '$WEFT_DEMO'), 'hello');
      assert.is(await check(t, 'A_PATH', pathExpr(sh)), `${w.libBin}:${w.path}`);
      // A nested shell inherits the environment: it must neither apply it again (the
      // user's change survives, PATH holds weft's entry once) nor lose it.
      t.line(exportVar(sh, 'WEFT_DEMO', 'mine'));
      t.line(w.nested(sh));
      t.line('cd sub');
      assert.is(await check(t, 'N_DEMO', '$WEFT_DEMO'), 'mine');
      assert.is(await check(t, 'N_PATH', pathExpr(sh)), `${w.libBin}:${w.path}`);
      t.line(`cd ${w.out}`);
      assert.is(await check(t, 'N_OUT', '$WEFT_DEMO'), '');
      t.line('exit');
      assert.is(await check(t, 'B_DEMO', '$WEFT_DEMO'), 'mine');
      const userBin = join(w.dir, 'userbin');
      t.line(prependPath(sh, userBin));
      t.line(`cd ${w.out}`);
      assert.is(await check(t, 'C_DEMO', '$WEFT_DEMO'), '');
      assert.is(await check(t, 'C_PATH', pathExpr(sh)), `${userBin}:${w.path}`);
      assert.not.match(t.screen(), 'not trusted');
      assert.not.match(t.screen(), /warning|error/i);
    } finally {
      await t.kill();
      w.cleanup();
    }
  });

  test(`${sh} in a terminal: weft up inside the workspace is picked up at the next prompt, and a revoked trust deactivates it`, async () => {
    const w = await world({ trusted: true });
    const t = w.start(sh);
    try {
      t.line(`cd ${w.ws}`);
      assert.is(await check(t, 'A_DEMO', '$WEFT_DEMO'), 'hello');
      w.manifest('second');
      t.line('weft trust -q && weft up -q');
      assert.is(await check(t, 'B_DEMO', '$WEFT_DEMO'), 'second');
      assert.is(await check(t, 'B_PATH', pathExpr(sh)), `${w.libBin}:${w.path}`);
      t.line('weft trust --revoke -q');
      assert.is(await check(t, 'C_DEMO', '$WEFT_DEMO'), '');
      assert.is(await check(t, 'C_PATH', pathExpr(sh)), w.path);
    } finally {
      await t.kill();
      w.cleanup();
    }
  });

  test(`${sh} in a terminal: an untrusted workspace says once how to trust it, and weft trust activates it at the next prompt`, async () => {
    const w = await world({ trusted: false });
    const t = w.start(sh);
    try {
      t.line(`cd ${w.ws}`);
      await t.waitFor(/is not trusted; run 'weft trust' to activate it/);
      assert.is(await check(t, 'A_DEMO', '$WEFT_DEMO'), '');
      t.line('cd sub');
      assert.is(await check(t, 'B_DEMO', '$WEFT_DEMO'), '');
      assert.is(count(t.screen(), `weft: ${w.ws} is not trusted; run 'weft trust' to activate it`), 1, t.screen());
      t.line('weft trust -q');
      assert.is(await check(t, 'C_DEMO', '$WEFT_DEMO'), 'hello');
      assert.is(count(t.screen(), 'is not trusted'), 1, t.screen());
    } finally {
      await t.kill();
      w.cleanup();
    }
  });
}

test('bash in a terminal: `cd ws && cmd` sees the environment, and PROMPT_COMMAND set by other tools before and after the hook keeps running', async () => {
  const w = await world({
    trusted: true,
    bashrcBefore: `PROMPT_COMMAND='echo "BEFORE_RAN=[$?]"'`,
    bashrcAfter: `PROMPT_COMMAND="\${PROMPT_COMMAND};echo AFTER_RAN=[yes]"`,
  });
  const t = w.start('bash');
  try {
    t.line(`cd ${w.ws} && ${show('SAME_LINE', '$WEFT_DEMO')}`);
    assert.is(await t.value('SAME_LINE'), 'hello');
    t.line(`cd ${w.out} && ${show('OUT_LINE', '$WEFT_DEMO')}`);
    assert.is(await t.value('OUT_LINE'), '');
    t.line('false');
    await t.waitFor(/^BEFORE_RAN=\[1\]$/m);
    assert.is(await t.value('AFTER_RAN'), 'yes');
    t.line(`pushd ${w.ws} >/dev/null && ${show('PUSHD', '$WEFT_DEMO')}`);
    assert.is(await t.value('PUSHD'), 'hello');
    // Applied by hand outside the workspace: the user's choice, the hook leaves it alone.
    t.line(`cd ${w.out}`);
    t.line(`eval "$(weft -C ${w.ws} env --shell bash)"`);
    t.line('true');
    assert.is(await check(t, 'BY_HAND', '$WEFT_DEMO'), 'hello');
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test.run();
