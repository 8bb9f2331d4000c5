import { statSync } from 'node:fs';
import { defaults } from '../defaults.js';
import { WeftError } from '../errors.js';
import { cacheDirFrom, currentCheckout, readCheckouts } from '../fetch/index.js';
import { runPool } from '../fetch/pool.js';
import { applyEnv, buildEnvModel, isTrusted, refuseUntrustedStartupVars } from '../shell/index.js';
import type { Checkout } from '../types.js';
import { listOpt, stringOpt, type CommandSpec } from './command.js';
import { jobsHelp, parseJobs } from './jobs-option.js';
import { planFor } from './plan.js';
import { runCaptured, type Captured } from './foreach-run.js';
import { catchInterrupt } from './interrupt.js';

function failureText(r: Captured): string | undefined {
  if (r.error) return r.error;
  if (r.signal) return `killed by ${r.signal}`;
  if (r.code !== 0) return `exit ${r.code}`;
  return undefined;
}

type Result = Captured | 'missing' | 'not run' | undefined;

/** What --json prints: one entry per source, in manifest order. */
function report(chosen: { source: { name: string }; checkout: Checkout }[], results: Result[], interrupted: boolean) {
  return {
    interrupted,
    sources: chosen.map(({ source, checkout }, i) => {
      const r = results[i];
      const head = { name: source.name, dir: checkout.dir };
      if (r === 'missing') return { ...head, status: 'skipped', why: 'checkout missing' };
      if (r === undefined || r === 'not run') return { ...head, status: 'not run', why: 'interrupted' };
      const why = failureText(r);
      return {
        ...head,
        status: why ? 'failed' : 'ok',
        ...(why ? { why } : {}),
        exitCode: r.code,
        signal: r.signal,
        stdout: r.stdout,
        stderr: r.stderr,
      };
    }),
  };
}

