// bash hook. Per prompt, when $PWD is still inside the active workspace (or the same
// untrusted one), the hook is a string compare and returns: no fork, no file read. Only
// when entering a workspace does it start weft (once, to ask about trust), and only when
// leaving one (to compute the revert from $WEFT_ENV_ADDED, which works even after the
// workspace is deleted).
import { posixQuote as q } from '../quote.js';
import { posixHookBody } from './posix.js';
import type { HookContext } from './common.js';

export function bashHook(ctx: HookContext): string {
  return [
    '# weft hook for bash: add `eval "$(weft hook bash)"` to ~/.bashrc',
    posixHookBody(ctx.weftArgv.map(q).join(' '), 'bash'),
    // Prepended so $? is still the user's command's status; the hook returns it unchanged
    // for whatever else is in PROMPT_COMMAND. With a PROMPT_COMMAND array (bash 5.1+),
    // $PROMPT_COMMAND is its first element, so the other elements are untouched.
    'case ";${PROMPT_COMMAND-};" in',
    '  *";__weft_hook;"*) ;;',
    '  *) PROMPT_COMMAND="__weft_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}" ;;',
    'esac',
    '',
  ].join('\n');
}
