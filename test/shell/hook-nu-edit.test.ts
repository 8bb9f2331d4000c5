// `weft hook nu` when the manifest is edited while the shell is inside the workspace, in a
// real interactive nu in a pseudo-terminal, as hook-trouble.test.ts has it for bash, zsh and
// fish: the edit revokes trust, so the next prompt takes the environment out and says how to
// trust it once; weft trust then applies the edited values, not the ones rendered before.
// nu must be installed (.ci/run does it): these tests fail without it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { weft } from '../helpers/cli.js';
import { DEMO, PATH, nuLine, nuValue, nuWorld, type NuWorld } from '../helpers/nu-tty.js';

const count = (text: string, what: string) => text.split(what).length - 1;

/** Makes w.ws's WEFT_DEMO come from an included file, conf/base.yaml (not one of weft.yaml, weft.local.yaml), set up and trusted. */
async function withInclude(w: NuWorld): Promise<string> {
  mkdirSync(join(w.ws, 'conf'));
  writeFileSync(join(w.ws, 'weft.yaml'), 'include: [conf/base.yaml]\nsources:\n  lib:\n    local: lib\n    env: { PATH: bin }\n');
  writeFileSync(join(w.ws, 'conf', 'base.yaml'), 'env:\n  WEFT_DEMO: hello\n');
  const up = await weft(['up', '-q'], { cwd: w.ws, env: w.env });
  assert.is(up.code, 0, up.stderr);
  assert.is((await weft(['trust', '-q'], { cwd: w.ws, env: w.env })).code, 0);
  return join(w.ws, 'conf', 'base.yaml');
}

// Each edit as a user makes it, typed at the prompt: a file of the new text copied in place.
const edits = [
  { what: 'weft.yaml', file: (w: NuWorld) => join(w.ws, 'weft.yaml'), text: 'sources:\n  lib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  WEFT_DEMO: edited\n' },
  { what: 'a new weft.local.yaml', file: (w: NuWorld) => join(w.ws, 'weft.local.yaml'), text: 'env:\n  WEFT_DEMO: edited\n' },
  { what: 'a file weft.yaml includes', file: (w: NuWorld) => join(w.ws, 'conf', 'base.yaml'), text: 'env:\n  WEFT_DEMO: edited\n', include: true },
];

for (const edit of edits) {
  test(`nu in a terminal: ${edit.what}, edited while inside, is seen at the next prompt (the edit revokes trust: taken out, one line saying how to trust), and weft trust applies the edited values, not the ones rendered before`, async () => {
    const w = await nuWorld({ trusted: true });
    if (edit.include) await withInclude(w);
    const saved = join(w.dir, 'edited.yaml');
    writeFileSync(saved, edit.text);
    const t = w.start();
    try {
      await nuLine(t, `cd '${w.ws}'`);
      assert.is(await nuValue(t, 'A_DEMO', DEMO), 'hello');
      await nuLine(t, `cp '${saved}' '${edit.file(w)}'`);
      assert.is(await nuValue(t, 'B_DEMO', DEMO), '', t.screen());
      assert.is(await nuValue(t, 'B_PATH', PATH), w.path);
      assert.is(count(t.screen(), `weft: ${w.ws} is not trusted; run 'weft trust' to activate it`), 1, t.screen());
      await nuLine(t, 'weft trust -q');
      assert.is(await nuValue(t, 'C_DEMO', DEMO), 'edited', t.screen());
      assert.is(await nuValue(t, 'C_PATH', PATH), `${w.libBin}:${w.path}`);
      await nuLine(t, `cd '${w.out}'`);
      assert.is(await nuValue(t, 'D_DEMO', DEMO), '');
      assert.is(await nuValue(t, 'D_PATH', PATH), w.path);
      assert.is(count(t.screen(), 'is not trusted'), 1, t.screen());
      assert.not.match(t.screen(), /warning|error/i);
    } finally {
      await t.kill();
      w.cleanup();
    }
  });
}

test('nu in a terminal: prompts and cds inside a workspace whose manifest includes another file (watched too) start no weft; entering and leaving start it once each', async () => {
  const w = await nuWorld({ trusted: true, logCalls: true });
  await withInclude(w);
  const t = w.start();
  try {
    for (const line of [`cd '${w.ws}'`, 'print one', 'print two', 'cd sub', 'print three', 'cd ..', `cd '${w.out}'`, 'print four']) await nuLine(t, line);
    assert.equal(w.calls(), [`hook -C ${w.ws} --apply`, 'hook --revert'], t.screen());
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test.run();
