// PowerShell (pwsh 7) hook: wraps the `prompt` function. Like the nu hook (nu.ts) it loads
// the JSON steps of `weft hook --apply/--revert` rather than evaluating code, parsed with
// System.Text.Json (ConvertFrom-Json would turn date-like values into DateTime objects).
// State is a global variable, which a child pwsh does not inherit; per prompt, staying
// inside costs a Test-Path per directory between the current one and the workspace (a
// nested workspace?) and a Get-Item per watched file (all in-process): env.json,
// trust.json, the manifest files a user edits and the ones listed in .weft/env/inputs,
// compared with the modification times seen at the last trust check, so `weft up`,
// `weft trust` / `--revoke` and an edit of the manifest (which revokes trust) are seen at the
// next prompt, as the `-nt` tests see them in posix.ts. $LASTEXITCODE is kept for the
// user's prompt. As with `weft env --shell pwsh`, PowerShell before 7.5 cannot hold an
// empty variable: it ends up unset.
import { pwshQuote as q } from '../renderers/pwsh.js';
import { EDITED_FILES, HOOK_INPUTS_FILE, type HookContext } from './common.js';

export function pwshHook(ctx: HookContext): string {
  const weft = ctx.weftArgv.map(q).join(' ');
  // What the hook starts must still be there (see posix.ts): an uninstalled or moved weft
  // would print node's stack trace at every prompt and leave the environment applied.
  const present = ctx.weftArgv.map((a) => `(Test-Path -LiteralPath ${q(a)} -PathType Leaf)`).join(' -and ');
  const script = ctx.weftArgv[ctx.weftArgv.length - 1] ?? '';
  const gone = q(`weft: cannot run ${script} (moved or uninstalled); the shell hook waits until it is back, or run "weft hook pwsh | Out-String | Invoke-Expression" again`);
  const edited = EDITED_FILES.map((f) => `"$dir/${f}"`).join(', ');
  return `# weft hook for PowerShell: add \`weft hook pwsh | Out-String | Invoke-Expression\` to $PROFILE
function global:__weft_inside([string]$dir) {
  $here = $ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath
  "$here/".StartsWith("$dir/", [System.StringComparison]::Ordinal)
}

function global:__weft_mtime([string]$file) {
  $item = Get-Item -LiteralPath $file -Force -ErrorAction Ignore
  if ($item) { $item.LastWriteTimeUtc.Ticks } else { 0 }
}

# The workspace's other manifest files (included, imported: .weft/env/inputs), read when
# the stamp is taken; per prompt only this list is used.
function global:__weft_inputs([string]$dir) {
  Get-Content -LiteralPath "$dir/.weft/env/${HOOK_INPUTS_FILE}" -ErrorAction Ignore | Where-Object { $_ }
}

# The modification times of the files DIR's environment depends on (INPUTS from __weft_inputs).
function global:__weft_stamp([string]$dir, [string[]]$inputs) {
  # As weft finds it (trust.ts): a relative XDG_CONFIG_HOME is ignored, as the XDG spec says.
  $config = if ("$env:XDG_CONFIG_HOME".StartsWith('/')) { $env:XDG_CONFIG_HOME } else { Join-Path $HOME '.config' }
  $files = @("$dir/.weft/env/env.json", "$config/weft/trust.json", ${edited})
  if ($inputs) { $files += $inputs }
  $times = foreach ($f in $files) { __weft_mtime $f }
  $times -join ' '
}

# True (after saying so, once until it is back) when the weft this hook was made with is gone.
function global:__weft_gone([hashtable]$st) {
  if (${present}) {
    $st.lost = $false
    return $false
  }
  if (-not $st.lost) { [Console]::Error.WriteLine(${gone}) }
  $st.lost = $true
  $true
}

# Runs weft for one step and loads what it prints; returns whether DIR was trusted, or why
# its manifest cannot be read (a string), $null on failure.
function global:__weft_step([string]$dir, [bool]$revert) {
  $a = @()
  if ($revert) { $a += '--revert' }
  if ($dir) { $a += '-C', $dir, '--apply' }
  $out = & ${weft} hook @a
  if ($LASTEXITCODE -ne 0) { return $null }
  $doc = [System.Text.Json.JsonDocument]::Parse(($out -join "\`n"))
  foreach ($p in $doc.RootElement.GetProperty('set').EnumerateObject()) {
    Set-Item -LiteralPath "Env:$($p.Name)" -Value $p.Value.GetString()
  }
  foreach ($n in $doc.RootElement.GetProperty('unset').EnumerateArray()) {
    Remove-Item -LiteralPath "Env:$($n.GetString())" -ErrorAction Ignore
  }
  $why = $null
  if ($doc.RootElement.TryGetProperty('problem', [ref]$why)) { return $why.GetString() }
  $t = $null
  $doc.RootElement.TryGetProperty('trusted', [ref]$t) -and $t.GetBoolean()
}

# The directory nearest the current one, going up and stopping before DIR, with a rendered
# env.json: a workspace nested in DIR that the current directory is in; '' when there is
# none. One Test-Path (in-process) per directory below DIR (see posix.ts).
function global:__weft_nearer([string]$dir) {
  $p = $ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath
  while ($p -and $p -cne $dir) {
    if (Test-Path -LiteralPath "$p/.weft/env/env.json" -PathType Leaf) { return $p }
    $p = $p -replace '/[^/]*$', ''
  }
  ''
}

function global:__weft_hook {
  # A weft shell is pinned to its workspace; the hook leaves it alone.
  if ($env:WEFT_SHELL) { return }
  if ($null -eq $global:__weft) { $global:__weft = @{ ws = ''; skip = ''; stamp = '' } }
  $st = $global:__weft
  # Inherited an activated environment inside its workspace (nested pwsh): take it over
  # rather than apply it again. One applied elsewhere by hand is the user's: left alone.
  if (-not $st.ws -and $env:WEFT_WORKSPACE -and (Test-Path Env:WEFT_ENV_ADDED) -and (__weft_inside $env:WEFT_WORKSPACE)) {
    $st.ws = $env:WEFT_WORKSPACE
    $st.inputs = __weft_inputs $st.ws
    $st.stamp = __weft_stamp $st.ws $st.inputs
  }
  $d = ''
  $again = $false
  # Leaving, or re-applying after a change: what weft set comes out first.
  $revert = $false
  # What to go back to if weft fails to revert (it is gone, or broken mid-upgrade): the
  # environment is still applied, so the next prompt tries again instead of forgetting it.
  $beforeWs = $st.ws
  $beforeStamp = $st.stamp
  $beforeInputs = $st.inputs
  if ($st.ws) {
    if (__weft_inside $st.ws) {
      # Entering a workspace nested in this one: it takes over (this one is reverted
      # first), as it does when entered from outside.
      $n = __weft_nearer $st.ws
      if ($n) {
        $d = $n
      } else {
        if ((__weft_stamp $st.ws $st.inputs) -eq $st.stamp) { return }
        $d = $st.ws
      }
    }
    $revert = $true
    $st.ws = ''
  }
  if (-not $d -and $st.skip) {
    if (__weft_inside $st.skip) {
      $n = __weft_nearer $st.skip
      if ($n) {
        $d = $n
      } else {
        if (-not $revert -and (__weft_stamp $st.skip $st.inputs) -eq $st.stamp) { return }
        $d = $st.skip
        $again = $true
      }
    }
    $st.skip = ''
  }
  if (-not $d) {
    $p = $ExecutionContext.SessionState.Path.CurrentFileSystemLocation.ProviderPath
    while ($p -and -not (Test-Path -LiteralPath "$p/.weft/env/env.json" -PathType Leaf)) {
      $p = $p -replace '/[^/]*$', ''
    }
    $d = $p
  }
  if (($revert -or $d) -and (__weft_gone $st)) {
    # Nothing is asked of a weft that is not there: what is applied stays known, and is
    # reverted (or the workspace entered) at a prompt once it is back.
    $st.ws = $beforeWs
    $st.stamp = $beforeStamp
    $st.inputs = $beforeInputs
    return
  }
  if (-not $d) {
    if ($revert -and $null -eq (__weft_step '' $true)) { $st.ws = $beforeWs; $st.stamp = $beforeStamp; $st.inputs = $beforeInputs }
    return
  }
  # Taken before the check, so a change made while it runs is seen at the next prompt.
  $st.inputs = __weft_inputs $d
  $st.stamp = __weft_stamp $d $st.inputs
  $trusted = __weft_step $d $revert
  if ($trusted -eq $true) {
    $st.ws = $d
  } elseif ($null -eq $trusted -and $revert) {
    $st.ws = $beforeWs
    $st.stamp = $beforeStamp
    $st.inputs = $beforeInputs
  } else {
    $st.skip = $d
    if ($trusted -is [string] -and -not $again) { [Console]::Error.WriteLine("weft: $d is not activated: $trusted") }
    elseif ($trusted -eq $false -and -not $again) { [Console]::Error.WriteLine("weft: $d is not trusted; run 'weft trust' to activate it") }
  }
}

# Evaluating the hook twice wraps the prompt once. Load it after whatever sets your prompt.
if ("$function:prompt" -notmatch '__weft_hook') {
  $global:__weft_prompt = $function:prompt
  function global:prompt {
    $code = $global:LASTEXITCODE
    __weft_hook
    $global:LASTEXITCODE = $code
    if ($global:__weft_prompt) { & $global:__weft_prompt } else { "PS $($PWD.Path)> " }
  }
}
`;
}
