import { WeftError } from '../errors.js';
import { suggest } from '../suggest.js';
import type { CommandSpec } from './command.js';
import { renderCommandHelp, renderMainHelp } from './help-text.js';
import { commands, findCommand } from './registry.js';

export const command: CommandSpec = {
  name: 'help',
  summary: 'show help for weft or one command',
  usage: 'help [COMMAND]',
  options: {},
  positionals: 'names',
  async run(ctx, args) {
    const [name, extra] = args.positionals;
    if (extra !== undefined) throw new WeftError('WEFT_E_USAGE', 'help takes one command name', { hint: 'e.g. weft help up' });
    if (name === undefined) {
      ctx.stdout.write(renderMainHelp(commands));
      return 0;
    }
    const entry = findCommand(name);
    if (!entry) {
      const guess = suggest(name, commands.map((c) => c.name));
      throw new WeftError('WEFT_E_USAGE_COMMAND', `unknown command "${name}"`, {
        hint: guess ? `did you mean "${guess}"?` : 'weft --help lists every command',
      });
    }
    ctx.stdout.write(renderCommandHelp(await entry.load()));
    return 0;
  },
};
