import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { interactive, valueOf, type HookShellName } from '../helpers/hook-shell.js';
import { tempDir } from '../helpers/tmp.js';

const BASE_PATH = '/usr/local/bin:/usr/bin:/bin';

async function workspace(trusted: boolean) {
  const t = tempDir('weft-hook-');
  const ws = join(t.dir, 'ws');
  mkdirSync(join(ws, 'lib', 'bin'), { recursive: true });
  mkdirSync(join(ws, 'sub', 'deeper'), { recursive: true });
  mkdirSync(join(t.dir, 'out'), { recursive: true });
  writeFileSync(join(ws, 'weft.yaml'), 'sources:\n  mylib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  WEFT_DEMO: hello\n');
  const env = isolatedEnv(t.dir, { PATH: BASE_PATH });
  const up = await weft(['up', '-q'], { cwd: ws, env });
  assert.is(up.code, 0, up.stderr);
  if (trusted) assert.is((await weft(['trust'], { cwd: ws, env })).code, 0);
  const hook = async (shell: HookShellName) => {
    const r = await weft(['hook', shell], { cwd: t.dir, env });
    assert.is(r.code, 0, r.stderr);
    const file = join(t.dir, `hook.${shell}`);
    writeFileSync(file, r.stdout);
    return file;
  };
  return { ...t, ws, out: join(t.dir, 'out'), env, hook, libBin: join(ws, 'lib', 'bin') };
}

type Ws = Awaited<ReturnType<typeof workspace>>;

/** The same walk in each shell's syntax: enter, change a value, go deeper, add a PATH entry, leave. */
function walkScript(shell: HookShellName, w: Ws, hookFile: string): string {
  const userBin = join(w.dir, 'userbin');
  if (shell === 'fish') {
    return [
      `source ${hookFile}`,
      `cd ${w.ws}`,
      'echo "A_DEMO=[$WEFT_DEMO]" "A_PATH=["(string join : $PATH)"]"',
      'set -gx WEFT_DEMO mine',
      'cd sub/deeper',
      'echo "B_DEMO=[$WEFT_DEMO]"',
      `set -gx PATH ${userBin} $PATH`,
      `cd ${w.out}`,
      'echo "C_DEMO=[$WEFT_DEMO]" "C_PATH=["(string join : $PATH)"]"',
    ].join('\n');
  }
  const pre = shell === 'bash' ? `PROMPT_COMMAND='echo "USERPC=[$?]"'` : `precmd() { echo "USERPC=[$?]"; }`;
  return [
    pre,
    `eval "$(cat ${hookFile})"`,
    `cd ${w.ws}`,
    'echo "A_DEMO=[$WEFT_DEMO]" "A_PATH=[$PATH]"',
    'WEFT_DEMO=mine',
    'cd sub/deeper',
    'echo "B_DEMO=[$WEFT_DEMO]"',
    `PATH="${userBin}:$PATH"`,
    `cd ${w.out}`,
    'echo "C_DEMO=[${WEFT_DEMO-unset}]" "C_PATH=[$PATH]"',
    'false',
  ].join('\n');
}

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  test(`${shell}: entering a trusted workspace activates it, a subdirectory keeps it without re-sourcing, leaving removes only weft's entries`, async () => {
    const w = await workspace(true);
    try {
      const { out, err } = await interactive(shell, walkScript(shell, w, await w.hook(shell)), w.env, w.dir);
      const msg = `${out}\n${err}`;
      assert.is(valueOf(out, 'A_DEMO'), 'hello', msg);
      assert.is(valueOf(out, 'A_PATH'), `${w.libBin}:${BASE_PATH}`, msg);
      // Re-sourcing would have put 'hello' back.
      assert.is(valueOf(out, 'B_DEMO'), 'mine', msg);
      assert.ok(['unset', ''].includes(valueOf(out, 'C_DEMO') ?? 'missing'), msg);
      assert.is(valueOf(out, 'C_PATH'), `${join(w.dir, 'userbin')}:${BASE_PATH}`, msg);
      assert.not.match(err, 'not trusted');
    } finally {
      w.cleanup();
    }
  });

  test(`${shell}: an untrusted workspace is not activated and says so once per entering`, async () => {
    const w = await workspace(false);
    try {
      const script = walkScript(shell, w, await w.hook(shell)) + `\ncd ${w.ws}\necho "D_DEMO=[$WEFT_DEMO]"`;
      const { out, err } = await interactive(shell, script, w.env, w.dir);
      const msg = `${out}\n${err}`;
      assert.is(valueOf(out, 'A_DEMO'), '', msg);
      assert.is(valueOf(out, 'A_PATH'), BASE_PATH, msg);
      assert.is(valueOf(out, 'B_DEMO'), 'mine', msg);
      assert.is(valueOf(out, 'D_DEMO'), 'mine', msg);
      const line = `weft: ${w.ws} is not trusted; run 'weft trust' to activate it`;
      assert.is(err.split(line).length - 1, 2, msg);
    } finally {
      w.cleanup();
    }
  });
}

