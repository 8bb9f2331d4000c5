// Scenarios 3–5 on one fixture: N repositories with history behind `git daemon`.
//   3. cold `weft up` vs parallel raw `git clone` and `vcs import --workers J` (and, for
//      context, a Node.js program that only runs the clones: node-floor.mjs)
//   4. no-op `weft up` (pinned, and branches) vs `vcs import` re-run on its workspace
//   5. a second workspace on the warm cache vs cold
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gitManifest, makeRepos, reposFile, startGitDaemon, verifyCheckouts } from '../fixtures.mjs';
import { firstLine, measured as v, rounds } from '../measure.mjs';
import { describeFailure, run } from '../run.mjs';
import { makeRow } from '../table.mjs';

export async function gitScenario(ctx) {
  const { repos: count, commits, jobs, runs } = ctx.config;
  const base = join(ctx.work, 'git');
  const log = ctx.log;
  log(`  git: making ${count} repositories × ${commits} commits …`);
  const t0 = Date.now();
  const repos = await makeRepos(join(base, 'served'), { count, commits });
  log(`    made in ${Date.now() - t0} ms; starting git daemon`);
  const daemon = await startGitDaemon(join(base, 'served'), ctx.cleanup);
  try {
    const probe = await run('git', ['ls-remote', `${daemon.url}/${repos[0].name}.git`], { env: ctx.baseEnv, timeoutMs: 30_000 });
    if (probe.code !== 0) throw new Error(`git daemon does not serve: ${describeFailure('git', ['ls-remote'], probe)}`);
    return await measure(ctx, { base, repos, url: daemon.url, jobs, runs });
  } finally {
    await daemon.stop();
  }
}

