// Scenario 7: resolving a 1 000-source manifest (with includes) into a plan, offline —
// wall time and peak RSS of the whole weft process.
import { createHash } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { measured, rounds } from '../measure.mjs';
import { describeFailure, run } from '../run.mjs';
import { makeRow } from '../table.mjs';

const fakeCommit = (i) => createHash('sha1').update(`weft-bench-${i}`).digest('hex');

function sourceLines(from, to) {
  const lines = [];
  for (let i = from; i < to; i++) {
    const name = `s${String(i).padStart(4, '0')}`;
    lines.push(`  ${name}:`, `    git: file:///nonexistent/weft-bench/${name}.git`, `    ref: ${fakeCommit(i)}`);
    if (i % 10 === 9) lines.push(`    depends: [s${String(i - 1).padStart(4, '0')}]`);
    if (i % 3 === 0) lines.push('    env:', '      PYTHONPATH: src', '      PATH: bin');
  }
  return lines;
}

async function writeManifests(ws, count) {
  await mkdir(join(ws, 'inc'), { recursive: true });
  const a = Math.floor(count * 0.3);
  const b = Math.floor(count * 0.6);
  await writeFile(join(ws, 'inc', 'a.weft.yaml'), ['weft: 1', 'sources:', ...sourceLines(0, a), ''].join('\n'));
  await writeFile(join(ws, 'inc', 'b.weft.yaml'), ['weft: 1', 'sources:', ...sourceLines(a, b), ''].join('\n'));
  await writeFile(join(ws, 'weft.yaml'), [
    'weft: 1',
    'name: bench-plan',
    'include: [./inc/a.weft.yaml, ./inc/b.weft.yaml]',
    'sources:',
    ...sourceLines(b, count),
    'env:',
    '  WEFT_BENCH_MARK: plan',
    '',
  ].join('\n'));
}

async function hasGnuTime() {
  try {
    await access('/usr/bin/time');
    const r = await run('/usr/bin/time', ['-v', 'true']);
    return r.code === 0 && r.stderr.includes('Maximum resident set size');
  } catch {
    return false;
  }
}

export async function planScenario(ctx) {
  const count = ctx.config.planSources;
  const ws = join(ctx.work, 'plan-ws');
  await writeManifests(ws, count);
  const last = `s${String(count - 1).padStart(4, '0')}`;
  const gnuTime = await hasGnuTime();
  const hook = pathToFileURL(join(ctx.repoRoot, 'scripts', 'bench', 'rss-hook.mjs')).href;
  // Peak RSS of the whole child: GNU time when installed, else a preload that reports
  // node's own resourceUsage().maxRSS on exit.
  const wrap = (args) => (gnuTime
    ? ['/usr/bin/time', ['-v', process.execPath, ctx.weftBin, ...args]]
    : [process.execPath, ['--import', hook, ctx.weftBin, ...args]]);
  const peakMb = (stderr) => {
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(stderr) ?? /WEFT_BENCH_MAXRSS_KB=(\d+)/.exec(stderr);
    return m ? Number(m[1]) / 1024 : undefined;
  };

  // A lock makes this "plan from lock"; refs are full commits, so writing it needs no network.
  const lock = await ctx.weft(['-C', ws, 'lock'], { timeoutMs: 60_000 });
  const lockNote = lock.code === 0 ? 'weft.lock written by `weft lock` first' : `no weft.lock (weft lock: exit ${lock.code}); planned from the pinned manifest`;
  ctx.log(`  plan: ${count} sources; ${lockNote}; rss via ${gnuTime ? '/usr/bin/time -v' : 'resourceUsage preload'}`);

  const rss = {};
  const timed = (name, args, check) => ({
    name,
    run: async () => {
      const [cmd, argv] = wrap(args);
      const r = await run(cmd, argv, { cwd: ws, env: ctx.weftEnv(join(ctx.work, 'cache-plan')), timeoutMs: 120_000 });
      if (r.code !== 0) throw new Error(describeFailure('weft', args, r));
      check?.(r);
      (rss[name] ??= []).push(peakMb(r.stderr));
      return r.ms;
    },
  });
  // Once, untimed: the plan really holds every source (the JSON form is the contract).
  const json = await ctx.weft(['-C', ws, '--json', 'up', '--dry-run', '--offline'], { timeoutMs: 120_000 });
  let planNote = '';
  try {
    const plan = JSON.parse(json.stdout);
    const names = new Set(plan.sources.map((x) => x.name));
    if (names.size !== count || !names.has(last)) throw new Error(`the plan holds ${names.size} sources, expected ${count}`);
  } catch (err) {
    planNote = `; could not check the plan's size with --json (${json.code !== 0 ? `exit ${json.code}` : err.message})`;
  }
  const contenders = [timed('up --dry-run --offline', ['-C', ws, 'up', '--dry-run', '--offline'])];
  if (lock.code === 0) contenders.push(timed('lock --check', ['-C', ws, 'lock', '--check']));
  const res = await rounds(ctx.config.runs, contenders, ctx.log);
  const rows = [];
  for (const c of contenders) {
    const r = res[c.name];
    const mbs = (rss[c.name] ?? []).filter((x) => x !== undefined);
    rows.push(makeRow({ scenario: `plan ${count} sources: ${c.name}`, weft: measured(r), target: { kind: 'below', max: 1000, unit: 'ms' }, note: c === contenders[0] ? lockNote + planNote : undefined }));
    rows.push(makeRow({ scenario: `plan ${count} sources: ${c.name}, peak RSS`, weft: { value: mbs.length ? Math.max(...mbs) : null, error: r.error ?? (mbs.length ? undefined : 'no RSS reading') }, target: { kind: 'below', max: 300, unit: 'MB' } }));
  }
  return { rows, details: { sources: count, lock: lock.code === 0, ms: res, peakRssMb: rss } };
}
