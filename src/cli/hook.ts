import { WeftError } from '../errors.js';
import { HOOK_SHELLS, hookCode, hookContext, type HookShell } from '../shell/index.js';
import { sweepHookMarks } from '../shell/hook/marks.js';
import type { CommandSpec } from './command.js';

export const command: CommandSpec = {
  name: 'hook',
  summary: 'print shell code that activates trusted workspaces as you cd',
  usage: 'hook bash|zsh|fish',
  description: `
Add to your shell's startup file:

  eval "$(weft hook bash)"        # ~/.bashrc
  eval "$(weft hook zsh)"         # ~/.zshrc
  weft hook fish | source         # ~/.config/fish/config.fish

Entering a trusted workspace sources its .weft/env file; leaving removes only what weft
added. An untrusted workspace is left alone, with one line saying how to trust it.`,
  options: {},
  positionals: 'names',
  async run(ctx, args) {
    const [shell, ...extra] = args.positionals;
    if (shell === undefined || extra.length > 0 || !(HOOK_SHELLS as readonly string[]).includes(shell)) {
      throw new WeftError('WEFT_E_USAGE', shell === undefined ? 'weft hook needs a shell name' : `cannot hook "${[shell, ...extra].join(' ')}"`, {
        hint: `use one of: ${HOOK_SHELLS.map((s) => `weft hook ${s}`).join(', ')}`,
      });
    }
    ctx.stdout.write(hookCode(shell as HookShell, hookContext()));
    sweepHookMarks(ctx.env);
    return 0;
  },
};