/** A workspace of its own inside w.ws (ws/inner), trusted, set up with weft up. */
async function nestedWorkspace(w: Ws): Promise<{ inner: string; innerBin: string }> {
  const inner = join(w.ws, 'inner');
  mkdirSync(join(inner, 'ibin'), { recursive: true });
  writeFileSync(join(inner, 'weft.yaml'), 'env:\n  PATH: ibin\n  INNER_DEMO: inner\n');
  const up = await weft(['up', '-q'], { cwd: inner, env: w.env });
  assert.is(up.code, 0, up.stderr);
  assert.is((await weft(['trust'], { cwd: inner, env: w.env })).code, 0);
  return { inner, innerBin: join(inner, 'ibin') };
}

function nestedScript(shell: HookShellName, w: Ws, hookFile: string): string {
  const show = (k: string) =>
    shell === 'fish'
      ? `echo "${k}_DEMO=[$WEFT_DEMO]" "${k}_INNER=[$INNER_DEMO]" "${k}_PATH=["(string join : $PATH)"]"`
      : `echo "${k}_DEMO=[\${WEFT_DEMO-}]" "${k}_INNER=[\${INNER_DEMO-}]" "${k}_PATH=[$PATH]"`;
  const load = shell === 'fish' ? `source ${hookFile}` : `eval "$(cat ${hookFile})"`;
  return [load, `cd ${w.ws}`, show('A'), 'cd inner', show('B'), 'cd ..', show('C')].join('\n');
}

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  test(`${shell}: cd from a workspace into one nested in it activates the nested one instead, as entering it from outside does; cd .. brings the outer one back`, async () => {
    const w = await workspace(true);
    try {
      const { innerBin } = await nestedWorkspace(w);
      const { out, err } = await interactive(shell, nestedScript(shell, w, await w.hook(shell)), w.env, w.dir);
      const msg = `${out}\n${err}`;
      assert.is(valueOf(out, 'A_DEMO'), 'hello', msg);
      assert.is(valueOf(out, 'B_DEMO'), '', msg);
      assert.is(valueOf(out, 'B_INNER'), 'inner', msg);
      assert.is(valueOf(out, 'B_PATH'), `${innerBin}:${BASE_PATH}`, msg);
      assert.is(valueOf(out, 'C_DEMO'), 'hello', msg);
      assert.is(valueOf(out, 'C_INNER'), '', msg);
      assert.is(valueOf(out, 'C_PATH'), `${w.libBin}:${BASE_PATH}`, msg);
      assert.not.match(err, 'weft:', msg);
    } finally {
      w.cleanup();
    }
  });

  test(`${shell}: a trusted workspace nested in an untrusted one is activated on cd into it`, async () => {
    const w = await workspace(false);
    try {
      const { innerBin } = await nestedWorkspace(w);
      const { out, err } = await interactive(shell, nestedScript(shell, w, await w.hook(shell)), w.env, w.dir);
      const msg = `${out}\n${err}`;
      assert.is(valueOf(out, 'A_DEMO'), '', msg);
      assert.is(valueOf(out, 'B_INNER'), 'inner', msg);
      assert.is(valueOf(out, 'B_PATH'), `${innerBin}:${BASE_PATH}`, msg);
      assert.is(valueOf(out, 'C_INNER'), '', msg);
      assert.is(valueOf(out, 'C_PATH'), BASE_PATH, msg);
    } finally {
      w.cleanup();
    }
  });
}

for (const shell of ['bash', 'zsh'] as const) {
  test(`${shell}: the user's own prompt hook still runs and still sees the last command's status`, async () => {
    const w = await workspace(true);
    try {
      const { out, err } = await interactive(shell, walkScript(shell, w, await w.hook(shell)), w.env, w.dir);
      assert.match(out, 'USERPC=[1]', out + err);
      assert.match(out, 'USERPC=[0]', out + err);
    } finally {
      w.cleanup();
    }
  });
}

test('bash: evaluating the hook twice adds it to PROMPT_COMMAND once, before what was there', async () => {
  const w = await workspace(true);
  try {
    const file = await w.hook('bash');
    const script = `PROMPT_COMMAND='echo hi'\neval "$(cat ${file})"\neval "$(cat ${file})"\necho "PC=[$PROMPT_COMMAND]"`;
    const { out, err } = await interactive('bash', script, w.env, w.dir);
    assert.is(valueOf(out, 'PC'), '__weft_hook;echo hi', out + err);
  } finally {
    w.cleanup();
  }
});

test('weft hook with an unknown shell is a usage error that names the shells', async () => {
  const { dir, cleanup } = tempDir('weft-hook-usage-');
  try {
    const r = await weft(['hook', 'tcsh'], { cwd: dir, env: isolatedEnv(dir) });
    assert.is(r.code, 2);
    assert.match(r.stderr, 'WEFT_E_USAGE');
    assert.match(r.stderr, 'weft hook fish');
    assert.is(r.stdout, '');
  } finally {
    cleanup();
  }
});

test.run();
