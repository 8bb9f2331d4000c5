// Only light imports at the top: when the stamp matches, `weft env --shell S` prints the
// pre-rendered file and never loads YAML, the resolver or the fetch layer.
import { WeftError } from '../errors.js';
import type { OutputFormat } from '../shell/index.js';
import { detectShell } from '../shell/detect.cjs';
import { ALL_SHELLS, isDynamicShell, isShellName, type ShellName } from '../shell/renderers/names.cjs';
import { freshEnvFile } from '../shell/stamp.js';
import { flag, stringOpt, type CommandSpec } from './command.js';

/** `--shell S` or a lone positional `S` (as `weft hook S` takes it), never both. */
function shellArgument(option: string | undefined, positionals: readonly string[]): string | undefined {
  if (positionals.length === 0) return option;
  if (positionals.length > 1 || option !== undefined) {
    throw new WeftError('WEFT_E_USAGE', `unexpected argument "${positionals[option !== undefined ? 0 : 1]}"`, { hint: 'name one shell: weft env bash, or weft env --shell bash' });
  }
  return positionals[0];
}

export const command: CommandSpec = {
  name: 'env',
  summary: 'print the environment for eval or for tools',
  usage: 'env [SHELL | --shell SHELL | --json | --dotenv | --github] [--unset]',
  description: `
Prints shell code that puts every source on PATH, PYTHONPATH, … as the manifest says.
Evaluating it twice is the same as once:

  eval "$(weft env)"                                      # bash, zsh, sh
  weft env --shell fish | source                          # fish
  eval "\`weft env --shell tcsh\`"                          # tcsh, csh
  eval (weft env --shell elvish | slurp)                  # elvish
  weft env --shell pwsh | Out-String | Invoke-Expression  # PowerShell
  weft env --shell cmd > %TEMP%\\weft.cmd && call %TEMP%\\weft.cmd   # cmd.exe

nushell cannot run code it reads at run time: save the output
(weft env --shell nu | save -f ~/.weft-env.nu) and source that file from config.nu.

bash, zsh, sh and fish get code that works from the shell's own current values (and is
pre-rendered by "weft up", so it prints at once); the others get final values computed
from the environment weft runs in, i.e. the shell that evaluates them. A value a shell
cannot hold exactly (a newline for tcsh and cmd, an empty value for cmd) is an error.

--json prints the resulting values; --dotenv writes NAME='value' lines for editors and
containers (docs/shells.md says which readers take them exactly); --github writes lines for $GITHUB_ENV. --unset prints shell code that
removes what weft set in this shell (it reads $WEFT_ENV_ADDED, not the manifest).

The shell may also be named alone, as for "weft hook": weft env fish.`,
  options: {
    shell: { type: 'string', short: 's', arg: 'SHELL', description: `${ALL_SHELLS.join(', ')} (default: from $SHELL)` },
    dotenv: { type: 'boolean', description: "NAME='value' lines for .env readers" },
    github: { type: 'boolean', description: 'lines for $GITHUB_ENV' },
    unset: { type: 'boolean', description: 'shell code that undoes what weft set in this shell' },
  },
  positionals: 'names',
  async run(ctx, args) {
    const shell = shellArgument(stringOpt(args, 'shell'), args.positionals);
    const picked = [shell !== undefined, ctx.json, flag(args, 'dotenv'), flag(args, 'github')].filter(Boolean).length;
    if (picked > 1) throw new WeftError('WEFT_E_USAGE', 'choose one of --shell, --json, --dotenv, --github', { hint: 'see "weft help env"' });
    if (shell !== undefined && !isShellName(shell)) {
      throw new WeftError('WEFT_E_USAGE', `unknown shell "${shell}"`, { hint: `use one of: ${ALL_SHELLS.join(', ')}` });
    }
    const target: ShellName = (shell as ShellName | undefined) ?? detectShell(ctx.env);
    const data = ctx.json || flag(args, 'dotenv') || flag(args, 'github');
    if (!data && !flag(args, 'unset') && isDynamicShell(target)) {
      const fresh = freshEnvFile(ctx.cwd, ctx.manifest, target, ctx.vars, ctx.env);
      if (fresh !== undefined) {
        ctx.stdout.write(fresh);
        return 0;
      }
    }
    const sh = await import('../shell/index.js');
    if (flag(args, 'unset')) {
      if (picked !== (shell !== undefined ? 1 : 0)) throw new WeftError('WEFT_E_USAGE', '--unset prints shell code; it goes with --shell only', { hint: 'weft env --unset --shell bash' });
      // From the record in the environment, not the manifest: leaving must work even
      // after the workspace was edited or deleted.
      const model = sh.modelFromRecord(ctx.env);
      if (model) ctx.stdout.write(sh.renderUnset(model, target, ctx.env));
      return 0;
    }
    const format: OutputFormat = ctx.json ? 'json' : flag(args, 'dotenv') ? 'dotenv' : flag(args, 'github') ? 'github'
      : target;
    const [{ planFor }, { readCheckouts }] = await Promise.all([import('./plan.js'), import('../fetch/index.js')]);
    const plan = await planFor(ctx);
    sh.refuseUntrustedStartupVars(plan, () => sh.isTrusted(plan, ctx.env));
    const model = sh.buildEnvModel(plan, await readCheckouts(plan));
    ctx.stdout.write(sh.render(model, format, ctx.env));
    return 0;
  },
};
