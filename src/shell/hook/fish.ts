// fish hook: runs on every prompt and on every cd. Prefix tests use `string`, a builtin,
// so command substitutions here never fork; weft starts only on entering or leaving.
import { fishQuote as q } from '../quote.js';
import type { HookContext } from './common.js';

export function fishHook(ctx: HookContext): string {
  const weft = ctx.weftArgv.map(q).join(' ');
  return `# weft hook for fish: add \`weft hook fish | source\` to ~/.config/fish/config.fish
function __weft_inside --argument-names dir
    set -l p "$dir/"
    test (string sub -l (string length -- $p) -- "$PWD/") = $p
end

function __weft_hook --on-variable PWD --on-event fish_prompt
    if set -q __weft_ws[1]
        __weft_inside $__weft_ws; and return
        ${weft} env --unset --shell fish | source
        set -e __weft_ws
    end
    if set -q __weft_skip[1]
        __weft_inside $__weft_skip; and return
        set -e __weft_skip
    end
    set -l d $PWD
    while test -n "$d"
        test -f "$d/.weft/env/fish"; and break
        set d (string replace -r -- '/[^/]*$' '' $d)
    end
    test -n "$d"; or return
    if ${weft} trust --status --quiet -C $d >/dev/null 2>&1
        set -g __weft_ws $d
        source "$d/.weft/env/fish"
    else
        set -g __weft_skip $d
        printf "weft: %s is not trusted; run 'weft trust' to activate it\\n" $d >&2
    end
end
`;
}
