// The hook must cost nothing at a prompt where nothing changed: weft (Node) may start only
// when entering a workspace (to ask about trust) and when leaving it (to revert).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hookCode } from '../../src/shell/hook/index.js';
import { isolatedEnv, weft, weftBin } from '../helpers/cli.js';
import { interactive } from '../helpers/hook-shell.js';
import { tempDir } from '../helpers/tmp.js';

for (const [shell, include] of (['bash', 'zsh', 'fish'] as const).flatMap((s) => [[s, false], [s, true]] as const)) {
  test(`${shell}: prompts and cds inside a workspace${include ? ' whose manifest includes another file (watched too)' : ''} start no weft; entering and leaving start it once each`, async () => {
    const { dir, cleanup } = tempDir('weft-hook-spawn-');
    try {
      const ws = join(dir, 'ws');
      mkdirSync(join(ws, 'lib', 'bin'), { recursive: true });
      mkdirSync(join(ws, 'a', 'b'), { recursive: true });
      writeFileSync(join(ws, 'weft.yaml'), `${include ? 'include: [base.yaml]\n' : ''}sources:\n  lib:\n    local: lib\n    env: { PATH: bin }\n`);
      if (include) writeFileSync(join(ws, 'base.yaml'), 'env:\n  FROM_BASE: yes\n');
      const env = isolatedEnv(dir, { PATH: '/usr/local/bin:/usr/bin:/bin' });
      assert.is((await weft(['up', '-q'], { cwd: ws, env })).code, 0);
      assert.is((await weft(['trust'], { cwd: ws, env })).code, 0);
      assert.is(existsSync(join(ws, '.weft', 'env', 'inputs')), include, 'the hook reads an inputs file only when there are included files');
      const log = join(dir, 'calls.log');
      const wrapper = join(dir, 'weft-logged');
      writeFileSync(wrapper, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${process.execPath}' '${weftBin}' "$@"\n`);
      chmodSync(wrapper, 0o755);
      const hookFile = join(dir, `hook.${shell}`);
      writeFileSync(hookFile, hookCode(shell, { weftArgv: [wrapper] }));
      const load = shell === 'fish' ? `source ${hookFile}` : `. ${hookFile}`;
      const script = [load, `cd ${ws}`, 'echo one', 'echo two', 'cd a/b', 'echo three', 'cd ..', 'cd .', `cd ${dir}`, 'echo four', 'echo five'].join('\n');
      const { out, err } = await interactive(shell, script, env, dir);
      const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
      assert.equal(calls, [`trust --status --quiet -C ${ws}`, `env --unset --shell ${shell}`], out + err);
    } finally {
      cleanup();
    }
  });
}

test.run();
