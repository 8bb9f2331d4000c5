// A workspace copied (cp -a) or moved after `weft up`: its .weft/env files were rendered for
// the old directory and hold its absolute paths. The hooks (real shells, as a user types),
// `weft env`'s fast path and `weft hook --apply` must give the copy's own environment.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft } from '../helpers/cli.js';
import { interactive, valueOf, type HookShellName } from '../helpers/hook-shell.js';
import { tempDir } from '../helpers/tmp.js';

const BASE_PATH = '/usr/local/bin:/usr/bin:/bin';

async function copied() {
  const t = tempDir('weft-hook-moved-');
  const ws = join(t.dir, 'ws');
  const ws2 = join(t.dir, 'ws2');
  mkdirSync(join(ws, 'lib', 'bin'), { recursive: true });
  mkdirSync(join(t.dir, 'out'), { recursive: true });
  writeFileSync(join(ws, 'weft.yaml'), 'sources:\n  mylib:\n    local: lib\n    env: { PATH: bin }\n');
  const env = isolatedEnv(t.dir, { PATH: BASE_PATH });
  const up = await weft(['up', '-q'], { cwd: ws, env });
  assert.is(up.code, 0, up.stderr);
  assert.is((await weft(['trust', '-q'], { cwd: ws, env })).code, 0);
  execFileSync('cp', ['-a', ws, ws2]);
  assert.is((await weft(['trust', '-q'], { cwd: ws2, env })).code, 0);
  const hook = async (shell: HookShellName) => {
    const r = await weft(['hook', shell], { cwd: t.dir, env });
    assert.is(r.code, 0, r.stderr);
    const file = join(t.dir, `hook.${shell}`);
    writeFileSync(file, r.stdout);
    return file;
  };
  return { ...t, ws, ws2, out: join(t.dir, 'out'), env, hook };
}

function script(shell: HookShellName, hookFile: string, steps: [label: string, dir: string][]): string {
  const load = shell === 'fish' ? `source ${hookFile}` : `eval "$(cat ${hookFile})"`;
  const show = (l: string) =>
    shell === 'fish' ? `echo "${l}_WS=[$WEFT_WORKSPACE]" "${l}_PATH=["(string join : $PATH)"]"` : `echo "${l}_WS=[$WEFT_WORKSPACE]" "${l}_PATH=[$PATH]"`;
  return [load, ...steps.flatMap(([l, dir]) => [`cd ${dir}`, show(l)])].join('\n');
}

for (const shell of ['bash', 'zsh', 'fish'] as const) {
  test(`${shell}: entering a copy of a workspace (cp -a) activates the copy's paths, not those its files were rendered with; the original still gets its own`, async () => {
    const w = await copied();
    try {
      const steps: [string, string][] = [['A', w.ws2], ['B', w.out], ['C', w.ws], ['D', w.ws2]];
      const { out, err } = await interactive(shell, script(shell, await w.hook(shell), steps), w.env, w.dir);
      const msg = `${out}\n${err}`;
      assert.is(valueOf(out, 'A_WS'), w.ws2, msg);
      assert.is(valueOf(out, 'A_PATH'), `${join(w.ws2, 'lib', 'bin')}:${BASE_PATH}`, msg);
      assert.is(valueOf(out, 'B_PATH'), BASE_PATH, msg);
      assert.is(valueOf(out, 'C_WS'), w.ws, msg);
      assert.is(valueOf(out, 'C_PATH'), `${join(w.ws, 'lib', 'bin')}:${BASE_PATH}`, msg);
      // Straight from one workspace into the other: the old one's entry comes out.
      assert.is(valueOf(out, 'D_WS'), w.ws2, msg);
      assert.is(valueOf(out, 'D_PATH'), `${join(w.ws2, 'lib', 'bin')}:${BASE_PATH}`, msg);
      assert.not.match(err, 'not trusted');
    } finally {
      w.cleanup();
    }
  });

  test(`${shell}: a moved workspace activates at its new place; after weft up there its file is sourced again`, async () => {
    const w = await copied();
    try {
      const moved = join(w.dir, 'moved');
      renameSync(w.ws2, moved);
      assert.is((await weft(['trust', '-q'], { cwd: moved, env: w.env })).code, 0);
      const first = await interactive(shell, script(shell, await w.hook(shell), [['A', moved]]), w.env, w.dir);
      assert.is(valueOf(first.out, 'A_WS'), moved, `${first.out}\n${first.err}`);
      assert.is(valueOf(first.out, 'A_PATH'), `${join(moved, 'lib', 'bin')}:${BASE_PATH}`, `${first.out}\n${first.err}`);
      assert.is((await weft(['up', '-q'], { cwd: moved, env: w.env })).code, 0);
      const again = await interactive(shell, script(shell, await w.hook(shell), [['A', moved]]), w.env, w.dir);
      assert.is(valueOf(again.out, 'A_WS'), moved, `${again.out}\n${again.err}`);
    } finally {
      w.cleanup();
    }
  });

  test(`${shell}: a workspace entered through a symlink sources its own file (same directory)`, async () => {
    const w = await copied();
    try {
      const link = join(w.dir, 'link');
      symlinkSync(w.ws, link);
      // Trust goes by the path the hook finds the workspace at.
      assert.is((await weft(['trust', '-q', '-C', link], { cwd: w.dir, env: w.env })).code, 0);
      const { out, err } = await interactive(shell, script(shell, await w.hook(shell), [['A', link]]), w.env, w.dir);
      const msg = `${out}\n${err}`;
      // The file's own paths (the directory weft up ran in), sourced as they are.
      assert.is(valueOf(out, 'A_WS'), w.ws, msg);
      assert.is(valueOf(out, 'A_PATH'), `${join(w.ws, 'lib', 'bin')}:${BASE_PATH}`, msg);
    } finally {
      w.cleanup();
    }
  });
}

test("weft env's fast path does not print the file rendered for the workspace a copy came from", async () => {
  const w = await copied();
  try {
    for (const args of [['env', '--shell', 'bash'], ['env', 'fish'], ['env', '--shell', 'zsh']]) {
      const r = await weft(args, { cwd: w.ws2, env: w.env });
      assert.is(r.code, 0, r.stderr);
      assert.ok(r.stdout.includes(join(w.ws2, 'lib', 'bin')), r.stdout);
      assert.not.ok(r.stdout.includes(`${w.ws}/`) || r.stdout.includes(`'${w.ws}'`), r.stdout);
    }
  } finally {
    w.cleanup();
  }
});

test('weft hook --apply (the nu and PowerShell hooks) in a copy applies the copy, not the env.json rendered for the original', async () => {
  const w = await copied();
  try {
    const r = await weft(['hook', '-C', w.ws2, '--apply'], { cwd: w.out, env: w.env });
    assert.is(r.code, 0, r.stderr);
    const step = JSON.parse(r.stdout) as { trusted: boolean; set: Record<string, string> };
    assert.is(step.trusted, true);
    assert.is(step.set['WEFT_WORKSPACE'], w.ws2);
    assert.is(step.set['PATH'], `${join(w.ws2, 'lib', 'bin')}:${BASE_PATH}`);
  } finally {
    w.cleanup();
  }
});

test.run();