export const command: CommandSpec = {
  name: 'foreach',
  summary: 'run a command in every checkout',
  usage: 'foreach [-j N] [--group G] -- COMMAND [ARGS…]',
  description: `
Runs COMMAND (no shell; use sh -c '…' for one) in every checkout directory (the active
one, after weft switch), several at a time, with the workspace environment plus
WEFT_SOURCE_NAME, WEFT_SOURCE_DIR (where it runs), WEFT_SOURCE_REF (the manifest's ref),
WEFT_SOURCE_COMMIT (what is checked out there now: git HEAD, svn last-changed
revision, hg changeset) and WEFT_SOURCE_BRANCH (the branch there now: git's, empty when
detached; hg's named branch). Each source's output is collected and printed under
"== name (dir)", in manifest order. Checkouts that do not exist are skipped with a note.
Exits 1 when the command failed anywhere, and lists where. Ctrl-C (or SIGTERM to weft)
is passed on to every command running, no further one starts, what they printed is
shown, and weft exits 130; a second one ends them and weft at once.
With --json, one JSON document at the end instead: each source's name, dir, status
(ok, failed, skipped, not run), why, exitCode, signal, and its stdout and stderr apart.`,
  options: {
    jobs: { type: 'string', short: 'j', arg: 'N', description: jobsHelp('commands at once') },
    group: { type: 'string', short: 'g', arg: 'G', multiple: true, description: 'only sources in group G (repeatable)' },
  },
  positionals: 'command',
  async run(ctx, args) {
    if (args.rest.length === 0) {
      throw new WeftError('WEFT_E_USAGE', 'foreach needs a command', { hint: "e.g. weft foreach -- git status --short" });
    }
    const jobs = parseJobs(stringOpt(args, 'jobs')) ?? defaults.jobs;
    // Before any command runs: a relative WEFT_CACHE_DIR fails the run, not each source.
    const cacheDir = cacheDirFrom(ctx.env);
    const groups = listOpt(args, 'group');
    const plan = await planFor(ctx);
    const checkouts = await readCheckouts(plan);
    const known = new Set(plan.sources.flatMap((s) => s.groups));
    for (const g of groups) {
      if (!known.has(g)) {
        throw new WeftError('WEFT_E_USAGE', `no source is in group "${g}"`, {
          hint: known.size ? `groups: ${[...known].sort().join(', ')}` : 'the manifest defines no groups',
        });
      }
    }
    refuseUntrustedStartupVars(plan, () => isTrusted(plan, ctx.env));
    const base = applyEnv(buildEnvModel(plan, checkouts), ctx.env);
    const chosen = plan.sources
      .map((s, i) => ({ source: s, checkout: checkouts[i]! as Checkout }))
      .filter(({ source }) => groups.length === 0 || source.groups.some((g) => groups.includes(g)));

    const results: Result[] = new Array(chosen.length).fill(undefined);
    let printed = 0;
    // Print each source as soon as it and every source before it are done: manifest order
    // without waiting for the slowest at the end.
    const flush = (): void => {
      if (ctx.json) return;
      while (printed < chosen.length && results[printed] !== undefined) {
        const { source, checkout } = chosen[printed]!;
        const r = results[printed]!;
        ctx.stdout.write(`== ${source.name} (${checkout.dir})\n`);
        if (r === 'missing') ctx.stdout.write('(skipped: checkout missing; run weft up)\n');
        else if (r === 'not run') ctx.stdout.write('(not run: interrupted)\n');
        else {
          if (r.output) ctx.stdout.write(r.output.endsWith('\n') ? r.output : r.output + '\n');
          const why = failureText(r);
          if (why) ctx.stdout.write(`(failed: ${why})\n`);
        }
        printed++;
      }
    };
    // A signal is passed on to every running command (a terminal's Ctrl-C reaches them
    // directly too, as under weft run); no new one starts; what they printed is still
    // shown. A second signal ends weft and them at once.
    const pass = new AbortController();
    const kill = new AbortController();
    const interrupt = catchInterrupt(ctx, {
      before: (sig) => pass.abort(sig),
      doing: 'passed on to the commands running; waiting for them to end',
      quit: () => kill.abort(),
    });
    try {
      await runPool(
        chosen.map(({ source, checkout }, i) => ({
          run: async () => {
            if (!statSync(checkout.dir, { throwIfNoEntry: false })?.isDirectory()) results[i] = 'missing';
            else {
              const ref = 'ref' in source ? source.ref : undefined;
              // What is checked out where the command runs (a branch checkout after weft
              // switch, a commit made there since weft up), not what weft last recorded.
              const now = await currentCheckout(checkout.type, checkout.dir, { env: ctx.env, cacheDir });
              const env = {
                ...base,
                WEFT_SOURCE_NAME: source.name,
                WEFT_SOURCE_DIR: checkout.dir,
                WEFT_SOURCE_REF: ref ?? '',
                WEFT_SOURCE_COMMIT: now.revision ?? '',
                WEFT_SOURCE_BRANCH: now.branch ?? '',
              };
              results[i] = await runCaptured(args.rest, checkout.dir, env, { pass: pass.signal, kill: kill.signal });
            }
            flush();
          },
        })),
        { jobs, jobsPerHost: jobs, signal: interrupt.signal },
      );
    } finally {
      interrupt.dispose();
    }
    if (interrupt.interrupted) {
      for (let i = 0; i < chosen.length; i++) results[i] ??= 'not run';
      flush();
    }
    const failures = chosen.flatMap(({ source }, i) => {
      const r = results[i];
      const why = r && r !== 'missing' && r !== 'not run' ? failureText(r) : undefined;
      return why ? [`${source.name}: ${why}`] : [];
    });
    if (ctx.json) ctx.stdout.write(JSON.stringify(report(chosen, results, interrupt.interrupted), null, 2) + '\n');
    if (failures.length) ctx.stderr.write(`failed in ${failures.length} of ${chosen.length}:\n${failures.map((f) => `  ${f}\n`).join('')}`);
    if (interrupt.interrupted) return 130;
    if (failures.length) return 1;
    return 0;
  },
};
