// What the CLI does when its standard output goes away or cannot be written (main.ts):
// `weft … | head` is ordinary use, and must not end in node's EPIPE stack trace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bashWithWeft, bigEnvEntries, isolatedEnv, weft } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('a slow reader gets everything; a reader that goes away ends the output quietly with the command exit code; a stdout that cannot be written is one line and exit 1', () => {
  const t = tempDir('weft-output-');
  try {
    mkdirSync(join(t.dir, 'lib'));
    writeFileSync(join(t.dir, 'weft.yaml'), `sources:\n  lib:\n    local: ./lib\nenv:\n${bigEnvEntries()}\n`);
    const sh = (script: string) => bashWithWeft(script, { cwd: t.dir, env: isolatedEnv(t.dir) });
    const whole = sh('"$NODE" "$WEFT" up --dry-run --json | wc -c');
    assert.ok(Number(whole.stdout.trim()) > 300_000, `more than a pipe holds: ${whole.stdout}`);
    // A reader that starts late: what the pipe cannot hold yet waits in weft, which leaves only once it is through.
    const late = sh('"$NODE" "$WEFT" up --dry-run --json | { sleep 1; wc -c; }');
    assert.is(late.stdout.trim(), whole.stdout.trim(), late.stderr);

    const gone = sh('set -o pipefail; "$NODE" "$WEFT" up --dry-run --json | head -c 10 >/dev/null');
    assert.is(gone.status, 0, gone.stderr);
    assert.is(gone.stderr, '');

    const full = sh('"$NODE" "$WEFT" up --dry-run --json >/dev/full');
    assert.is(full.status, 1);
    assert.is(full.stderr, 'weft: cannot write to standard output: ENOSPC: no space left on device, write\n');
  } finally {
    t.cleanup();
  }
});

test('with --json, an error is also data on stdout: code, message, hint and where; not for a command after --', async () => {
  const t = tempDir('weft-output-');
  try {
    writeFileSync(join(t.dir, 'weft.yaml'), 'weft: 1\nsources:\n  a:\n    git: https://h/a.git\n    reff: main\n');
    const env = isolatedEnv(t.dir);
    const r = await weft(['up', '--json'], { cwd: t.dir, env });
    assert.is(r.code, 2);
    assert.match(r.stderr, 'WEFT_E_MANIFEST_UNKNOWN_KEY');
    const data = JSON.parse(r.stdout) as { ok: boolean; errors: { code: string; file: string; line: number; col: number; hint?: string }[] };
    assert.is(data.ok, false);
    assert.equal([data.errors[0]!.code, data.errors[0]!.file, data.errors[0]!.line], ['WEFT_E_MANIFEST_UNKNOWN_KEY', join(t.dir, 'weft.yaml'), 5]);
    assert.match(data.errors[0]!.hint ?? '', 'ref');
    const run = await weft(['run', '--', 'weft-no-such-command-xyz', '--json'], { cwd: t.dir, env });
    assert.is(run.stdout, '', 'a command\'s own --json is not weft\'s');
  } finally {
    t.cleanup();
  }
});

test.run();
