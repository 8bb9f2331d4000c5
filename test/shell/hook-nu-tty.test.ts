// `weft hook nu` in a real interactive nu in a pseudo-terminal (tmux), typed at as a user
// would: entering and leaving, the user's own edits, a subdirectory, a nested nu, trust,
// and `weft up` while inside. nu must be installed (.ci/run does it): these tests fail
// without it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO, PATH, nuLine, nuValue, nuWorld } from '../helpers/nu-tty.js';

const count = (text: string, what: string) => text.split(what).length - 1;

test("nu in a terminal: cd in activates (PATH entry and a scalar), a subdirectory keeps it, cd out reverts, keeping the user's own PATH edit and restoring the scalar weft replaced", async () => {
  const w = await nuWorld({ trusted: true });
  const t = w.start();
  try {
    await nuLine(t, "$env.WEFT_DEMO = 'orig'");
    await nuLine(t, `cd '${w.ws}'`);
    assert.is(await nuValue(t, 'A_DEMO', DEMO), 'hello');
    assert.is(await nuValue(t, 'A_PATH', PATH), `${w.libBin}:${w.path}`);
    assert.is(await nuValue(t, 'A_WS', "$env.WEFT_WORKSPACE? | default ''"), w.ws);
    await nuLine(t, 'cd sub');
    assert.is(await nuValue(t, 'B_DEMO', DEMO), 'hello');
    assert.is(await nuValue(t, 'B_PATH', PATH), `${w.libBin}:${w.path}`);
    const userBin = join(w.dir, 'userbin');
    await nuLine(t, `$env.PATH = ($env.PATH | prepend '${userBin}')`);
    await nuLine(t, `cd '${w.out}'`);
    assert.is(await nuValue(t, 'C_DEMO', DEMO), 'orig');
    assert.is(await nuValue(t, 'C_PATH', PATH), `${userBin}:${w.path}`);
    assert.is(await nuValue(t, 'C_BOOKKEEPING', "$env | columns | where {|c| $c =~ '^WEFT_(ENV_ADDED|PREV_|WORKSPACE|NAME)' } | length"), '0');
    assert.not.match(t.screen(), 'not trusted');
    assert.not.match(t.screen(), /warning|error/i);
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test('nu in a terminal: a nested nu takes the environment over without applying it twice, reverts on leaving, and the outer nu keeps it', async () => {
  const w = await nuWorld({ trusted: true });
  const t = w.start();
  try {
    await nuLine(t, "$env.WEFT_DEMO = 'orig'");
    await nuLine(t, `cd '${w.ws}'`);
    assert.is(await nuValue(t, 'A_DEMO', DEMO), 'hello');
    // The user's change must survive the nested nu's first prompt: applying again would undo it.
    await nuLine(t, "$env.WEFT_DEMO = 'mine'");
    await nuLine(t, w.nested);
    await nuLine(t, 'cd sub');
    assert.is(await nuValue(t, 'N_DEMO', DEMO), 'mine');
    assert.is(await nuValue(t, 'N_PATH', PATH), `${w.libBin}:${w.path}`);
    await nuLine(t, `cd '${w.out}'`);
    assert.is(await nuValue(t, 'N_OUT', DEMO), 'orig');
    assert.is(await nuValue(t, 'N_OUT_PATH', PATH), w.path);
    await nuLine(t, 'exit');
    assert.is(await nuValue(t, 'B_DEMO', DEMO), 'mine');
    assert.is(await nuValue(t, 'B_PATH', PATH), `${w.libBin}:${w.path}`);
    await nuLine(t, `cd '${w.out}'`);
    assert.is(await nuValue(t, 'C_DEMO', DEMO), 'orig');
    assert.is(await nuValue(t, 'C_PATH', PATH), w.path);
    assert.not.match(t.screen(), /not trusted|warning|error/i);
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test('nu in a terminal: weft up inside the workspace is picked up at the next prompt, and a revoked trust deactivates it', async () => {
  const w = await nuWorld({ trusted: true });
  const t = w.start();
  try {
    await nuLine(t, `cd '${w.ws}'`);
    assert.is(await nuValue(t, 'A_DEMO', DEMO), 'hello');
    w.manifest('second');
    await nuLine(t, 'weft trust -q; weft up -q');
    assert.is(await nuValue(t, 'B_DEMO', DEMO), 'second');
    assert.is(await nuValue(t, 'B_PATH', PATH), `${w.libBin}:${w.path}`);
    await nuLine(t, 'weft trust --revoke -q');
    assert.is(await nuValue(t, 'C_DEMO', DEMO), '');
    assert.is(await nuValue(t, 'C_PATH', PATH), w.path);
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test('nu in a terminal: an untrusted workspace says once how to trust it and is not activated, and weft trust activates it at the next prompt', async () => {
  const w = await nuWorld({ trusted: false });
  const t = w.start();
  try {
    await nuLine(t, `cd '${w.ws}'`);
        assert.is(await nuValue(t, 'A_DEMO', DEMO), '');
    assert.is(await nuValue(t, 'A_PATH', PATH), w.path);
    await nuLine(t, 'cd sub');
    assert.is(await nuValue(t, 'B_DEMO', DEMO), '');
    assert.is(count(t.screen(), `weft: ${w.ws} is not trusted; run 'weft trust' to activate it`), 1, t.screen());
    await nuLine(t, 'weft trust -q');
    assert.is(await nuValue(t, 'C_DEMO', DEMO), 'hello');
    assert.is(await nuValue(t, 'C_PATH', PATH), `${w.libBin}:${w.path}`);
    assert.is(count(t.screen(), 'is not trusted'), 1, t.screen());
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test('nu in a terminal: a workspace whose manifest has an error is not activated, with one line naming the error (not "not trusted"); fixing it activates it at the next prompt', async () => {
  const w = await nuWorld({ trusted: true });
  const t = w.start();
  try {
    // The fix as a user makes it, typed at the prompt: the good text copied back in place.
    const good = join(w.dir, 'good.yaml');
    writeFileSync(good, readFileSync(join(w.ws, 'weft.yaml')));
    writeFileSync(join(w.ws, 'weft.yaml'), readFileSync(good, 'utf8') + 'oops: [\n');
    await nuLine(t, `cd '${w.ws}'`);
    assert.is(await nuValue(t, 'A_DEMO', DEMO), '');
    assert.is(await nuValue(t, 'A_PATH', PATH), w.path);
    await nuLine(t, 'cd sub');
    assert.is(await nuValue(t, 'B_DEMO', DEMO), '');
    const screen = t.screen();
    assert.is(count(screen, `weft: ${w.ws} is not activated: `), 1, screen);
    assert.is(count(screen, 'WEFT_E_MANIFEST_SYNTAX'), 1, screen);
    assert.not.match(screen, 'not trusted', screen);
    await nuLine(t, `cp '${good}' '${join(w.ws, 'weft.yaml')}'`);
    assert.is(await nuValue(t, 'C_DEMO', DEMO), 'hello', t.screen());
    assert.is(await nuValue(t, 'C_PATH', PATH), `${w.libBin}:${w.path}`);
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test('nu in a terminal: prompts and cds inside a workspace start no weft; entering and leaving start it once each', async () => {
  const w = await nuWorld({ trusted: true, logCalls: true });
  const t = w.start();
  try {
    for (const line of [`cd '${w.ws}'`, 'print one', 'print two', 'cd sub', 'print three', 'cd ..', 'cd .', `cd '${w.out}'`, 'print four']) await nuLine(t, line);
    assert.equal(w.calls(), [`hook -C ${w.ws} --apply`, 'hook --revert'], t.screen());
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test('nu in a terminal: a revert that fails (weft broken on leaving) keeps the environment known, and the next prompt with a working weft reverts it', async () => {
  const w = await nuWorld({ trusted: true, logCalls: true });
  const t = w.start();
  try {
    await nuLine(t, "$env.WEFT_DEMO = 'orig'");
    await nuLine(t, `cd '${w.ws}'`);
    assert.is(await nuValue(t, 'A_DEMO', DEMO), 'hello');
    w.breakWeft(true);
    await nuLine(t, `cd '${w.out}'`);
    // Still applied (weft could not take it out), and said so.
    assert.is(await nuValue(t, 'B_DEMO', DEMO), 'hello');
    assert.match(t.screen(), 'weft: broken for this test');
    w.breakWeft(false);
    await nuLine(t, 'print again');
    assert.is(await nuValue(t, 'C_DEMO', DEMO), 'orig');
    assert.is(await nuValue(t, 'C_PATH', PATH), w.path);
    assert.is(await nuValue(t, 'C_WS', "$env.WEFT_WORKSPACE? | default ''"), '');
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test('nu in a terminal: weft gone after the hook was loaded (uninstalled, moved): leaving says so once in one line, not a stack trace at every prompt, keeps what was applied known, and reverts it once weft is back', async () => {
  const w = await nuWorld({ trusted: true, script: true });
  const t = w.start();
  try {
    await nuLine(t, "$env.WEFT_DEMO = 'orig'");
    await nuLine(t, `cd '${w.ws}'`);
    assert.is(await nuValue(t, 'A_DEMO', DEMO), 'hello');
    w.moveWeft(true);
    await nuLine(t, `cd '${w.out}'`);
    await nuLine(t, 'print one');
    await nuLine(t, 'print two');
    assert.is(await nuValue(t, 'B_DEMO', DEMO), 'hello');
    const screen = t.screen();
    assert.is(count(screen, `weft: cannot run ${w.script} (moved or uninstalled)`), 1, screen);
    assert.not.match(screen, /MODULE_NOT_FOUND|Cannot find module|at Module/, screen);
    w.moveWeft(false);
    await nuLine(t, 'print back');
    assert.is(await nuValue(t, 'C_DEMO', DEMO), 'orig');
    assert.is(await nuValue(t, 'C_PATH', PATH), w.path);
  } finally {
    await t.kill();
    w.cleanup();
  }
});

test("nu: loading the hook twice registers it once, before the user's own pre_prompt hook", async () => {
  const w = await nuWorld({ trusted: true });
  try {
    const script = [
      "$env.config.hooks.pre_prompt = [{|| print user }]",
      `source '${join(w.dir, 'hook.nu')}'`,
      `source '${join(w.dir, 'hook.nu')}'`,
      "print ($env.config.hooks.pre_prompt | each {|c| view source $c } | str join ' ; ')",
    ].join('\n');
    const r = spawnSync(w.nu, ['--no-config-file', '-c', script], { cwd: w.dir, env: w.env, encoding: 'utf8' });
    assert.is(r.stderr, '');
    assert.is(r.stdout.trim(), '{|| __weft_hook } ; {|| print user }');
  } finally {
    w.cleanup();
  }
});

test.run();
