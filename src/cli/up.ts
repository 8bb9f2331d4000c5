import { defaults } from '../defaults.js';
import { WeftError } from '../errors.js';
import { up } from '../fetch/index.js';
import { buildEnvModel, writeEnvFiles } from '../shell/index.js';
import { writeStamp } from '../shell/stamp.js';
import { join } from 'node:path';
import { flag, stringOpt, type CommandSpec } from './command.js';
import { checkNames, planFor } from './plan.js';
import { createProgress, summarize } from './report.js';
import { renderPlan } from './plan-text.js';

export const command: CommandSpec = {
  name: 'up',
  summary: 'fetch and check out every source, write the environment',
  usage: 'up [NAME…] [options]',
  description: `
Converges the workspace to the manifest: clones what is missing, moves what the manifest
moved, leaves alone what is already right, and never touches a checkout holding work that
is not safely on a remote (uncommitted changes, untracked files, unpushed commits) — those
are reported and skipped (exit 1). Then writes .weft/env/ for every shell.`,
  options: {
    'dry-run': { type: 'boolean', short: 'n', description: 'print the plan and change nothing' },
    jobs: { type: 'string', short: 'j', arg: 'N', description: `parallel workers (default ${defaults.jobs})` },
    offline: { type: 'boolean', description: 'never touch the network; fail for what is not cached' },
    force: { type: 'boolean', description: 'move checkouts even when that discards local work (says what first)' },
    'fail-fast': { type: 'boolean', description: 'stop starting new work after the first failure' },
  },
  positionals: 'names',
  async run(ctx, args) {
    const plan = await planFor(ctx);
    const only = checkNames(plan, args.positionals);
    if (flag(args, 'dry-run')) {
      ctx.stdout.write(ctx.json ? JSON.stringify(plan, null, 2) + '\n' : renderPlan(plan, only));
      return 0;
    }
    const jobsText = stringOpt(args, 'jobs');
    const jobs = jobsText === undefined ? undefined : Number(jobsText);
    if (jobs !== undefined && !(Number.isInteger(jobs) && jobs > 0)) {
      throw new WeftError('WEFT_E_USAGE', `--jobs needs a positive whole number, got "${jobsText}"`, { hint: 'e.g. -j 8' });
    }
    const selected = only.length ? only.length : plan.sources.length;
    const progress = createProgress(ctx, selected);
    let checkouts;
    try {
      checkouts = await up(plan, {
        only: only.length ? only : undefined,
        jobs,
        offline: flag(args, 'offline'),
        force: flag(args, 'force'),
        failFast: flag(args, 'fail-fast'),
        env: ctx.env,
        onEvent: (e) => progress.onEvent(e),
      });
    } finally {
      progress.stop();
    }
    await writeEnvFiles(buildEnvModel(plan, checkouts), join(plan.workspace, '.weft', 'env'));
    // Stamped last: `weft env` trusts the files only when state.json is older than the stamp.
    writeStamp(plan, ctx.vars, ctx.env);
    const bad = checkouts.filter((c) => c.status === 'failed' || c.status === 'skipped');
    if (ctx.json) {
      ctx.stdout.write(JSON.stringify({ workspace: plan.workspace, ok: bad.length === 0, checkouts }, null, 2) + '\n');
    } else if (!ctx.quiet) {
      ctx.stdout.write(summarize(checkouts));
      if (bad.length === 0) ctx.stdout.write('environment: eval "$(weft env)"  or  weft run -- COMMAND\n');
    } else if (bad.length > 0) {
      ctx.stderr.write(summarize(bad));
    }
    return bad.length > 0 ? 1 : 0;
  },
};
