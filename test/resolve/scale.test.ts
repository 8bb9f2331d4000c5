// A thousand sources load correctly (the time budget is measured in `npm run bench`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import type { GitSource } from '../../src/types.js';
import { assertProblem, rejects, testWorkspace } from '../helpers/manifest.js';

const N = 1000;

function manifest(extra = ''): string {
  const lines = ['vars:', '  host: https://git.example', 'sources:'];
  for (let i = 0; i < N; i++) {
    lines.push(`  s${i}:`, `    git: \${host}/g${i % 10}/s${i}.git`, `    ref: v${i}`, `    path: g${i % 10}/s${i}`);
    if (i > 0) lines.push(`    depends: [s${i - 1}]`);
    lines.push('    env: {PATH: bin}');
  }
  return lines.join('\n') + '\n' + extra;
}

test('a 1000-source manifest with a dependency chain loads completely', async () => {
  const ws = testWorkspace({ 'weft.yaml': manifest() });
  try {
    const plan = await ws.load();
    assert.is(plan.sources.length, N);
    const last = plan.sources[N - 1] as GitSource;
    assert.is(last.url, `https://git.example/g9/s${N - 1}.git`);
    assert.is(last.dir, join(ws.dir, 'g9', `s${N - 1}`));
    assert.equal(plan.envOrder, Array.from({ length: N }, (_, i) => `s${N - 1 - i}`));
  } finally {
    ws.cleanup();
  }
});

test('a clash among 1000 sources is found', async () => {
  const ws = testWorkspace({ 'weft.yaml': manifest('') + '' });
  ws.write({ 'weft.yaml': manifest().replace('    path: g7/s777\n', '    path: g3/s3/inner\n') });
  try {
    const err = await rejects(() => ws.load());
    assertProblem(err, ws, { code: 'WEFT_E_MANIFEST_PATH_CONFLICT', message: 'source `s777`', hint: 'change `path` of `s777` or `s3`' });
    assert.is(err.all().length, 1);
  } finally {
    ws.cleanup();
  }
});

test.run();