async function measure(ctx, { base, repos, url, jobs, runs }) {
  const log = ctx.log;
  const head = (r) => r.head;
  const files = join(base, 'inputs');
  await mkdir(files, { recursive: true });
  const branchManifest = gitManifest('bench-git', repos, url, () => 'main');
  const pinnedManifest = gitManifest('bench-git-pinned', repos, url, head);
  await writeFile(join(files, 'branch.repos'), reposFile(repos, url, () => 'main'));
  await writeFile(join(files, 'pinned.repos'), reposFile(repos, url, head));
  await writeFile(join(files, 'clone.list'), repos.map((r) => `${url}/${r.name}.git ${r.name}`).join('\n') + '\n');

  // Every round writes into a directory no earlier round used; all of them go with the
  // bench's work directory at the end. Deleting the last round's output just before a round
  // charged that deletion to whoever ran next: on ext4 without a journal (this kind of VM's
  // disk), each new inode is allocated by stepping one by one past the inodes of its block
  // group freed in the last minute, or the last six while the group's inode table has not
  // been written back (fs/ext4/ialloc.c, recently_deleted: 60 s, plus 300 s while that
  // block is dirty). perf: `recently_deleted` took ~30 % of the CPU of a warm `weft up`
  // made right after the previous round was removed. By hand: a new file took 225–240 µs
  // within minutes of an `rm -rf` of thousands of files nearby, 38 µs some ten minutes on.
  // Spreading the rounds over fresh block groups does not help (chattr +T on the parent,
  // one bench each way: 8 % of all its CPU went there instead of 0.3 %).
  const latest = new Map();
  let serial = 0;
  const fresh = async (name) => {
    const dir = join(base, `${name}.${serial++}`);
    await mkdir(dir, { recursive: true });
    latest.set(name, dir);
    return dir;
  };
  const d = (name) => latest.get(name) ?? join(base, name);
  const weftWs = async (name, manifest) => {
    await writeFile(join(await fresh(name), 'weft.yaml'), manifest);
  };
  const up = async (ws, cacheDir) => (await ctx.weftOk(['-C', ws, 'up', '-j', String(jobs)], { cacheDir })).ms;
  const vcsImport = async (input, dest) => {
    const args = ['import', '--workers', String(jobs), '--input', join(files, input), dest];
    const r = await run('vcs', args, { env: ctx.baseEnv, timeoutMs: 20 * 60_000 });
    if (r.code !== 0) throw new Error(describeFailure('vcs', args, r));
    return r.ms;
  };

  // 3. cold
  log(`  cold: ${repos.length} sources, -j ${jobs}, ${runs} rounds`);
  const cold = await rounds(runs, [
    {
      name: 'weft up (cold)',
      prepare: async () => {
        await fresh('cache-cold');
        await weftWs('ws-cold', branchManifest);
      },
      run: () => up(d('ws-cold'), d('cache-cold')),
      verify: () => verifyCheckouts(d('ws-cold'), repos, head),
    },
    {
      name: 'git clone ×N (xargs -P)',
      prepare: () => fresh('clone'),
      run: async () => {
        const args = ['-c', `xargs -P ${jobs} -n 2 git clone -q < "$1"`, 'bash', join(files, 'clone.list')];
        const r = await run('bash', args, { cwd: d('clone'), env: ctx.baseEnv, timeoutMs: 20 * 60_000 });
        if (r.code !== 0) throw new Error(describeFailure('xargs git clone', [], r));
        return r.ms;
      },
      verify: () => verifyCheckouts(d('clone'), repos, head),
    },
    {
      // Not a peer: the part of the ratio any Node.js tool pays here (node-floor.mjs).
      name: 'node floor (git clone ×N from node)',
      prepare: () => fresh('floor'),
      run: async () => {
        const args = [join(ctx.repoRoot, 'scripts', 'bench', 'node-floor.mjs'), join(files, 'clone.list'), String(jobs)];
        const r = await run(process.execPath, args, { cwd: d('floor'), env: ctx.baseEnv, timeoutMs: 20 * 60_000 });
        if (r.code !== 0) throw new Error(describeFailure('node-floor.mjs', [], r));
        return r.ms;
      },
      verify: () => verifyCheckouts(d('floor'), repos, head),
    },
    {
      name: 'vcs import (cold)',
      prepare: () => fresh('vcs-branch'),
      run: () => vcsImport('branch.repos', d('vcs-branch')),
      verify: () => verifyCheckouts(d('vcs-branch'), repos, head),
    },
  ], log, { warmup: ctx.config.warmup });

  // 4. no-op: each workspace is set up once, untimed, then converged again and again.
  log(`  no-op: ${runs} rounds`);
  let pinnedReady = false;
  // the last cold round left a converged workspace behind unless that contender failed
  const leftBehind = (r) => !r.error && r.times.length > 0;
  let branchReady = leftBehind(cold['weft up (cold)']);
  let vcsBranchReady = leftBehind(cold['vcs import (cold)']);
  let vcsPinnedReady = false;
  const noop = await rounds(runs, [
    {
      name: 'weft up (no-op, pinned)',
      prepare: async () => {
        if (pinnedReady) return;
        await weftWs('ws-pinned', pinnedManifest);
        await up(d('ws-pinned'), d('cache-cold'));
        pinnedReady = true;
      },
      run: () => up(d('ws-pinned'), d('cache-cold')),
      verify: () => verifyCheckouts(d('ws-pinned'), repos, head),
    },
    {
      name: 'vcs import (re-run, pinned)',
      prepare: async () => {
        if (vcsPinnedReady) return;
        await fresh('vcs-pinned');
        await vcsImport('pinned.repos', d('vcs-pinned'));
        vcsPinnedReady = true;
      },
      run: () => vcsImport('pinned.repos', d('vcs-pinned')),
      verify: () => verifyCheckouts(d('vcs-pinned'), repos, head),
    },
    {
      name: 'weft up (no-op, branches)',
      prepare: async () => {
        if (branchReady) return;
        await fresh('cache-cold');
        await weftWs('ws-cold', branchManifest);
        await up(d('ws-cold'), d('cache-cold'));
        branchReady = true;
      },
      run: () => up(d('ws-cold'), d('cache-cold')),
      verify: () => verifyCheckouts(d('ws-cold'), repos, head),
    },
    {
      name: 'vcs import (re-run, branches)',
      prepare: async () => {
        if (vcsBranchReady) return;
        await fresh('vcs-branch');
        await vcsImport('branch.repos', d('vcs-branch'));
        vcsBranchReady = true;
      },
      run: () => vcsImport('branch.repos', d('vcs-branch')),
      verify: () => verifyCheckouts(d('vcs-branch'), repos, head),
    },
  ], log);

  // 5. warm: a second workspace of the same manifest (with the first one's lock, as a
  // team commits it) on the cache the cold runs filled.
  log(`  warm cache: ${runs} rounds`);
  const warm = await rounds(runs, [
    {
      name: 'weft up (2nd workspace, warm cache)',
      prepare: async () => {
        await weftWs('ws-warm', branchManifest);
        await copyFile(join(d('ws-cold'), 'weft.lock'), join(d('ws-warm'), 'weft.lock')).catch(() => {});
      },
      run: () => up(d('ws-warm'), d('cache-cold')),
      verify: () => verifyCheckouts(d('ws-warm'), repos, head),
    },
  ], log);

  const n = repos.length;
  const rows = [
    makeRow({ scenario: `cold up, ${n} git sources`, weft: v(cold['weft up (cold)']), peer: { name: `git clone ×${n} (xargs -P ${jobs})`, ...v(cold['git clone ×N (xargs -P)']) }, target: { kind: 'ratio', max: 1.1 }, note: `${codeCacheNote(cold['weft up (cold)'])}; ${floorNote(cold['node floor (git clone ×N from node)'], cold['git clone ×N (xargs -P)'], jobs)}` }),
    makeRow({ scenario: `cold up, ${n} git sources`, weft: v(cold['weft up (cold)']), peer: { name: `vcs import --workers ${jobs}`, ...v(cold['vcs import (cold)']) }, target: { kind: 'faster', min: 1 } }),
    makeRow({ scenario: `no-op up, ${n} pinned`, weft: v(noop['weft up (no-op, pinned)']), peer: { name: 'vcs import (re-run)', ...v(noop['vcs import (re-run, pinned)']) }, target: { kind: 'faster', min: 5 } }),
    makeRow({ scenario: `no-op up, ${n} branches (extra)`, weft: v(noop['weft up (no-op, branches)']), peer: { name: 'vcs import (re-run)', ...v(noop['vcs import (re-run, branches)']) }, target: { kind: 'faster', min: 5 } }),
    makeRow({ scenario: `2nd workspace, warm cache`, weft: v(warm['weft up (2nd workspace, warm cache)']), peer: { name: 'weft up (cold)', ...v(cold['weft up (cold)']) }, target: { kind: 'faster', min: 5 } }),
  ];
  return { rows, details: { repos: n, commits: ctx.config.commits, jobs, cold, noop, warm } };
}

/** The context for the cold ratio: how far a Node.js program that only runs the clones is from xargs. */
function floorNote(floor, xargs, jobs) {
  if (floor.error || floor.median === undefined) return `the Node.js floor failed: ${firstLine(floor.error ?? 'no time')}`;
  const ratio = xargs.median ? ` = ${(floor.median / xargs.median).toFixed(2)}× xargs` : '';
  return `a Node.js program that only runs the same clones, ${jobs} at a time (scripts/bench/node-floor.mjs), took ${Math.round(floor.median)} ms${ratio}: that much of the ratio is node's start and forks, not weft's work`;
}

/** What a cold round does not include: the user's compiled-code cache is kept (context.mjs). */
function codeCacheNote(r) {
  const first = r.warmup?.[0];
  return `each round starts with an empty source cache; weft's compiled-code cache is kept, as across a user's runs${first !== undefined ? ` (the warm-up round, which wrote it, took ${Math.round(first)} ms)` : ''}`;
}
