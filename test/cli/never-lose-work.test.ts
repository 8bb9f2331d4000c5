// Never lose work (issue 6): every command that can move or delete a checkout, against
// every kind of work a checkout can hold. In every cell the work is still there afterwards
// and the command's output names what it did not touch.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isolatedEnv, weft, type WeftResult } from '../helpers/cli.js';
import { gitSandbox, makeUpstream, type GitSandbox, type Upstream } from '../helpers/git-repo.js';
import { CONDITIONS, snapshot, type WorkCondition } from '../helpers/work-conditions.js';

interface Cell {
  sb: GitSandbox;
  upstream: Upstream;
  ws: string;
  main: string;
  run(...args: string[]): Promise<WeftResult>;
  manifest(ref: string | undefined): void;
}

/** Its own upstream (main + feature), cache and workspace, brought up by the real weft. */
async function makeCell(): Promise<Cell> {
  const sb = gitSandbox();
  const upstream = makeUpstream(sb, 'lib');
  upstream.checkout('feature', true);
  upstream.commit('feature work', { 'feature.txt': 'feature\n' });
  upstream.checkout('main');
  const env = isolatedEnv(sb.root);
  const cell: Cell = {
    sb,
    upstream,
    ws: sb.workspace,
    main: join(sb.workspace, 'lib'),
    run: (...args) => weft(args, { cwd: sb.workspace, env }),
    manifest(ref) {
      const body = ref === undefined ? 'sources: {}\n' : `sources:\n  lib:\n    git: ${upstream.dir}\n    ref: ${ref}\n`;
      writeFileSync(join(sb.workspace, 'weft.yaml'), body);
    },
  };
  cell.manifest('main');
  const r = await cell.run('up');
  if (r.code !== 0) throw new Error(`weft up: ${r.stderr}${r.stdout}`);
  return cell;
}

/** How each kind of work is named in weft's output. */
const MENTION: Record<string, RegExp> = {
  'uncommitted changes': /file with uncommitted changes/,
  'untracked files': /untracked file/,
  'staged changes': /staged change/,
  'local commits on a branch': /(branch main with 1 commit|1 commit on HEAD) not on any remote/,
  'commits on a detached HEAD': /commit on HEAD not on any remote/,
  'a stash': /1 stash entry/,
  'an in-progress merge': /a merge is in progress/,
};

interface Expect {
  /** The command leaves the checkout exactly as it was (compared in full). */
  untouched: boolean;
  code: number;
  says: RegExp;
}

interface CommandCase {
  command: string;
  /** Before the work is made (e.g. make a branch active for merge). */
  before?(c: Cell): Promise<void>;
  act(c: Cell): Promise<WeftResult>;
  expect(condition: string): Expect;
}

const refusedOr = (allowed: string[], refused: Omit<Expect, 'untouched'>, ok: Omit<Expect, 'untouched'>) => (condition: string): Expect =>
  allowed.includes(condition) ? { untouched: false, ...ok } : { untouched: true, ...refused };

const CASES: CommandCase[] = [
  {
    command: 'weft up (the manifest moves lib to another branch)',
    act: (c) => (c.manifest('feature'), c.run('up')),
    expect: refusedOr(['a stash'], { code: 1, says: /lib .*\n\s+not moved to feature .* to keep your work/ }, { code: 0, says: /moved from main .* to feature/ }),
  },
  {
    // A run that keeps the work (or leaves a branch ahead) must not record the user's
    // commits as weft's own: the next run would no longer count them.
    command: 'weft up, then the manifest moves lib to another branch',
    act: async (c) => {
      await c.run('up');
      c.manifest('feature');
      return c.run('up');
    },
    expect: refusedOr(['a stash'], { code: 1, says: /lib .*\n\s+not moved to feature .* to keep your work/ }, { code: 0, says: /moved from main .* to feature/ }),
  },
  {
    command: 'weft update (upstream main moved on)',
    act: (c) => (c.upstream.commit('upstream moves', { 'up.txt': 'new\n' }), c.run('update')),
    expect: refusedOr(['a stash'], { code: 1, says: /not moved to main at .* to keep your work/ }, { code: 0, says: /moved from main at/ }),
  },
  {
    command: 'weft switch lib feature',
    act: (c) => c.run('switch', 'lib', 'feature'),
    expect: () => ({ untouched: true, code: 0, says: /main checkout .*\/lib left as it is \(it keeps: / }),
  },
  {
    command: 'weft switch lib feature --in-place',
    act: (c) => c.run('switch', 'lib', 'feature', '--in-place'),
    expect: refusedOr(['a stash', 'local commits on a branch'], { code: 1, says: /WEFT_E_SWITCH_DIRTY/ }, { code: 0, says: /switched in place from main to feature[\s\S]*left untouched: / }),
  },
  {
    command: 'weft merge lib (feature active)',
    before: async (c) => {
      const r = await c.run('switch', 'lib', 'feature');
      if (r.code !== 0) throw new Error(r.stderr);
    },
    act: (c) => c.run('merge', 'lib'),
    expect: refusedOr(['a stash', 'local commits on a branch'], { code: 1, says: /WEFT_E_MERGE_DIRTY/ }, { code: 0, says: /merged feature into main[\s\S]*left untouched: / }),
  },
  {
    command: 'weft prune (lib no longer listed)',
    act: (c) => (c.manifest(undefined), c.run('prune')),
    expect: () => ({ untouched: true, code: 1, says: /kept lib .*\/lib: / }),
  },
];

async function runCell(k: CommandCase, condition: WorkCondition): Promise<string[]> {
  const c = await makeCell();
  try {
    if (k.before) await k.before(c);
    condition.make(c.sb, c.main);
    const before = snapshot(c.sb, c.main);
    const r = await k.act(c);
    const out = r.stdout + r.stderr;
    const want = k.expect(condition.name);
    const problems: string[] = [];
    if (r.code !== want.code) problems.push(`exit ${r.code}, expected ${want.code}`);
    if (!want.says.test(out)) problems.push(`output does not match ${want.says}`);
    if (!MENTION[condition.name]!.test(out)) problems.push(`output does not name the work (${MENTION[condition.name]})`);
    if (/\n\s+at .*\.js:\d+/.test(out)) problems.push('a stack trace reached the user');
    problems.push(...condition.verify(c.sb, c.main));
    if (want.untouched) {
      const after = snapshot(c.sb, c.main);
      for (const key of Object.keys(before)) {
        // A branch checkout adds its own branch; every branch that was there must be as it was.
        const same = key === 'branches' ? before[key]!.split('\n').every((l) => after[key]!.split('\n').includes(l)) : before[key] === after[key];
        if (!same) problems.push(`${key} changed: ${JSON.stringify(before[key])} → ${JSON.stringify(after[key])}`);
      }
    }
    return problems.length ? [`${condition.name}: ${problems.join('; ')}\n--- output:\n${out}`] : [];
  } finally {
    c.sb.cleanup();
  }
}

/** A few cells at a time: each is its own sandbox, so they cannot disturb each other. */
async function allCells(k: CommandCase): Promise<string[]> {
  const queue = [...CONDITIONS];
  const failures: string[] = [];
  await Promise.all(
    Array.from({ length: 3 }, async () => {
      for (let cond = queue.shift(); cond; cond = queue.shift()) failures.push(...(await runCell(k, cond)));
    }),
  );
  return failures;
}

for (const k of CASES) {
  test(`${k.command} keeps every kind of work and says what it did not touch`, async () => {
    const failures = await allCells(k);
    assert.ok(failures.length === 0, `${k.command}:\n${failures.join('\n')}`);
  });
}

test.run();
