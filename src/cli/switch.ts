import { WeftError } from '../errors.js';
import { switchSource } from '../fetch/switch/index.js';
import { BRANCHES_DIR } from '../fetch/switch/layout.js';
import { flag, type CommandSpec } from './command.js';
import { branchContext, lockedPlan, refreshEnv, say } from './branch-env.js';
import { checkNames } from './plan.js';

export const command: CommandSpec = {
  name: 'switch',
  summary: "make a branch of one source active (its own checkout), or return to the manifest's ref",
  usage: 'switch NAME [BRANCH] [--create] [--push] [--in-place]',
  description: `
Combinator's chbranch/mkbranch. With BRANCH, source NAME's active directory becomes a
checkout of that branch, and the environment (.weft/env, weft env, weft run, the hook)
points at it; every other checkout, and NAME's main checkout, stay exactly as they are.

  git  a worktree of the main checkout at <root>/${BRANCHES_DIR}/NAME/BRANCH, on the local
       branch, else origin's (fetched when the checkout has not seen it yet). weft init
       puts ${BRANCHES_DIR}/ in .gitignore; older projects should add it.
  svn  a working copy of <base>/branches/BRANCH in the same place; the source's URL must
       end in /trunk or /branches/X.
  hg   named branches share one repository: only --in-place (hg update BRANCH).

--create starts a new branch from the commit active now (svn: copies it on the server);
--push publishes it with upstream tracking (git push -u origin BRANCH). --in-place moves
the main checkout itself instead, and is refused when that would put uncommitted work,
untracked files or commits on a detached HEAD at risk; weft up then leaves that checkout
alone until "weft switch NAME".

Without BRANCH: the main checkout is active again (after --in-place it is put back on what
weft up last left there, again only when nothing would be lost). Branch checkouts are
kept; delete one with git worktree remove DIR when done (the active one: the main checkout
is active again, and weft up says so). The active branch is recorded in
.weft/state.json, never in weft.yaml or weft.lock.`,
  options: {
    create: { type: 'boolean', description: 'start BRANCH as a new branch from the active commit' },
    push: { type: 'boolean', description: 'publish BRANCH with upstream tracking (git push -u origin BRANCH)' },
    'in-place': { type: 'boolean', description: 'switch the main checkout itself (refused when it holds uncommitted work)' },
  },
  positionals: 'names',
  async run(ctx, args) {
    const [name, branch, ...extra] = args.positionals;
    if (!name || extra.length) {
      throw new WeftError('WEFT_E_USAGE', name ? `unexpected argument "${extra[0]}"` : 'switch needs the name of a source', { hint: 'weft switch NAME [BRANCH] — see "weft help switch"' });
    }
    const plan = await lockedPlan(ctx);
    checkNames(plan, [name]);
    const opts = { create: flag(args, 'create'), push: flag(args, 'push'), inPlace: flag(args, 'in-place') };
    let result;
    try {
      result = await switchSource(plan, name, branch, opts, branchContext(ctx));
    } catch (err) {
      // A failed push still leaves the new checkout active: the environment must follow it.
      if (err instanceof WeftError && err.code === 'WEFT_E_SWITCH_PUSH') await refreshEnv(ctx, plan);
      throw err;
    }
    await refreshEnv(ctx, plan);
    if (ctx.json) ctx.stdout.write(JSON.stringify({ name, branch: result.branch ?? null, dir: result.dir, messages: result.lines }, null, 2) + '\n');
    say(ctx, [...result.lines, `${name}: active directory ${result.dir} (environment updated)`]);
    return 0;
  },
};
