// fish keeps variables as lists. A variable weft replaces comes back on leaving as the list
// it was, element for element, exported or not, not as one string of the elements joined.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildEnvModel, render, renderUnset } from '../../src/shell/index.js';
import { tempDir } from '../helpers/tmp.js';
import { baseEnv, planOf, runShell, set, sourceLine, writeScript } from '../helpers/shell.js';

const tmp = tempDir('weft-fish-list-');
test.after(() => tmp.cleanup());

const model = () => buildEnvModel(planOf({ workspace: '/ws', env: [set('MODE', 'weft'), set('OPTS', 'weft')], sources: [] }), []);

for (const [how, flag] of [['exported', '-gx'], ['not exported', '-g']] as const) {
  test(`fish: a list the user had (${how}) comes back as the same list after leaving, and as it was exported`, () => {
    const m = model();
    const on = writeScript(tmp.dir, `on-${flag}`, render(m, 'fish'));
    const off = writeScript(tmp.dir, `off-${flag}`, renderUnset(m, 'fish'));
    const script = [
      `set ${flag} MODE 'a b' c ''`,
      `set ${flag} OPTS`,
      sourceLine('fish', on),
      'echo "in: $MODE|$OPTS"',
      sourceLine('fish', off),
      "printf '<%s>' $MODE; echo",
      'echo (count $MODE) (count $OPTS)',
      'set -q OPTS; and echo OPTS set',
    ].join('\n');
    const r = runShell('fish', script, baseEnv(tmp.dir, {}));
    assert.is(r.stderr, '');
    assert.is(r.stdout, `in: weft|weft\n<a b><c><>\n3 0\nOPTS set\n`);
    if (flag === '-gx') assert.is(r.env.MODE, 'a b c ');
    else assert.is(r.env.MODE, undefined);
  });
}

test.run();
