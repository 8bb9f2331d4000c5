// What `weft up` shows while it works on a terminal (report.ts): a live spinner where the
// terminal can draw one, plain lines where it cannot. Run in a real pseudo-terminal (tmux).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weftBin } from '../helpers/cli.js';
import { gitSandbox, makeUpstream, type GitSandbox } from '../helpers/git-repo.js';
import { startTmux, type TmuxSession } from '../helpers/tmux.js';

let sb: GitSandbox;
let t: TmuxSession | undefined;

test.before.each(() => {
  sb = gitSandbox();
  const a = makeUpstream(sb, 'alpha');
  const b = makeUpstream(sb, 'beta');
  writeFileSync(join(sb.workspace, 'weft.yaml'), `weft: 1\nsources:\n  alpha:\n    git: ${a.dir}\n  beta:\n    git: ${b.dir}\n`);
});

test.after.each(async () => {
  await t?.kill();
  t = undefined;
  sb.cleanup();
});

/** `weft up ARGS` on a terminal, with `extra` in its environment (CI never set). */
function upOnTerminal(extra: NodeJS.ProcessEnv, ...args: string[]): TmuxSession {
  const env = isolatedEnv(sb.root, { WEFT_CACHE_DIR: sb.cache });
  delete env['CI'];
  const script = join(sb.root, 'run.sh');
  const assign = Object.entries(extra).map(([k, v]) => `${k}=${v} `).join('');
  writeFileSync(script, `${assign}${JSON.stringify(process.execPath)} ${JSON.stringify(weftBin)} up ${args.join(' ')}\n`);
  t = startTmux({ argv: ['sh', script], cwd: sb.workspace, env, width: 100, height: 30 });
  return t;
}

test('TERM=dumb (a terminal that cannot redraw a line): plain lines per source, as off a terminal, not a frozen "- 0/2"', async () => {
  const s = upOnTerminal({ TERM: 'dumb' });
  assert.is(await s.exitStatus(60_000), 0, s.screen());
  const screen = s.screen();
  assert.match(screen, 'weft: fetching alpha');
  assert.match(screen, 'weft: fetching beta');
  assert.not.match(screen, /^- 0\/2/m, screen);
});

test.run();
