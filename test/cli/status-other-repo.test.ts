// After the manifest's git URL changed, `weft up` refuses the old checkout
// (WEFT_E_GIT_OTHER_REPO); status and doctor must not call it clean.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeUpstream } from '../helpers/git-repo.js';
import { statusWorkspace } from '../helpers/status-workspace.js';

test('a checkout of another repository than the manifest names is a status problem (exit 1) and a doctor warning with the fix', async () => {
  const w = await statusWorkspace(['alpha']);
  try {
    const other = makeUpstream(w.sb, 'other');
    writeFileSync(join(w.ws, 'weft.yaml'), `sources:\n  alpha:\n    git: ${other.dir}\n    ref: main\n`);
    const up = await w.run('up');
    assert.match(up.stderr + up.stdout, 'WEFT_E_GIT_OTHER_REPO');
    const check = await w.run('status', '--exit-code');
    assert.is(check.code, 1, check.stdout + check.stderr);
    assert.match(check.stdout, 'checkout of another repository');
    assert.not.match(check.stdout, /\bclean\b/);
    const json = await w.run('status', '--json');
    const [row] = JSON.parse(json.stdout) as { problem?: string }[];
    assert.is(row!.problem, `checkout of another repository: origin is ${w.upstreams['alpha']!.dir}, the manifest names ${other.dir}`);
    const doctor = await w.run('doctor');
    const line = doctor.stdout.split('\n').find((l) => l.includes('source alpha')) ?? '';
    assert.match(line, /^warn\s/, doctor.stdout);
    assert.match(doctor.stdout + doctor.stderr, 'restore the URL');
    // Back to the URL it was checked out from: clean again.
    writeFileSync(join(w.ws, 'weft.yaml'), `sources:\n  alpha:\n    git: ${w.upstreams['alpha']!.dir}\n    ref: main\n`);
    const back = await w.run('status', '--exit-code');
    assert.is(back.code, 0, back.stdout);
  } finally {
    w.cleanup();
  }
});

test.run();
