// What the CLI does when its standard output goes away or cannot be written (main.ts):
// `weft … | head` is ordinary use, and must not end in node's EPIPE stack trace.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bashWithWeft, bigEnvEntries, isolatedEnv } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

test('a reader that goes away ends the output quietly with the command exit code; a stdout that cannot be written is one line and exit 1', () => {
  const t = tempDir('weft-output-');
  try {
    mkdirSync(join(t.dir, 'lib'));
    writeFileSync(join(t.dir, 'weft.yaml'), `sources:\n  lib:\n    local: ./lib\nenv:\n${bigEnvEntries()}\n`);
    const sh = (script: string) => bashWithWeft(script, { cwd: t.dir, env: isolatedEnv(t.dir) });
    const whole = sh('"$NODE" "$WEFT" up --dry-run --json | wc -c');
    assert.ok(Number(whole.stdout.trim()) > 300_000, `more than a pipe holds: ${whole.stdout}`);

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

test.run();
