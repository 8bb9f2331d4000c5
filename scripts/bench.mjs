#!/usr/bin/env node
// `npm run bench`: weft against its peers, side by side in one run, as ratios against
// the performance budget in design.md. Every scenario is guarded: a failing weft (or
// peer) shows up as "failed" in its rows and the bench goes on. Exit 0 unless the
// harness itself breaks.
//   WEFT_BENCH_RUNS=N   rounds per measurement (default 5; quick 2)
//   WEFT_BENCH_QUICK=1  small sizes, for a smoke test
//   WEFT_BENCH_KEEP=1   keep the work directory
//   WEFT_BENCH_JOBS=N   parallelism for weft -j, xargs -P and vcs --workers (default 8)
//   WEFT_BENCH_ONLY=hook,env,git,archive,plan   run only these scenarios
//
// Comparing two builds of weft by hand (interleaved runs of each): a copy of a build must
// keep its timestamps (cp -a, or build it in a `git worktree`). With dist/src/cli/main.js
// newer than dist/src/bundle.cjs, as `cp -r` leaves them, bin/weft.js runs the ES modules
// instead of the bundle (src/cli/load.cts), and that copy starts far more slowly. And on a
// disk without a journal (this kind of VM), a run within minutes of deleting many files
// (a test run, a bench's cleanup) makes new files more slowly (scenarios/git.mjs, above
// `fresh`, says why): wait ten minutes after one.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { makeCleanup, makeContext, readConfig } from './bench/context.mjs';
import { renderTable, summarizeError } from './bench/table.mjs';
import { stopAll } from './bench/run.mjs';
import { ensurePeers, machine } from './bench/tools.mjs';
import { hookScenario } from './bench/scenarios/hook.mjs';
import { envScenario } from './bench/scenarios/env.mjs';
import { gitScenario } from './bench/scenarios/git.mjs';
import { archiveScenario } from './bench/scenarios/archive.mjs';
import { planScenario } from './bench/scenarios/plan.mjs';

const SCENARIOS = [
  ['hook', hookScenario],
  ['env', envScenario],
  ['git', gitScenario],
  ['archive', archiveScenario],
  ['plan', planScenario],
];

const repoRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const log = (line) => process.stdout.write(line + '\n');

async function main() {
  const config = readConfig();
  const root = await mkdtemp(join(tmpdir(), 'weft-bench-'));
  const cleanup = makeCleanup();
  let harnessBroke = false;
  let stopping = false;
  const onSignal = (sig) => {
    process.stderr.write(`\nbench: ${sig}, cleaning up\n`);
    stopping = true;
    stopAll();
    cleanup.runAll()
      .then(() => (config.keep ? undefined : rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })))
      .finally(() => process.exit(130));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  cleanup.add(async () => {
    if (config.keep) log(`kept: ${join(root, 'work')}`);
    else await rm(join(root, 'work'), { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  });

  const results = { startedAt: new Date().toISOString(), config, machine: await machine(repoRoot), peers: {}, scenarios: {}, rows: [] };
  try {
    const m = results.machine;
    log(`weft bench${config.quick ? ' (quick)' : ''}: ${config.runs} rounds per measurement, -j ${config.jobs}`);
    log(`machine: ${m.nproc} cpus (${m.cpu}), ${m.memGiB} GiB, linux ${m.kernel}; node ${m.node}; bash ${m.bash}; weft ${m.weftCommit}`);
    results.peers = await ensurePeers(log);
    log(`peers: ${Object.entries(results.peers).map(([k, v]) => `${k}: ${v ?? 'missing'}`).join('; ')}`);
    const ctx = await makeContext({ root, repoRoot, config, cleanup, log });
    const built = await ctx.weft(['--version']);
    log(`weft: ${built.code === 0 ? built.stdout.trim() : `does not start yet, its rows will say "failed": ${summarizeError(`weft --version: exit ${built.code}\n${built.stderr}`)}`}`);

    for (const [name, scenario] of SCENARIOS) {
      if (stopping) break;
      if (config.only && !config.only.includes(name)) continue;
      log(`\n[${name}]`);
      const started = Date.now();
      try {
        const { rows, details } = await scenario(ctx);
        results.rows.push(...rows);
        results.scenarios[name] = { ok: true, details, seconds: (Date.now() - started) / 1000 };
      } catch (err) {
        harnessBroke = true;
        const msg = err instanceof Error ? err.stack ?? err.message : String(err);
        log(`  harness error in ${name}: ${msg}`);
        results.scenarios[name] = { ok: false, error: msg, seconds: (Date.now() - started) / 1000 };
      }
    }
  } finally {
    await cleanup.runAll();
  }
  // stopped by a signal: its handler removes everything and exits; print no half table
  if (stopping) await new Promise(() => {});

  log('\n' + renderTable(results.rows));
  for (const [name, s] of Object.entries(results.scenarios)) {
    if (!s.ok) log(`harness error in scenario ${name} (no rows): ${s.error.split('\n')[0]}`);
  }
  const out = join(root, 'bench-results.json');
  results.finishedAt = new Date().toISOString();
  await writeFile(out, JSON.stringify(results, null, 2) + '\n');
  log(`results: ${out}`);
  return harnessBroke ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`bench: harness failed: ${err?.stack ?? err}\n`);
    process.exitCode = 1;
  },
);
