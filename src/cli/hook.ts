import { WeftError } from '../errors.js';
import { HOOK_SHELLS, hookCode, hookContext, type HookShell } from '../shell/index.js';
import { sweepHookMarks } from '../shell/hook/marks.js';
import { flag, type CommandSpec } from './command.js';
import { printHookStep } from './hook-step.js';

export const command: CommandSpec = {
  name: 'hook',
  summary: 'print shell code that activates trusted workspaces as you cd',
  usage: `hook ${HOOK_SHELLS.join('|')}`,
  description: `
Add to your shell's startup file:

  eval "$(weft hook bash)"        # ~/.bashrc
  eval "$(weft hook zsh)"         # ~/.zshrc
  weft hook fish | source         # ~/.config/fish/config.fish
  weft hook pwsh | Out-String | Invoke-Expression   # $PROFILE (PowerShell 7)

nushell cannot run code it reads at run time: save the hook once into an autoload dir
(re-run after upgrading weft):

  mkdir ($nu.user-autoload-dirs | first)
  weft hook nu | save -f ($nu.user-autoload-dirs | first | path join weft.nu)

Entering a trusted workspace sources its .weft/env file; leaving removes only what weft
added. An untrusted workspace is left alone, with one line saying how to trust it.

--apply and --revert are what the nu and PowerShell hooks run (they cannot
source weft's pre-rendered files): JSON with the variables to set and to remove in the
calling shell, "trusted" saying whether the workspace (-C) was trusted.`,
  options: {
    apply: { type: 'boolean', description: 'print JSON that activates the workspace if trusted (for hooks)' },
    revert: { type: 'boolean', description: 'print JSON that takes out what weft set in this shell (for hooks)' },
  },
  positionals: 'names',
  async run(ctx, args) {
    const [shell, ...extra] = args.positionals;
    const apply = flag(args, 'apply');
    const revert = flag(args, 'revert');
    if ((apply || revert) && shell === undefined) return printHookStep(ctx, { apply, revert });
    if (shell === undefined || extra.length > 0 || apply || revert || !(HOOK_SHELLS as readonly string[]).includes(shell)) {
      throw new WeftError('WEFT_E_USAGE', shell === undefined ? 'weft hook needs a shell name' : apply || revert ? '--apply and --revert take no shell name' : `cannot hook "${[shell, ...extra].join(' ')}"`, {
        hint: `use one of: ${HOOK_SHELLS.map((s) => `weft hook ${s}`).join(', ')}`,
      });
    }
    ctx.stdout.write(hookCode(shell as HookShell, hookContext()));
    sweepHookMarks(ctx.env);
    return 0;
  },
};
