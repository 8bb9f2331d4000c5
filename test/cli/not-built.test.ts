// bin/weft.js in a checkout of weft that was never built (`npm ci` or `npm run build` not
// run, or dist/ removed): one line saying what to run and exit 70, for the commands that
// load the CLI and for `weft env`'s fast path, never node's stack trace.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { weftBin } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

for (const args of [['up'], ['--version'], ['env'], ['env', '--shell', 'bash']]) {
  test(`weft ${args.join(' ')} in an unbuilt checkout says to build it, in one line, exit 70`, () => {
    const t = tempDir('weft-not-built-');
    try {
      const root = join(t.dir, 'weft');
      mkdirSync(join(root, 'bin'), { recursive: true });
      for (const f of ['weft.js', 'package.json']) copyFileSync(join(dirname(weftBin), f), join(root, 'bin', f));
      writeFileSync(join(root, 'package.json'), '{"type":"module"}\n');
      const r = spawnSync(process.execPath, [join(root, 'bin', 'weft.js'), ...args], { cwd: t.dir, encoding: 'utf8' });
      assert.is(r.status, 70, r.stderr);
      assert.is(r.stdout, '');
      assert.is(r.stderr, `weft: weft has not been built: run "npm run build" in ${root}\n`);
    } finally {
      t.cleanup();
    }
  });
}

test.run();
