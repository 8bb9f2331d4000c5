// zsh hook: the same code as bash (posix.ts), run from precmd and chpwd.
import { posixHookBody } from './posix.js';
import type { HookContext } from './common.js';

export function zshHook(ctx: HookContext): string {
  return [
    '# weft hook for zsh: add `eval "$(weft hook zsh)"` to ~/.zshrc',
    posixHookBody(ctx.weftArgv, 'zsh'),
    'typeset -ga precmd_functions chpwd_functions',
    '(( ${precmd_functions[(I)__weft_hook]} )) || precmd_functions=(__weft_hook $precmd_functions)',
    '(( ${chpwd_functions[(I)__weft_hook]} )) || chpwd_functions=(__weft_hook $chpwd_functions)',
    '',
  ].join('\n');
}
