// `weft hook nu` with a workspace nested in another (ws/inner, its own weft.yaml, set up
// with weft up), in a real interactive nu in a pseudo-terminal: the environment in the
// nested workspace depends on where you are, not on the path you took there, as with the
// bash, zsh and fish hooks (hook.test.ts). nu must be installed (.ci/run does it).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { weft } from '../helpers/cli.js';
import { DEMO, PATH, nuLine, nuValue, nuWorld, type NuWorld } from '../helpers/nu-tty.js';
import type { TmuxSession } from '../helpers/tmux.js';

/** A workspace of its own inside w.ws (ws/inner), trusted, set up with weft up. */
async function nestedWorkspace(w: NuWorld): Promise<{ inner: string; innerBin: string }> {
  const inner = join(w.ws, 'inner');
  mkdirSync(join(inner, 'ibin'), { recursive: true });
  writeFileSync(join(inner, 'weft.yaml'), 'env:\n  PATH: ibin\n  INNER_DEMO: inner\n');
  const up = await weft(['up', '-q'], { cwd: inner, env: w.env });
  assert.is(up.code, 0, up.stderr);
  assert.is((await weft(['trust', '-q'], { cwd: inner, env: w.env })).code, 0);
  return { inner, innerBin: join(inner, 'ibin') };
}

/** What the tests compare: the two workspaces' variables, PATH, and which workspace is active. */
async function snapshot(t: TmuxSession, tag: string): Promise<Record<string, string>> {
  return {
    demo: await nuValue(t, `${tag}_DEMO`, DEMO),
    inner: await nuValue(t, `${tag}_INNER`, "$env.INNER_DEMO? | default ''"),
    path: await nuValue(t, `${tag}_PATH`, PATH),
    ws: await nuValue(t, `${tag}_WS`, "$env.WEFT_WORKSPACE? | default ''"),
  };
}

// The outer workspace trusted (active around the nested one) or not (left alone): either
// way the nested one is what cd into it gives, and cd .. gives the outer state back.
for (const trusted of [true, false]) {
  const title = trusted
    ? 'nu in a terminal: cd from a workspace into one nested in it gives the environment cd into it from outside gives (the nested one); cd .. brings the outer one back'
    : 'nu in a terminal: a trusted workspace nested in an untrusted one is activated on cd into it from the untrusted one, as from outside';
  test(title, async () => {
    const w = await nuWorld({ trusted });
    const { inner, innerBin } = await nestedWorkspace(w);
    const outer = trusted ? { demo: 'hello', inner: '', path: `${w.libBin}:${w.path}`, ws: w.ws } : { demo: '', inner: '', path: w.path, ws: '' };
    const t = w.start();
    try {
      await nuLine(t, `cd '${inner}'`);
      const direct = await snapshot(t, 'DIRECT');
      await nuLine(t, `cd '${w.out}'`);
      await nuLine(t, `cd '${w.ws}'`);
      assert.equal(await snapshot(t, 'OUTER'), outer);
      await nuLine(t, 'cd inner');
      const through = await snapshot(t, 'THROUGH');
      assert.equal(through, direct, t.screen());
      assert.equal(through, { demo: '', inner: 'inner', path: `${innerBin}:${w.path}`, ws: inner }, t.screen());
      await nuLine(t, 'cd ..');
      assert.equal(await snapshot(t, 'BACK'), outer, t.screen());
      if (trusted) assert.not.match(t.screen(), /not trusted|warning|error/i);
    } finally {
      await t.kill();
      w.cleanup();
    }
  });
}

test('nu in a terminal: moving between a workspace and one nested in it starts weft once per move, and prompts inside either start none', async () => {
  const w = await nuWorld({ trusted: true, logCalls: true });
  const { inner } = await nestedWorkspace(w);
  const t = w.start();
  try {
    for (const line of [`cd '${w.ws}'`, 'cd sub', 'cd ..', 'cd inner', 'print one', 'cd ibin', 'print two', 'cd ../..', 'print three']) await nuLine(t, line);
    assert.equal(w.calls(), [`hook -C ${w.ws} --apply`, `hook --revert -C ${inner} --apply`, `hook --revert -C ${w.ws} --apply`], t.screen());
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test.run();
