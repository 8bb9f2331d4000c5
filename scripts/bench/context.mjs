// The bench's context: configuration from the environment, the temp directory layout,
// the environment every child gets (no user config), and how weft is invoked.
import { mkdir, writeFile, chmod } from 'node:fs/promises';
import { join } from 'node:path';
import { run, describeFailure } from './run.mjs';

export const SCENARIO_NAMES = ['hook', 'env', 'git', 'archive', 'plan'];

export function readConfig(env = process.env) {
  const quick = env.WEFT_BENCH_QUICK === '1';
  const int = (name, dflt) => {
    const v = env[name];
    if (v === undefined || v === '') return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got "${v}"`);
    return n;
  };
  const only = env.WEFT_BENCH_ONLY ? env.WEFT_BENCH_ONLY.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
  const unknown = only?.filter((s) => !SCENARIO_NAMES.includes(s)) ?? [];
  if (unknown.length) throw new Error(`WEFT_BENCH_ONLY: unknown scenario ${unknown.join(', ')}; known: ${SCENARIO_NAMES.join(', ')}`);
  return {
    quick,
    keep: env.WEFT_BENCH_KEEP === '1',
    only,
    runs: int('WEFT_BENCH_RUNS', quick ? 2 : 5),
    // one discarded round before the heavy scenarios: the first clone/download of a run
    // pays for cold caches (page cache, node's compile cache) that later ones do not
    warmup: quick ? 0 : 1,
    jobs: int('WEFT_BENCH_JOBS', 8),
    hookIterations: quick ? 200 : 1000,
    envRepeats: quick ? 5 : 20,
    repos: quick ? 10 : 50,
    commits: quick ? 10 : 30,
    archiveBytes: (quick ? 20 : 200) * 1024 * 1024,
    planSources: 1000,
  };
}

/**
 * Layout under root: work/ (everything bulky; removed at the end unless KEEP),
 * work/home (HOME, XDG dirs), work/bin (a `weft` shim for the hook).
 */
export async function makeContext({ root, repoRoot, config, cleanup, log }) {
  const work = join(root, 'work');
  const home = join(work, 'home');
  const bin = join(work, 'bin');
  const weftBin = join(repoRoot, 'bin', 'weft.js');
  for (const d of [home, join(home, '.config'), join(home, '.cache'), join(home, '.local', 'share'), bin]) {
    await mkdir(d, { recursive: true });
  }
  await writeFile(join(bin, 'weft'), `#!/bin/sh\nexec '${process.execPath}' '${weftBin}' "$@"\n`);
  await chmod(join(bin, 'weft'), 0o755);

  const baseEnv = {
    PATH: `${bin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    XDG_CACHE_HOME: join(home, '.cache'),
    XDG_DATA_HOME: join(home, '.local', 'share'),
    LANG: 'C.UTF-8',
    LC_ALL: 'C.UTF-8',
    TERM: 'dumb',
    NO_COLOR: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    TMPDIR: join(work, 'tmp'),
    // weft's compiled-code cache (src/cli/load.cts) is the user's, not a workspace's or a
    // source cache's: kept across rounds and scenarios as it is across a user's runs, while
    // each cold round still starts from an empty WEFT_CACHE_DIR. Warm-up rounds write it.
    WEFT_CODE_CACHE: join(home, '.cache', 'weft-code'),
  };
  await mkdir(baseEnv.TMPDIR, { recursive: true });

  const weftEnv = (cacheDir) => ({ ...baseEnv, WEFT_CACHE_DIR: cacheDir ?? join(work, 'cache-default') });

  /** Runs weft; resolves with the run result (any exit code). */
  const weft = (args, { cacheDir, cwd, timeoutMs } = {}) =>
    run(process.execPath, [weftBin, ...args], { cwd: cwd ?? work, env: weftEnv(cacheDir), timeoutMs });

  /** Runs weft, throws unless it exits 0; resolves with the result (result.ms is its time). */
  const weftOk = async (args, opts) => {
    const r = await weft(args, opts);
    if (r.code !== 0) throw new Error(describeFailure('weft', args, r));
    return r;
  };

  return { root, work, home, bin, weftBin, repoRoot, config, baseEnv, weftEnv, weft, weftOk, cleanup, log };
}

/** A set of async stop functions, run once each, newest first. */
export function makeCleanup() {
  const fns = [];
  let running;
  let done = false;
  const step = async (fn) => {
    try {
      await fn();
    } catch (err) {
      process.stderr.write(`bench: cleanup step failed: ${err?.message ?? err}\n`);
    }
  };
  const drain = async () => {
    while (fns.length) await step(fns.pop());
    done = true;
  };
  return {
    // a server started while the bench is being stopped is stopped at once
    add: (fn) => (done ? void step(fn) : fns.push(fn)),
    // a signal and the normal end may both ask; the second waits for the first
    runAll: () => (running ??= drain()),
  };
}
