import { cacheDirFrom } from '../fetch/index.js';
import { prune, type PruneItem } from '../fetch/prune.js';
import { defaults } from '../defaults.js';
import { flag, type CommandSpec } from './command.js';
import { planFor } from './plan.js';

function line(it: PruneItem, dryRun: boolean): string {
  const what = `${it.name}${it.branch ? ` (branch ${it.branch})` : ''}${it.former ? ' (its old place)' : ''} ${it.dir}`;
  if (it.action === 'gone') return `- ${what}: already gone; forgotten`;
  if (it.action === 'remove') return `${dryRun ? 'would remove' : 'removed'} ${what}${ignoredNote(it.ignored, dryRun)}`;
  return `kept ${what}: ${it.why.join('; ')}`;
}

/** The ignored files a removal takes with it, named (the first few): a local .env is work too. */
function ignoredNote(ignored: string[] | undefined, dryRun: boolean): string {
  if (!ignored?.length) return '';
  const shown = ignored.slice(0, 5).join(', ');
  const more = ignored.length > 5 ? ` and ${ignored.length - 5} more` : '';
  return `\n    ${dryRun ? 'with' : 'went with it'}: ${ignored.length} item(s) git ignores: ${shown}${more}`;
}

export const command: CommandSpec = {
  name: 'prune',
  summary: 'remove checkouts of sources no longer in the manifest (never ones holding work)',
  usage: 'prune [--dry-run]',
  description: `
Removes the checkouts, and the branch checkouts made by weft switch, of sources that are
no longer in the manifest, and the checkouts a source left at its old place when its
path: changed — only those .weft/state.json records weft making, and only
inside the workspace. A checkout is kept, with the reason, when it holds uncommitted or
staged changes, untracked files, stash entries, an unfinished merge or rebase, commits
not on any remote (on any local branch or a detached HEAD), or other worktrees; local
directories and archive trees are never deleted. What git ignores in a checkout (a local
.env, build output) is not a reason to keep it, but is named with the checkout (run
--dry-run first to see it). Branch checkouts of sources still in the
manifest are left alone, merged or not (git worktree remove DIR removes one).
Exits 1 when something was kept. With -q, prints only what was kept and why, on stderr.`,
  options: {
    'dry-run': { type: 'boolean', short: 'n', description: 'list what would be removed and what kept; change nothing' },
  },
  positionals: 'none',
  async run(ctx, args) {
    const plan = await planFor(ctx);
    const dryRun = flag(args, 'dry-run');
    const items = await prune(plan, { dryRun }, { env: ctx.env, cacheDir: cacheDirFrom(ctx.env), defaults });
    if (ctx.json) ctx.stdout.write(JSON.stringify({ dryRun, items }, null, 2) + '\n');
    // -q: what was removed (or would be) goes unsaid; a checkout kept for the work it holds
    // is why the exit code is 1, so it is still said, on stderr.
    else if (ctx.quiet) ctx.stderr.write(items.filter((i) => i.action === 'keep').map((i) => `weft: ${line(i, dryRun)}\n`).join(''));
    else if (items.length === 0) ctx.stdout.write('nothing to prune: every checkout weft made belongs to a listed source\n');
    else ctx.stdout.write(items.map((i) => line(i, dryRun) + '\n').join(''));
    return items.some((i) => i.action === 'keep') ? 1 : 0;
  },
};
