// `weft hook pwsh`. PowerShell cannot be installed on the machines these tests were written
// on: when `pwsh` is on PATH the hook runs in a real pwsh (each prompt's hook call made by
// hand, so no terminal is needed); otherwise its text is compared, exactly, with
// test/fixtures/hook/pwsh.ps1, which a change to the hook must update deliberately.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isolatedEnv, weft, weftBin } from '../helpers/cli.js';
import { findShell } from '../helpers/shell-more.js';
import { tempDir } from '../helpers/tmp.js';
import { pwshQuote } from '../../src/shell/renderers/pwsh.js';

const pwsh = findShell('pwsh');
const fixture = fileURLToPath(new URL('../../../test/fixtures/hook/pwsh.ps1', import.meta.url));

async function world(trusted: boolean) {
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
  writeFileSync(hookFile, hook.stdout);
  /** Runs `lines` in pwsh after loading the hook; `hook` stands for a prompt. */
  const run = (lines: string[]) => {
    const script = join(t.dir, 'script.ps1');
    writeFileSync(script, [`Get-Content -Raw -LiteralPath '${hookFile}' | Out-String | Invoke-Expression`, ...lines.map((l) => (l === 'hook' ? '__weft_hook' : l))].join('\n') + '\n');
    const r = spawnSync(pwsh!, ['-NoProfile', '-NonInteractive', '-File', script], { cwd: t.dir, env, encoding: 'utf8' });
    return { out: r.stdout, err: r.stderr, status: r.status };
  };
  return { ...t, ws, out, env, run, hookText: hook.stdout, libBin: join(ws, 'lib', 'bin'), path: env['PATH']! };
}

const value = (out: string, key: string) => new RegExp(`^${key}=\\[(.*)\\]$`, 'm').exec(out)?.[1];
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
      const expected = readFileSync(fixture, 'utf8').replace('@WEFT@', [process.execPath, realpathSync(weftBin)].map(pwshQuote).join(' '));
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
      const weftCmd = `& ${[process.execPath, realpathSync(weftBin)].map(pwshQuote).join(' ')}`;
      const r = w.run([
        `Set-Location '${w.ws}'`, 'hook', show('A_DEMO', '$env:WEFT_DEMO'),
        'Set-Location sub', 'hook', 'hook', show('B_DEMO', '$env:WEFT_DEMO'),
        `${weftCmd} trust -q`, 'hook', show('C_DEMO', '$env:WEFT_DEMO'),
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
      const weftCmd = `& ${[process.execPath, realpathSync(weftBin)].map(pwshQuote).join(' ')}`;
      writeFileSync(join(w.dir, 'nested.ps1'), [
        `Get-Content -Raw -LiteralPath '${join(w.dir, 'hook.ps1')}' | Out-String | Invoke-Expression`,
        'Set-Location sub', '__weft_hook', show('N_DEMO', '$env:WEFT_DEMO'), show('N_PATH', '$env:PATH'),
      ].join('\n'));
      const r = w.run([
        `Set-Location '${w.ws}'`, 'hook',
        `Set-Content -LiteralPath weft.yaml -Value "sources:\`n  lib:\`n    local: lib\`n    env: { PATH: bin }\`nenv:\`n  WEFT_DEMO: second\`n" -NoNewline`,
        `${weftCmd} trust -q`, `${weftCmd} up -q`, 'hook',
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
