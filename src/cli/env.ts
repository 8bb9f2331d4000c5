import { WeftError } from '../errors.js';
import { readCheckouts } from '../fetch/index.js';
import { buildEnvModel, detectShell, modelFromRecord, render, renderUnset, type OutputFormat, type ShellName } from '../shell/index.js';
import { flag, stringOpt, type CommandSpec } from './command.js';
import { planFor } from './plan.js';

const SHELLS: readonly ShellName[] = ['bash', 'zsh', 'sh', 'fish'];

export const command: CommandSpec = {
  name: 'env',
  summary: 'print the environment for eval or for tools',
  usage: 'env [--shell SHELL | --json | --dotenv | --github] [--unset]',
  description: `
Prints shell code that puts every source on PATH, PYTHONPATH, … as the manifest says.
Evaluating it twice is the same as once:

  eval "$(weft env)"              # bash, zsh, sh
  weft env --shell fish | source  # fish

--json prints the resulting values; --dotenv writes NAME="value" lines for editors and
containers; --github writes lines for $GITHUB_ENV.`,
  options: {
    shell: { type: 'string', short: 's', arg: 'SHELL', description: `bash, zsh, sh or fish (default: from $SHELL)` },
    dotenv: { type: 'boolean', description: 'NAME="value" lines' },
    github: { type: 'boolean', description: 'lines for $GITHUB_ENV' },
    unset: { type: 'boolean', description: 'shell code that undoes what weft set in this shell (needs no manifest)' },
  },
  positionals: 'none',
  async run(ctx, args) {
    const shell = stringOpt(args, 'shell');
    const picked = [shell !== undefined, ctx.json, flag(args, 'dotenv'), flag(args, 'github')].filter(Boolean).length;
    if (picked > 1) throw new WeftError('WEFT_E_USAGE', 'choose one of --shell, --json, --dotenv, --github', { hint: 'see "weft help env"' });
    if (shell !== undefined && !SHELLS.includes(shell as ShellName)) {
      throw new WeftError('WEFT_E_USAGE', `unknown shell "${shell}"`, { hint: `use one of: ${SHELLS.join(', ')}` });
    }
    if (flag(args, 'unset')) {
      if (picked !== (shell !== undefined ? 1 : 0)) throw new WeftError('WEFT_E_USAGE', '--unset prints shell code; it goes with --shell only', { hint: 'weft env --unset --shell bash' });
      // From the record in the environment, not the manifest: leaving must work even
      // after the workspace was edited or deleted.
      const model = modelFromRecord(ctx.env);
      if (model) ctx.stdout.write(renderUnset(model, (shell as ShellName | undefined) ?? detectShell(ctx.env)));
      return 0;
    }
    const format: OutputFormat = ctx.json ? 'json' : flag(args, 'dotenv') ? 'dotenv' : flag(args, 'github') ? 'github'
      : ((shell as ShellName | undefined) ?? detectShell(ctx.env));
    const plan = await planFor(ctx);
    const model = buildEnvModel(plan, await readCheckouts(plan));
    ctx.stdout.write(render(model, format, ctx.env));
    return 0;
  },
};
