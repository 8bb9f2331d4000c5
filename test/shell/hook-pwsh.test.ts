// `weft hook pwsh`. PowerShell cannot be installed on the machines these tests were written
// on: when `pwsh` is on PATH the hook runs in a real pwsh (each prompt's hook call made by
// hand, so no terminal is needed); otherwise its text is compared, exactly, with
// test/fixtures/hook/pwsh.ps1, which a change to the hook must update deliberately.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedEnv, weft, weftBin } from '../helpers/cli.js';
import { findShell } from '../helpers/shell-more.js';
import { tempDir } from '../helpers/tmp.js';
import { pwshQuote } from '../../src/shell/renderers/pwsh.js';
import { hookCode } from '../../src/shell/hook/index.js';

const pwsh = findShell('pwsh');
const fixture = fileURLToPath(new URL('../../../test/fixtures/hook/pwsh.ps1', import.meta.url));

/**
 * A workspace and `weft hook pwsh` for it. `weftAs`: how the hook starts weft; by default as
 * `weft hook pwsh` prints it, 'script' for node and a script of its own (which a test can
 * move away: weft uninstalled), 'logged' for a wrapper that logs each start's arguments.
 */
async function world(trusted: boolean, weftAs: 'default' | 'script' | 'logged' = 'default') {
  const t = tempDir('weft-hook-pwsh-');
  const ws = join(t.dir, 'ws');
  const out = join(t.dir, 'out');
  for (const d of [join(ws, 'lib', 'bin'), join(ws, 'sub'), out]) mkdirSync(d, { recursive: true });
  writeFileSync(join(ws, 'weft.yaml'), 'sources:\n  lib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  WEFT_DEMO: hello\n');
  const env = isolatedEnv(t.dir, { PATH: `${join(t.dir, 'nobin')}:/usr/local/bin:/usr/bin:/bin` });
  assert.is((await weft(['up', '-q'], { cwd: ws, env })).code, 0);
  if (trusted) assert.is((await weft(['trust', '-q'], { cwd: ws, env })).code, 0);
  const hook = await weft(['hook', 'pwsh'], { cwd: t.dir, env });
  assert.is(hook.code, 0, hook.stderr);
  const hookFile = join(t.dir, 'hook.ps1');
  const weftScript = join(t.dir, 'weft-script.cjs');
  const log = join(t.dir, 'calls.log');
  if (weftAs === 'script') {
    writeFileSync(weftScript, `require(${JSON.stringify(weftBin)});\n`);
    writeFileSync(hookFile, hookCode('pwsh', { weftArgv: [process.execPath, weftScript] }));
  } else if (weftAs === 'logged') {
    const wrapper = join(t.dir, 'weft-logged');
    writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${process.execPath}' '${weftBin}' "$@"\n`);
    chmodSync(wrapper, 0o755);
    writeFileSync(hookFile, hookCode('pwsh', { weftArgv: [wrapper] }));
  } else {
    writeFileSync(hookFile, hook.stdout);
  }
  /** Runs `lines` in pwsh after loading the hook; `hook` stands for a prompt. */
  const run = (lines: string[]) => {
    const script = join(t.dir, 'script.ps1');
    writeFileSync(script, [`Get-Content -Raw -LiteralPath '${hookFile}' | Out-String | Invoke-Expression`, ...lines.map((l) => (l === 'hook' ? '__weft_hook' : l))].join('\n') + '\n');
    const r = spawnSync(pwsh!, ['-NoProfile', '-NonInteractive', '-File', script], { cwd: t.dir, env, encoding: 'utf8' });
    return { out: r.stdout, err: r.stderr, status: r.status };
  };
  const calls = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []);
  return { ...t, ws, out, env, run, weftScript, calls, hookText: hook.stdout, libBin: join(ws, 'lib', 'bin'), path: env['PATH']! };
}

const value = (out: string, key: string) => new RegExp(`^${key}=\\[(.*)\\]$`, 'm').exec(out)?.[1];
const count = (text: string, what: string) => text.split(what).length - 1;
const weftCmd = () => `& ${[process.execPath, realpathSync(weftBin)].map(pwshQuote).join(' ')}`;

