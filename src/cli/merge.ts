import { WeftError } from '../errors.js';
import { mergeActive } from '../fetch/switch/merge.js';
import type { CommandSpec } from './command.js';
import { branchContext, lockedPlan, refreshEnv, say } from './branch-env.js';
import { checkNames } from './plan.js';

export const command: CommandSpec = {
  name: 'merge',
  summary: "merge a source's active branch into the manifest's branch, uncommitted, and make the main checkout active",
  usage: 'merge NAME',
  description: `
Combinator's unbranch, for git sources. Runs git merge --no-ff --no-commit BRANCH in the
main checkout, where BRANCH is the branch "weft switch" made active, so you review the
result and commit it yourself. Refused (nothing changed) when the main checkout holds
uncommitted changes, untracked files or an unfinished merge, or is not on a branch.
Afterwards the main checkout is the active one again (environment rewritten); the
branch's checkout is kept. On conflicts the merge is left in progress and weft exits 1:
resolve, git add and git commit, or git merge --abort.`,
  options: {},
  positionals: 'names',
  async run(ctx, args) {
    const [name, ...extra] = args.positionals;
    if (!name || extra.length) {
      throw new WeftError('WEFT_E_USAGE', name ? `unexpected argument "${extra[0]}"` : 'merge needs the name of a source', { hint: 'weft merge NAME' });
    }
    const plan = await lockedPlan(ctx);
    checkNames(plan, [name]);
    const result = await mergeActive(plan, name, branchContext(ctx));
    await refreshEnv(ctx, plan);
    if (ctx.json) ctx.stdout.write(JSON.stringify({ name, ...result }, null, 2) + '\n');
    if (result.conflicts.length) {
      if (!ctx.json) ctx.stderr.write(result.lines.map((l) => l + '\n').join(''));
      return 1;
    }
    say(ctx, result.lines);
    return 0;
  },
};
