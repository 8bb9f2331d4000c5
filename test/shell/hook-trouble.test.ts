// The hook when something is wrong, in real bash, zsh and fish: a manifest with an error,
// weft itself gone (uninstalled or moved after the hook was loaded), and a manifest edited
// while the shell is inside the workspace. The prompt must keep working, say once what is
// wrong in one line (never a stack trace), and never lose track of what it applied.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hookCode } from '../../src/shell/hook/index.js';
import { isolatedEnv, weft, weftBin } from '../helpers/cli.js';
import { interactive, valueOf, type HookShellName } from '../helpers/hook-shell.js';
import { tempDir } from '../helpers/tmp.js';

const BASE_PATH = '/usr/local/bin:/usr/bin:/bin';
const manifest = (demo: string) => `sources:\n  lib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  WEFT_DEMO: ${demo}\n`;

async function world() {
  const t = tempDir('weft-hook-trouble-');
  const ws = join(t.dir, 'ws');
  const other = join(t.dir, 'other');
  for (const d of [join(ws, 'lib', 'bin'), join(ws, 'sub'), join(other, 'lib'), join(t.dir, 'out')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(ws, 'weft.yaml'), manifest('hello'));
  writeFileSync(join(other, 'weft.yaml'), 'sources:\n  lib:\n    local: lib\nenv:\n  WEFT_OTHER: yes\n');
  const env = isolatedEnv(t.dir, { PATH: BASE_PATH });
  for (const d of [ws, other]) {
    const up = await weft(['up', '-q'], { cwd: d, env });
    assert.is(up.code, 0, up.stderr);
    assert.is((await weft(['trust', '-q'], { cwd: d, env })).code, 0);
  }
  // weft as the hook knows it: one file, so a test can take it away and bring it back.
  const wrapper = join(t.dir, 'weft-here');
  writeFileSync(wrapper, `#!/bin/sh\nexec '${process.execPath}' '${weftBin}' "$@"\n`);
  chmodSync(wrapper, 0o755);
  const hook = (shell: HookShellName) => {
    const file = join(t.dir, `hook.${shell}`);
    writeFileSync(file, hookCode(shell, { weftArgv: [wrapper] }));
    return shell === 'fish' ? `source ${file}` : `. ${file}`;
  };
  const show = (shell: HookShellName, label: string) =>
    shell === 'fish'
      ? `echo "${label}_DEMO=[$WEFT_DEMO]" "${label}_PATH=["(string join : $PATH)"]"`
      : `echo "${label}_DEMO=[\${WEFT_DEMO-}]" "${label}_PATH=[$PATH]"`;
  // A manifest's text in a file of its own, for the shell to copy in place (an edit as a user makes it).
  const saved = (demo: string) => {
    const file = join(t.dir, `weft.${demo}.yaml`);
    writeFileSync(file, manifest(demo));
    return file;
  };
  return { ...t, ws, other, env, wrapper, hook, show, saved, out: join(t.dir, 'out'), libBin: join(ws, 'lib', 'bin') };
}

const count = (text: string, what: string | RegExp) => text.split(what).length - 1;

/** The lines as typed at prompts: fish reading a file fires no fish_prompt, so it is emitted as a prompt would. */
function typed(shell: HookShellName, lines: string[]): string {
  return shell === 'fish' ? lines.flatMap((l) => [l, 'emit fish_prompt']).join('\n') : lines.join('\n');
}

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  test(`${shell}: a workspace whose manifest has an error is not activated, with one line naming the error (not "not trusted"); fixing the manifest activates it at the next prompt`, async () => {
    const w = await world();
    try {
      writeFileSync(join(w.ws, 'weft.yaml'), manifest('hello') + 'oops: [\n');
      const script = typed(shell, [
        w.hook(shell),
        `cd ${w.ws}`,
        w.show(shell, 'A'),
        'cd sub',
        'echo still',
        'echo working',
        `cp ${w.saved('hello')} ${join(w.ws, 'weft.yaml')}`,
        w.show(shell, 'B'),
      ]);
      const { out, err } = await interactive(shell, script, w.env, w.dir);
      const msg = `${out}\n${err}`;
      assert.is(valueOf(out, 'A_DEMO'), '', msg);
      assert.is(valueOf(out, 'A_PATH'), BASE_PATH, msg);
      assert.match(out, 'working', msg);
      assert.not.match(err, 'not trusted', msg);
      assert.is(count(err, 'WEFT_E_MANIFEST_SYNTAX'), 1, msg);
      assert.match(err, `weft: ${w.ws} is not activated: `, msg);
      assert.not.match(err, /hint:|\n\s+at /, msg);
      assert.is(valueOf(out, 'B_DEMO'), 'hello', msg);
      assert.is(valueOf(out, 'B_PATH'), `${w.libBin}:${BASE_PATH}`, msg);
    } finally {
      w.cleanup();
    }
  });

  test(`${shell}: weft gone after the hook was loaded: leaving says so once in one line, keeps what was applied known, and reverts it once weft is back`, async () => {
    const w = await world();
    try {
      const gone = `${w.wrapper}.gone`;
      const script = typed(shell, [
        w.hook(shell),
        `cd ${w.ws}`,
        w.show(shell, 'A'),
        `mv ${w.wrapper} ${gone}`,
        `cd ${w.out}`,
        'echo one',
        `cd ${w.other}`,
        'echo two',
        `cd ${w.out}`,
        `mv ${gone} ${w.wrapper}`,
        'echo back',
        w.show(shell, 'B'),
        `cd ${w.other}`,
        shell === 'fish' ? 'echo "C_OTHER=[$WEFT_OTHER]"' : 'echo "C_OTHER=[${WEFT_OTHER-}]"',
      ]);
      const { out, err } = await interactive(shell, script, w.env, w.dir);
      const msg = `${out}\n${err}`;
      assert.is(valueOf(out, 'A_DEMO'), 'hello', msg);
      assert.is(count(err, `weft: cannot run ${w.wrapper}`), 1, msg);
      assert.not.match(err, /not trusted|not found|No such file/, msg);
      assert.is(valueOf(out, 'B_DEMO'), '', msg);
      assert.is(valueOf(out, 'B_PATH'), BASE_PATH, msg);
      assert.is(valueOf(out, 'C_OTHER'), 'yes', msg);
    } finally {
      w.cleanup();
    }
  });

  test(`${shell}: editing weft.yaml while inside is seen at the next prompt (the edit revokes trust: not applied, says how to trust), and weft trust applies the edited values, not the ones rendered before`, async () => {
    const w = await world();
    try {
      const script = typed(shell, [
        w.hook(shell),
        `cd ${w.ws}`,
        w.show(shell, 'A'),
        `cp ${w.saved('edited')} weft.yaml`,
        w.show(shell, 'B'),
        `'${w.wrapper}' trust -q`,
        w.show(shell, 'C'),
        `cd ${w.out}`,
        w.show(shell, 'D'),
      ]);
      const { out, err } = await interactive(shell, script, w.env, w.dir);
      const msg = `${out}\n${err}`;
      assert.is(valueOf(out, 'A_DEMO'), 'hello', msg);
      assert.is(valueOf(out, 'B_DEMO'), '', msg);
      assert.is(valueOf(out, 'B_PATH'), BASE_PATH, msg);
      assert.is(count(err, `weft: ${w.ws} is not trusted; run 'weft trust' to activate it`), 1, msg);
      assert.is(valueOf(out, 'C_DEMO'), 'edited', msg);
      assert.is(valueOf(out, 'C_PATH'), `${w.libBin}:${BASE_PATH}`, msg);
      assert.is(valueOf(out, 'D_DEMO'), '', msg);
      assert.is(valueOf(out, 'D_PATH'), BASE_PATH, msg);
    } finally {
      w.cleanup();
    }
  });

  test(`${shell}: with a relative XDG_CONFIG_HOME (which weft ignores, as the XDG spec says) weft trust while inside is seen at the next prompt`, async () => {
    const w = await world();
    try {
      // weft keeps its trust records in $HOME/.config then; the hook must watch that file too.
      const env = { ...w.env, XDG_CONFIG_HOME: 'relative/config' };
      assert.is((await weft(['trust', '--revoke', '-q'], { cwd: w.ws, env })).code, 0);
      const script = typed(shell, [w.hook(shell), `cd ${w.ws}`, w.show(shell, 'A'), `'${w.wrapper}' trust -q`, w.show(shell, 'B')]);
      const { out, err } = await interactive(shell, script, env, w.dir);
      const msg = `${out}\n${err}`;
      assert.is(valueOf(out, 'A_DEMO'), '', msg);
      assert.is(count(err, `weft: ${w.ws} is not trusted; run 'weft trust' to activate it`), 1, msg);
      assert.is(valueOf(out, 'B_DEMO'), 'hello', msg);
      assert.is(valueOf(out, 'B_PATH'), `${w.libBin}:${BASE_PATH}`, msg);
    } finally {
      w.cleanup();
    }
  });

  test(`${shell}: editing a file weft.yaml includes, while inside, is seen at the next prompt as an edit of weft.yaml is; weft trust applies its edited values`, async () => {
    const w = await world();
    try {
      // A workspace whose values come from an included file (base.yaml), outside EDITED_FILES.
      const inc = join(w.dir, 'inc');
      mkdirSync(join(inc, 'lib', 'bin'), { recursive: true });
      writeFileSync(join(inc, 'weft.yaml'), 'include: [conf/base.yaml]\nsources:\n  lib:\n    local: lib\n    env: { PATH: bin }\n');
      mkdirSync(join(inc, 'conf'));
      writeFileSync(join(inc, 'conf', 'base.yaml'), 'env:\n  WEFT_DEMO: hello\n');
      const edited = join(w.dir, 'base.edited.yaml');
      writeFileSync(edited, 'env:\n  WEFT_DEMO: edited\n');
      assert.is((await weft(['up', '-q'], { cwd: inc, env: w.env })).code, 0);
      assert.is((await weft(['trust', '-q'], { cwd: inc, env: w.env })).code, 0);
      const script = typed(shell, [
        w.hook(shell),
        `cd ${inc}`,
        w.show(shell, 'A'),
        `cp ${edited} conf/base.yaml`,
        w.show(shell, 'B'),
        `'${w.wrapper}' trust -q`,
        w.show(shell, 'C'),
        `cd ${w.out}`,
        w.show(shell, 'D'),
      ]);
      const { out, err } = await interactive(shell, script, w.env, w.dir);
      const msg = `${out}\n${err}`;
      const bin = join(inc, 'lib', 'bin');
      assert.is(valueOf(out, 'A_DEMO'), 'hello', msg);
      assert.is(valueOf(out, 'B_DEMO'), '', msg);
      assert.is(valueOf(out, 'B_PATH'), BASE_PATH, msg);
      assert.is(count(err, `weft: ${inc} is not trusted; run 'weft trust' to activate it`), 1, msg);
      assert.is(valueOf(out, 'C_DEMO'), 'edited', msg);
      assert.is(valueOf(out, 'C_PATH'), `${bin}:${BASE_PATH}`, msg);
      assert.is(valueOf(out, 'D_DEMO'), '', msg);
      assert.is(valueOf(out, 'D_PATH'), BASE_PATH, msg);
    } finally {
      w.cleanup();
    }
  });

  test(`${shell}: deleting weft.local.yaml while inside is seen at the next prompt as an edit is; weft trust then applies weft.yaml's values, not the override rendered before`, async () => {
    const w = await world();
    try {
      // The override the user later deletes (a personal value for WEFT_DEMO).
      writeFileSync(join(w.ws, 'weft.local.yaml'), 'env:\n  WEFT_DEMO: mine\n');
      assert.is((await weft(['up', '-q'], { cwd: w.ws, env: w.env })).code, 0);
      assert.is((await weft(['trust', '-q'], { cwd: w.ws, env: w.env })).code, 0);
      const script = typed(shell, [
        w.hook(shell),
        `cd ${w.ws}`,
        w.show(shell, 'A'),
        'rm weft.local.yaml',
        w.show(shell, 'B'),
        `'${w.wrapper}' trust -q`,
        w.show(shell, 'C'),
        `cd ${w.out}`,
        `cd ${w.ws}`,
        w.show(shell, 'D'),
      ]);
      const { out, err } = await interactive(shell, script, w.env, w.dir);
      const msg = `${out}\n${err}`;
      assert.is(valueOf(out, 'A_DEMO'), 'mine', msg);
      // The deletion changes what trust covers: taken out, saying how to trust, once.
      assert.is(valueOf(out, 'B_DEMO'), '', msg);
      assert.is(count(err, `weft: ${w.ws} is not trusted; run 'weft trust' to activate it`), 1, msg);
      assert.is(valueOf(out, 'C_DEMO'), 'hello', msg);
      assert.is(valueOf(out, 'C_PATH'), `${w.libBin}:${BASE_PATH}`, msg);
      // Entering again, before any weft up: still weft.yaml's value.
      assert.is(valueOf(out, 'D_DEMO'), 'hello', msg);
    } finally {
      w.cleanup();
    }
  });
}

test.run();