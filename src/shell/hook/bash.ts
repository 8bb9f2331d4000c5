// bash hook. Per prompt, when $PWD is still inside the active workspace (or the same
// untrusted one) and nothing changed, the hook is a string compare, a stat per directory
// between $PWD and the workspace (a nested workspace?) and two stats: no fork.
// Only when entering a workspace does it start weft (once, to ask about trust), and only
// when leaving one (to compute the revert from $WEFT_ENV_ADDED, which works even after the
// workspace is deleted).
import { posixHookBody } from './posix.js';
import type { HookContext } from './common.js';

// bash has no chpwd: without these, `cd ws && make` would run before the prompt hook.
// A user's own `cd` function is kept and called; evaluating the hook twice wraps once.
const CD_WRAPPERS = `if [[ "$(declare -f cd 2>/dev/null)" != *__weft_hook* ]]; then
  if declare -F cd >/dev/null; then
    __weft_f=$(declare -f cd)
    eval "__weft_user_cd\${__weft_f#cd}"
    unset __weft_f
  else
    __weft_user_cd() { builtin cd "$@"; }
  fi
  cd() { __weft_user_cd "$@" || return; __weft_hook; }
  declare -F pushd >/dev/null || pushd() { builtin pushd "$@" || return; __weft_hook; }
  declare -F popd >/dev/null || popd() { builtin popd "$@" || return; __weft_hook; }
fi`;

export function bashHook(ctx: HookContext): string {
  return [
    '# weft hook for bash: add `eval "$(weft hook bash)"` to ~/.bashrc',
    posixHookBody(ctx.weftArgv, 'bash'),
    CD_WRAPPERS,
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