/** Makes w.ws's WEFT_DEMO come from an included file, conf/base.yaml (not one of weft.yaml, weft.local.yaml), set up and trusted. */
async function withInclude(w: Awaited<ReturnType<typeof world>>) {
  mkdirSync(join(w.ws, 'conf'));
  writeFileSync(join(w.ws, 'weft.yaml'), 'include: [conf/base.yaml]\nsources:\n  lib:\n    local: lib\n    env: { PATH: bin }\n');
  writeFileSync(join(w.ws, 'conf', 'base.yaml'), 'env:\n  WEFT_DEMO: hello\n');
  assert.is((await weft(['up', '-q'], { cwd: w.ws, env: w.env })).code, 0);
  assert.is((await weft(['trust', '-q'], { cwd: w.ws, env: w.env })).code, 0);
}

// Each edit as a user makes it: a file of the new text copied in place.
const edits = [
  { what: 'weft.yaml', file: 'weft.yaml', text: 'sources:\n  lib:\n    local: lib\n    env: { PATH: bin }\nenv:\n  WEFT_DEMO: edited\n' },
  { what: 'a new weft.local.yaml', file: 'weft.local.yaml', text: 'env:\n  WEFT_DEMO: edited\n' },
  { what: 'a file weft.yaml includes', file: 'conf/base.yaml', text: 'env:\n  WEFT_DEMO: edited\n', include: true },
];
const show = (key: string, expr: string) => `Write-Output "${key}=[${expr}]"`;

/** A workspace of its own inside w.ws (ws/inner), trusted, set up with weft up. */
async function nestedWorkspace(w: Awaited<ReturnType<typeof world>>) {
  const inner = join(w.ws, 'inner');
  mkdirSync(join(inner, 'ibin'), { recursive: true });
  writeFileSync(join(inner, 'weft.yaml'), 'env:\n  PATH: ibin\n  INNER_DEMO: inner\n');
  assert.is((await weft(['up', '-q'], { cwd: inner, env: w.env })).code, 0);
  assert.is((await weft(['trust', '-q'], { cwd: inner, env: w.env })).code, 0);
  return { inner, innerBin: join(inner, 'ibin') };
}

/** Lines that print the two workspaces' variables, PATH and the active workspace, each KEY prefixed with `tag`. */
const showAll = (tag: string) => [
  show(`${tag}_DEMO`, '$env:WEFT_DEMO'), show(`${tag}_INNER`, '$env:INNER_DEMO'), show(`${tag}_PATH`, '$env:PATH'), show(`${tag}_WS`, '$env:WEFT_WORKSPACE'),
];
const valuesOf = (out: string, tag: string) => ({
  demo: value(out, `${tag}_DEMO`), inner: value(out, `${tag}_INNER`), path: value(out, `${tag}_PATH`), ws: value(out, `${tag}_WS`),
});

