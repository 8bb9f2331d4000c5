// fish hook: runs on every prompt and on every cd. Prefix tests use `string`, a builtin,
// so command substitutions here never fork; weft starts only on entering or leaving, or
// when `weft up` / `weft trust` or an edit of the manifest changed something since the last
// check (see posix.ts: the same mark file, the same `-nt` tests, the same messages).
import { fishQuote as q } from '../quote.js';
import { EDITED_FILES, HOOK_INPUTS_FILE, type HookContext } from './common.js';

export function fishHook(ctx: HookContext): string {
  const argv = ctx.weftArgv;
  const weft = argv.map(q).join(' ');
  const present = argv.map((a, n) => `test ${n === 0 ? '-x' : '-f'} ${q(a)}`).join('; and ');
  const edited = (dir: string, than: string) => EDITED_FILES.map((f) => `test "${dir}/${f}" -nt "${than}"`).join('; or ');
  return `# weft hook for fish: add \`weft hook fish | source\` to ~/.config/fish/config.fish
function __weft_inside --argument-names dir
    set -l p "$dir/"
    test (string sub -l (string length -- $p) -- "$PWD/") = $p
end

function __weft_touch --argument-names mark
    # fish reports a failed redirection on the terminal whatever 2> says: make the dir first.
    set -l dir (string replace -r -- '/[^/]*$' '' $mark)
    test -d $dir; or command mkdir -p $dir 2>/dev/null
    test -d $dir; and true >$mark
end

# The workspace's other manifest files (weft.local.yaml, included, imported:
# .weft/env/inputs), read when it is applied or found untrusted; per prompt only this list
# is read (see posix.ts). One listed but gone is left out, and __weft_missing says so.
set -g __weft_inputs
set -g __weft_missing
function __weft_load_inputs --argument-names dir
    set -g __weft_inputs
    set -g __weft_missing
    test -f "$dir/.weft/env/${HOOK_INPUTS_FILE}"; or return 0
    while read -l f
        if test -z "$f"
        else if test -e "$f"
            set -a __weft_inputs $f
        else
            set -g __weft_missing 1
        end
    end <"$dir/.weft/env/${HOOK_INPUTS_FILE}"
end

# True when one of them was edited since THAN was written, or is gone.
function __weft_inputs_newer --argument-names than
    for f in $__weft_inputs
        test "$f" -nt "$than"; and return 0
        test -e "$f"; or return 0
    end
    return 1
end

# True (after saying so, once until it is back) when the weft this hook was made with is gone.
function __weft_gone
    if ${present}
        set -e __weft_lost
        return 1
    end
    set -q __weft_lost[1]; or printf '%s\\n' ${q(`weft: cannot run ${argv[argv.length - 1]} (moved or uninstalled); the shell hook waits until it is back, or run "weft hook fish | source" again`)} >&2
    set -g __weft_lost 1
    return 0
end

# The pre-rendered file holds absolute paths: it is sourced only when its first line names
# DIR (or a path to the same directory, e.g. through a symlink). A workspace copied or moved
# since weft up rendered it, or whose manifest was edited since, asks weft for its
# environment instead (on entering only), until the next weft up there renders it again.
function __weft_apply --argument-names dir
    __weft_load_inputs $dir
    if ${edited('$dir', '$dir/.weft/env/stamp.json')}; or test -n "$__weft_missing"; or __weft_inputs_newer "$dir/.weft/env/stamp.json"
        ${weft} env --shell fish -C $dir | source
        return
    end
    set -l file "$dir/.weft/env/fish"
    set -l line
    read -l line <$file 2>/dev/null
    set -l head '# weft: environment for '
    set -l tail '); generated, safe to source again'
    set -l mine " ($dir)$tail"
    if test -n "$line"; and test (string sub -s -(string length -- $mine) -- "$line") = $mine; and test (string sub -l (string length -- $head) -- "$line") = $head
        source $file
        return
    end
    set -l p (string replace -r -- '^# weft: environment for .*? \\(' '' (string replace -- $tail '' "$line"))
    if test -n "$p"; and test "$p" -ef "$dir"
        source $file
    else
        ${weft} env --shell fish -C $dir | source
    end
end

# True when $PWD is in a workspace nested in DIR (one with its own rendered file, found
# before DIR going up): __weft_n names it. Builtins only, one test per directory below DIR.
function __weft_nearer --argument-names dir
    set -g __weft_n $PWD
    while test -n "$__weft_n"; and test "$__weft_n" != "$dir"
        test -f "$__weft_n/.weft/env/fish"; and return 0
        set __weft_n (string replace -r -- '/[^/]*$' '' $__weft_n)
    end
    return 1
end

function __weft_hook --on-variable PWD --on-event fish_prompt
    # A weft shell is pinned to its workspace; the hook leaves it alone.
    set -q WEFT_SHELL[1]; and return
    set -l cache $HOME/.cache
    set -q XDG_CACHE_HOME[1]; and set cache $XDG_CACHE_HOME
    set -l config $HOME/.config
    # As weft finds it (trust.ts): a relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
    string match -q -- '/*' "$XDG_CONFIG_HOME"; and set config $XDG_CONFIG_HOME
    set -l mark $cache/weft/hook/$fish_pid
    set -l trust $config/weft/trust.json
    set -l d
    set -l again
    # Inherited inside its workspace: take it over (see posix.ts); elsewhere, left alone.
    if not set -q __weft_ws[1]; and set -q WEFT_WORKSPACE[1]; and set -q WEFT_ENV_ADDED; and __weft_inside $WEFT_WORKSPACE
        set -g __weft_ws $WEFT_WORKSPACE
        __weft_load_inputs $__weft_ws
        __weft_touch $mark
    end
    if set -q __weft_ws[1]
        if __weft_inside $__weft_ws
            # Entering a workspace nested in this one: it takes over (below, this one is
            # reverted first), as it does when entered from outside.
            if __weft_nearer $__weft_ws
                set d $__weft_n
            else
                test $__weft_ws/.weft/env/fish -nt $mark; or test $trust -nt $mark; or ${edited('$__weft_ws', '$mark')}; or __weft_inputs_newer $mark; or return
                set d $__weft_ws
            end
        else
            # Gone: the environment stays applied and known, and is reverted once weft is back.
            __weft_gone; and return
            ${weft} env --unset --shell fish | source
            set -e __weft_ws
            set -g __weft_inputs
        end
    end
    if test -z "$d"; and set -q __weft_skip[1]
        if __weft_inside $__weft_skip
            if __weft_nearer $__weft_skip
                set d $__weft_n
            else
                test $trust -nt $mark; or test $__weft_skip/.weft/env/fish -nt $mark; or ${edited('$__weft_skip', '$mark')}; or __weft_inputs_newer $mark; or return
                set d $__weft_skip
                set again 1
            end
        end
        set -e __weft_skip
        set -g __weft_inputs
    end
    if test -z "$d"
        set d $PWD
        while test -n "$d"
            test -f "$d/.weft/env/fish"; and break
            set d (string replace -r -- '/[^/]*$' '' $d)
        end
        test -n "$d"; or return
    end
    __weft_gone; and return
    __weft_touch $mark
    # 0 trusted, 1 not trusted, else the manifest cannot be read: its error's first line.
    set -l err (${weft} trust --status --quiet -C $d 2>&1 >/dev/null)
    set -l st $status
    if test $st = 0
        set -q __weft_ws[1]; and ${weft} env --unset --shell fish | source
        set -g __weft_ws $d
        __weft_apply $d
    else
        if set -q __weft_ws[1]
            ${weft} env --unset --shell fish | source
            set -e __weft_ws
        end
        set -g __weft_skip $d
        __weft_load_inputs $d
        if test -n "$again"
        else if test $st = 1
            printf "weft: %s is not trusted; run 'weft trust' to activate it\\n" $d >&2
        else
            printf 'weft: %s is not activated: %s\\n' $d (string replace -r -- '^weft: ' '' "$err[1]") >&2
        end
    end
end
`;
}
