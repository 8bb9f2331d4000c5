import { command as up, converge } from './up.js';
import type { CommandSpec } from './command.js';

// --frozen and --from pin everything to a lock or a bundle: the opposite of moving refs.
const { frozen: _frozen, from: _from, ...options } = up.options;

export const command: CommandSpec = {
  name: 'update',
  summary: 'move floating refs (branches) to the remote\'s current commit and rewrite weft.lock',
  usage: 'update [NAME…] [options]',
  description: `
Like "weft up", but the named sources (default: all) ignore their weft.lock entry: a
branch moves to the commit the remote has now, and the lock records it. Other sources stay
at their locked revision and keep their entries.`,
  options,
  positionals: 'names',
  run: (ctx, args) => converge(ctx, args, 'update'),
};
