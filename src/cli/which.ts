import { readCheckouts } from '../fetch/index.js';
import type { CommandSpec } from './command.js';
import { checkNames, planFor } from './plan.js';

export const command: CommandSpec = {
  name: 'which',
  summary: "print each source's active branch and directory",
  usage: 'which [NAME]',
  description: `
Without NAME: one line per source with its active branch and the directory in use (a branch
worktree when one is active). With NAME: only that source's directory, for

  cd "$(weft which NAME)"`,
  options: {},
  positionals: 'names',
  async run(ctx, args) {
    const plan = await planFor(ctx);
    const names = checkNames(plan, args.positionals);
    const checkouts = await readCheckouts(plan);
    if (names.length === 1) {
      ctx.stdout.write(checkouts.find((c) => c.name === names[0])!.dir + '\n');
      return 0;
    }
    const shown = names.length ? checkouts.filter((c) => names.includes(c.name)) : checkouts;
    if (ctx.json) {
      ctx.stdout.write(JSON.stringify(shown.map((c) => ({ name: c.name, branch: c.branch ?? null, dir: c.dir })), null, 2) + '\n');
      return 0;
    }
    const nameWidth = Math.max(0, ...shown.map((c) => c.name.length));
    const branchWidth = Math.max(1, ...shown.map((c) => (c.branch ?? '-').length));
    for (const c of shown) {
      ctx.stdout.write(`${c.name.padEnd(nameWidth)}  ${(c.branch ?? '-').padEnd(branchWidth)}  ${c.dir}\n`);
    }
    return 0;
  },
};
