import { WeftError } from '../errors.js';
import { readCheckouts } from '../fetch/index.js';
import { applyEnv, buildEnvModel, isTrusted, refuseUntrustedStartupVars, runCommand } from '../shell/index.js';
import type { CommandSpec } from './command.js';
import { planFor } from './plan.js';

export const command: CommandSpec = {
  name: 'run',
  summary: 'run one command in the environment',
  usage: 'run [--] COMMAND [ARGS…]',
  description: `
Runs COMMAND with the workspace's environment, in the current directory. No hook and no
terminal are needed. The exit code is COMMAND's; a signal that kills it gives 128+N.`,
  options: {},
  positionals: 'command',
  async run(ctx, args) {
    if (args.rest.length === 0) {
      throw new WeftError('WEFT_E_USAGE', 'run needs a command', { hint: 'e.g. weft run -- python3 -m pytest' });
    }
    const plan = await planFor(ctx);
    refuseUntrustedStartupVars(plan, () => isTrusted(plan, ctx.env));
    const checkouts = await readCheckouts(plan);
    const env = applyEnv(buildEnvModel(plan, checkouts), ctx.env);
    return runCommand(args.rest, env, { cwd: ctx.cwd });
  },
};
