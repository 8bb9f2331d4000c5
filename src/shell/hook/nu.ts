// nushell hook: a pre_prompt closure (env_change.PWD hooks run at the same moment, just
// before the prompt, so one is enough). nu's `source` is resolved when the script is parsed,
// so the hook cannot source .weft/env files; it runs `weft hook --apply/--revert` and loads
// the JSON it prints (step.ts) with load-env / hide-env.
//
// State is a record in $env.__weft: nu passes only strings to child processes, so a nested
// nu starts without it, as a child bash starts without the parent's shell variables. Per
// prompt, staying inside costs a `path exists` per directory between $PWD and the workspace
// (a nested workspace?), a `path exists` per watched file and one `ls` of those that exist
// (builtins, no fork): env.json, trust.json, the manifest files a user edits and the ones
// listed in .weft/env/inputs, compared with the modification times seen at the last trust
// check.
// `weft up` rewriting env.json, `weft trust` / `--revoke` rewriting trust.json, or an edit
// of the manifest (which revokes trust) changes one, as the `-nt` tests do in posix.ts.
import { nuQuote as q } from '../renderers/nu.js';
import { EDITED_FILES, HOOK_INPUTS_FILE, type HookContext } from './common.js';

export function nuHook(ctx: HookContext): string {
  const [node, ...rest] = ctx.weftArgv.map(q);
  const weft = `run-external ${node} ${rest.join(' ')}`;
  // What the hook starts must still be there (see posix.ts): an uninstalled or moved weft
  // would print node's stack trace at every prompt and leave the environment applied.
  const present = ctx.weftArgv.map((a) => `(${q(a)} | path exists)`).join(' and ');
  const script = ctx.weftArgv[ctx.weftArgv.length - 1] ?? '';
  const gone = q(`weft: cannot run ${script} (moved or uninstalled); the shell hook waits until it is back, or save "weft hook nu" again`);
  const edited = EDITED_FILES.map((f) => `$"($dir)/${f}"`).join(' ');
  return `# weft hook for nu: weft hook nu | save -f ($nu.user-autoload-dirs | first | path join weft.nu)
def __weft_inside [dir: string] {
  ($env.PWD + '/') starts-with ($dir + '/')
}

# The workspace's other manifest files (included, imported: .weft/env/inputs), read when
# the stamp is taken; per prompt only this list is used.
def __weft_inputs [dir: string] {
  let file = $"($dir)/.weft/env/${HOOK_INPUTS_FILE}"
  if ($file | path exists) { open --raw $file | lines | where {|f| $f != '' } } else { [] }
}

# Which of the files DIR's environment depends on exist, and their modification times
# (INPUTS from __weft_inputs). One \`ls\` for them all: in nu each \`ls\` and each \`each\`
# costs about a third of a millisecond, a loop with \`path exists\` next to nothing.
def __weft_stamp [dir: string, inputs: list<string>] {
  # As weft finds it (trust.ts): a relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
  let xdg = ($env.XDG_CONFIG_HOME? | default '')
  let config = if ($xdg | str starts-with '/') { $xdg } else { $env.HOME | path join .config }
  mut found = []
  for f in [$"($dir)/.weft/env/env.json" ($config | path join weft trust.json) ${edited} ...$inputs] {
    if ($f | path exists) { $found = ($found | append $f) }
  }
  # \`ls\` with no path would list the current directory.
  if ($found | is-empty) { [] } else { ls -D ...$found | select name modified }
}

# True (after saying so, once until it is back) when the weft this hook was made with is gone.
def --env __weft_gone [] {
  if ${present} {
    $env.__weft_lost = false
    return false
  }
  if not ($env.__weft_lost? | default false) { print -e ${gone} }
  $env.__weft_lost = true
  true
}

# Runs weft for one step and loads what it prints; returns whether DIR was trusted, or why
# its manifest cannot be read (a string), or null when weft failed.
def --env __weft_step [dir: string, revert: bool] {
  let args = (if $revert { ['--revert'] } else { [] }) ++ (if $dir == '' { [] } else { ['-C' $dir '--apply'] })
  let r = (${weft} hook ...$args | complete)
  if $r.exit_code != 0 {
    print -e ($r.stderr | str trim)
    return null
  }
  let step = ($r.stdout | from json)
  # PATH is a list in nu; weft saw it joined with ':'.
  let set = if ($step.set.PATH? | is-empty) { $step.set } else { $step.set | upsert PATH ($step.set.PATH | split row (char esep)) }
  load-env $set
  hide-env -i ...$step.unset
  if ($step.problem? | is-not-empty) { return $step.problem }
  $step.trusted? | default false
}

# The directory nearest $PWD, going up and stopping before DIR, with a rendered env.json: a
# workspace nested in DIR that $PWD is in; '' when there is none. Builtins only, one
# \`path exists\` per directory below DIR (see posix.ts).
def __weft_nearer [dir: string] {
  mut p = $env.PWD
  while $p != '' and $p != $dir {
    if ($"($p)/.weft/env/env.json" | path exists) { return $p }
    $p = ($p | str replace -r '/[^/]*$' '')
  }
  ''
}

def --env __weft_hook [] {
  # A weft shell is pinned to its workspace; the hook leaves it alone.
  if ($env.WEFT_SHELL? | is-not-empty) { return }
  # Merged, so a state kept by an older hook loaded in this nu gets the fields it lacks.
  mut st = ({ ws: '', skip: '', stamp: [], inputs: [] } | merge ($env.__weft? | default {}))
  # Inherited an activated environment inside its workspace (nested nu): take it over
  # rather than apply it again. One applied elsewhere by hand is the user's: left alone.
  if $st.ws == '' and ($env.WEFT_WORKSPACE? | is-not-empty) and ($env.WEFT_ENV_ADDED? != null) and (__weft_inside $env.WEFT_WORKSPACE) {
    $st.ws = $env.WEFT_WORKSPACE
    $st.inputs = (__weft_inputs $st.ws)
    $st.stamp = (__weft_stamp $st.ws $st.inputs)
  }
  mut d = ''
  mut again = false
  # Leaving, or re-applying after a change: what weft set comes out first.
  mut revert = false
  # What to go back to if weft fails to revert (it is gone, or broken mid-upgrade): the
  # environment is still applied, so the next prompt tries again instead of forgetting it.
  let before = { ws: $st.ws, stamp: $st.stamp, inputs: $st.inputs }
  if $st.ws != '' {
    if (__weft_inside $st.ws) {
      # Entering a workspace nested in this one: it takes over (this one is reverted
      # first), as it does when entered from outside.
      let n = (__weft_nearer $st.ws)
      if $n != '' {
        $d = $n
      } else {
        if (__weft_stamp $st.ws $st.inputs) == $st.stamp { $env.__weft = $st; return }
        $d = $st.ws
      }
    }
    $revert = true
    $st.ws = ''
  }
  if $d == '' and $st.skip != '' {
    if (__weft_inside $st.skip) {
      let n = (__weft_nearer $st.skip)
      if $n != '' {
        $d = $n
      } else {
        if not $revert and (__weft_stamp $st.skip $st.inputs) == $st.stamp { $env.__weft = $st; return }
        $d = $st.skip
        $again = true
      }
    }
    $st.skip = ''
  }
  if $d == '' {
    mut p = $env.PWD
    while $p != '' and not ($"($p)/.weft/env/env.json" | path exists) {
      $p = ($p | str replace -r '/[^/]*$' '')
    }
    if $p != '' { $d = $p }
  }
  if ($revert or $d != '') and (__weft_gone) {
    # Nothing is asked of a weft that is not there: what is applied stays known, and is
    # reverted (or the workspace entered) at a prompt once it is back.
    $st = ($st | merge $before)
    $env.__weft = $st
    return
  }
  if $d == '' {
    if $revert and (__weft_step '' true) == null { $st = ($st | merge $before) }
    $env.__weft = $st
    return
  }
  # Taken before the check, so a change made while it runs is seen at the next prompt.
  $st.inputs = (__weft_inputs $d)
  $st.stamp = (__weft_stamp $d $st.inputs)
  let trusted = (__weft_step $d $revert)
  if $trusted == true {
    $st.ws = $d
  } else if $trusted == null and $revert {
    $st = ($st | merge $before)
  } else {
    $st.skip = $d
    if ($trusted | describe) == 'string' and not $again {
      print -e $"weft: ($d) is not activated: ($trusted)"
    } else if $trusted == false and not $again { print -e $"weft: ($d) is not trusted; run 'weft trust' to activate it" }
  }
  $env.__weft = $st
}

$env.config.hooks.pre_prompt = (
  $env.config.hooks.pre_prompt? | default []
  | where {|h| ($h | describe) != 'closure' or not ((view source $h) =~ '__weft_hook') }
  | prepend {|| __weft_hook }
)
`;
}