if (pwsh === undefined) {
  test('pwsh is not installed: weft hook pwsh prints exactly test/fixtures/hook/pwsh.ps1', async () => {
    const w = await world(true);
    try {
      const script = pwshQuote(realpathSync(weftBin));
      const expected = readFileSync(fixture, 'utf8')
        .replaceAll('@NODE@', pwshQuote(process.execPath))
        .replaceAll('@SCRIPT@', script)
        // The script's path inside a quoted message.
        .replaceAll('@SCRIPT_TEXT@', script.slice(1, -1));
      assert.fixture(w.hookText, expected);
    } finally {
      w.cleanup();
    }
  });
} else {
  test("pwsh: entering activates (PATH entry and a scalar), a subdirectory keeps it, leaving reverts, keeping the user's own PATH edit and restoring the replaced scalar", async () => {
    const w = await world(true);
    try {
      const r = w.run([
        "$env:WEFT_DEMO = 'orig'",
        `Set-Location '${w.ws}'`, 'hook',
        show('A_DEMO', '$env:WEFT_DEMO'), show('A_PATH', '$env:PATH'),
        'Set-Location sub', 'hook',
        show('B_DEMO', '$env:WEFT_DEMO'),
        `$env:PATH = '/userbin:' + $env:PATH`,
        `Set-Location '${w.out}'`, 'hook',
        show('C_DEMO', '$env:WEFT_DEMO'), show('C_PATH', '$env:PATH'), show('C_ADDED', '$(Test-Path Env:WEFT_ENV_ADDED)'),
        show('PROMPT', '$("$function:prompt" -match "__weft_hook")'),
      ]);
      assert.is(r.status, 0, r.err);
      assert.is(value(r.out, 'A_DEMO'), 'hello', r.out + r.err);
      assert.is(value(r.out, 'A_PATH'), `${w.libBin}:${w.path}`);
      assert.is(value(r.out, 'B_DEMO'), 'hello');
      assert.is(value(r.out, 'C_DEMO'), 'orig');
      assert.is(value(r.out, 'C_PATH'), `/userbin:${w.path}`);
      assert.is(value(r.out, 'C_ADDED'), 'False');
      assert.is(value(r.out, 'PROMPT'), 'True');
      assert.is(r.err, '');
    } finally {
      w.cleanup();
    }
  });

  test('pwsh: an untrusted workspace says once how to trust it and is not activated; weft trust activates it at the next prompt', async () => {
    const w = await world(false);
    try {
      const r = w.run([
        `Set-Location '${w.ws}'`, 'hook', show('A_DEMO', '$env:WEFT_DEMO'),
        'Set-Location sub', 'hook', 'hook', show('B_DEMO', '$env:WEFT_DEMO'),
        `${weftCmd()} trust -q`, 'hook', show('C_DEMO', '$env:WEFT_DEMO'),
      ]);
      assert.is(value(r.out, 'A_DEMO'), '', r.out + r.err);
      assert.is(value(r.out, 'B_DEMO'), '');
      assert.is(r.err.split(`weft: ${w.ws} is not trusted; run 'weft trust' to activate it`).length - 1, 1, r.err);
      assert.is(value(r.out, 'C_DEMO'), 'hello');
    } finally {
      w.cleanup();
    }
  });

  test('pwsh: weft up inside the workspace is picked up at the next prompt, and a nested pwsh takes the environment over without applying it twice', async () => {
    const w = await world(true);
    try {
      writeFileSync(join(w.dir, 'nested.ps1'), [
        `Get-Content -Raw -LiteralPath '${join(w.dir, 'hook.ps1')}' | Out-String | Invoke-Expression`,
        'Set-Location sub', '__weft_hook', show('N_DEMO', '$env:WEFT_DEMO'), show('N_PATH', '$env:PATH'),
      ].join('\n'));
      const r = w.run([
        `Set-Location '${w.ws}'`, 'hook',
        `Set-Content -LiteralPath weft.yaml -Value "sources:\`n  lib:\`n    local: lib\`n    env: { PATH: bin }\`nenv:\`n  WEFT_DEMO: second\`n" -NoNewline`,
        `${weftCmd()} trust -q`, `${weftCmd()} up -q`, 'hook',
        show('B_DEMO', '$env:WEFT_DEMO'), show('B_PATH', '$env:PATH'),
        "$env:WEFT_DEMO = 'mine'",
        `& '${pwsh}' -NoProfile -NonInteractive -File '${join(w.dir, 'nested.ps1')}'`,
      ]);
      assert.is(value(r.out, 'B_DEMO'), 'second', r.out + r.err);
      assert.is(value(r.out, 'B_PATH'), `${w.libBin}:${w.path}`);
      assert.is(value(r.out, 'N_DEMO'), 'mine');
      assert.is(value(r.out, 'N_PATH'), `${w.libBin}:${w.path}`);
    } finally {
      w.cleanup();
    }
  });

  for (const edit of edits) {
    test(`pwsh: ${edit.what}, edited while inside, is seen at the next prompt (the edit revokes trust: taken out, one line saying how to trust), and weft trust applies the edited values, not the ones rendered before`, async () => {
      const w = await world(true);
      try {
        if (edit.include) await withInclude(w);
        const saved = join(w.dir, 'edited.yaml');
        writeFileSync(saved, edit.text);
        const r = w.run([
          `Set-Location '${w.ws}'`, 'hook', show('A_DEMO', '$env:WEFT_DEMO'),
          `Copy-Item -LiteralPath '${saved}' -Destination '${join(w.ws, edit.file)}'`, 'hook',
          show('B_DEMO', '$env:WEFT_DEMO'), show('B_PATH', '$env:PATH'),
          'hook', `${weftCmd()} trust -q`, 'hook',
          show('C_DEMO', '$env:WEFT_DEMO'), show('C_PATH', '$env:PATH'),
          `Set-Location '${w.out}'`, 'hook',
          show('D_DEMO', '$env:WEFT_DEMO'), show('D_PATH', '$env:PATH'),
        ]);
        const msg = r.out + r.err;
        assert.is(value(r.out, 'A_DEMO'), 'hello', msg);
        assert.is(value(r.out, 'B_DEMO'), '', msg);
        assert.is(value(r.out, 'B_PATH'), w.path, msg);
        assert.is(count(r.err, `weft: ${w.ws} is not trusted; run 'weft trust' to activate it`), 1, msg);
        assert.is(value(r.out, 'C_DEMO'), 'edited', msg);
        assert.is(value(r.out, 'C_PATH'), `${w.libBin}:${w.path}`, msg);
        assert.is(value(r.out, 'D_DEMO'), '', msg);
        assert.is(value(r.out, 'D_PATH'), w.path, msg);
      } finally {
        w.cleanup();
      }
    });
  }

  test('pwsh: prompts and moves inside a workspace whose manifest includes another file (watched too) start no weft; entering and leaving start it once each', async () => {
    const w = await world(true, 'logged');
    try {
      await withInclude(w);
      const r = w.run([`Set-Location '${w.ws}'`, 'hook', 'hook', 'hook', 'Set-Location sub', 'hook', 'Set-Location ..', 'hook', `Set-Location '${w.out}'`, 'hook', 'hook']);
      assert.is(r.status, 0, r.err);
      assert.equal(w.calls(), [`hook -C ${w.ws} --apply`, 'hook --revert'], r.out + r.err);
    } finally {
      w.cleanup();
    }
  });

  test('pwsh: weft gone after the hook was loaded (uninstalled, moved): leaving says so once in one line, not a stack trace at every prompt, keeps what was applied known, and reverts it once weft is back', async () => {
    const w = await world(true, 'script');
    try {
      const away = `${w.weftScript}.away`;
      const r = w.run([
        "$env:WEFT_DEMO = 'orig'",
        `Set-Location '${w.ws}'`, 'hook', show('A_DEMO', '$env:WEFT_DEMO'),
        `Move-Item -LiteralPath '${w.weftScript}' -Destination '${away}'`,
        `Set-Location '${w.out}'`, 'hook', 'hook', 'hook',
        show('B_DEMO', '$env:WEFT_DEMO'),
        `Move-Item -LiteralPath '${away}' -Destination '${w.weftScript}'`, 'hook',
        show('C_DEMO', '$env:WEFT_DEMO'), show('C_PATH', '$env:PATH'),
      ]);
      const msg = r.out + r.err;
      assert.is(value(r.out, 'A_DEMO'), 'hello', msg);
      assert.is(value(r.out, 'B_DEMO'), 'hello', msg);
      assert.is(count(r.err, `weft: cannot run ${w.weftScript} (moved or uninstalled)`), 1, msg);
      assert.not.match(r.err, /MODULE_NOT_FOUND|Cannot find module|not trusted/, msg);
      assert.is(value(r.out, 'C_DEMO'), 'orig', msg);
      assert.is(value(r.out, 'C_PATH'), w.path, msg);
    } finally {
      w.cleanup();
    }
  });

  for (const trusted of [true, false]) {
    test(`pwsh: in a workspace nested in ${trusted ? 'a trusted' : 'an untrusted'} one, the environment is the nested one's whether entered from outside or from the outer one; leaving it for the outer gives the outer's back`, async () => {
      const w = await world(trusted);
      try {
        const { inner, innerBin } = await nestedWorkspace(w);
        const r = w.run([
          `Set-Location '${inner}'`, 'hook', ...showAll('DIRECT'),
          `Set-Location '${w.out}'`, 'hook',
          `Set-Location '${w.ws}'`, 'hook', ...showAll('OUTER'),
          'Set-Location inner', 'hook', 'hook', ...showAll('THROUGH'),
          'Set-Location ..', 'hook', ...showAll('BACK'),
        ]);
        const msg = r.out + r.err;
        const outer = trusted ? { demo: 'hello', inner: '', path: `${w.libBin}:${w.path}`, ws: w.ws } : { demo: '', inner: '', path: w.path, ws: '' };
        assert.equal(valuesOf(r.out, 'OUTER'), outer, msg);
        assert.equal(valuesOf(r.out, 'THROUGH'), valuesOf(r.out, 'DIRECT'), msg);
        assert.equal(valuesOf(r.out, 'THROUGH'), { demo: '', inner: 'inner', path: `${innerBin}:${w.path}`, ws: inner }, msg);
        assert.equal(valuesOf(r.out, 'BACK'), outer, msg);
      } finally {
        w.cleanup();
      }
    });
  }
}

test.run();
