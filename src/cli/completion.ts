// `weft completion bash|zsh|fish`: a completion script for the rc file. Also answers
// `weft __complete sources` (an alias the scripts call on <Tab>, not shown in help), which
// reads source names without loading the resolver or the fetch layer.
import { WeftError } from '../errors.js';
import type { CommandSpec } from './command.js';

const SCRIPTS = ['bash', 'zsh', 'fish'] as const;
type ScriptShell = (typeof SCRIPTS)[number];

export const command: CommandSpec = {
  name: 'completion',
  summary: 'print a shell completion script (bash, zsh, fish)',
  usage: 'completion bash|zsh|fish',
  description: `
Prints a script that completes weft's commands, each command's flags, and source names from
the manifest. One line in the rc file:

  eval "$(weft completion bash)"   # ~/.bashrc
  eval "$(weft completion zsh)"    # ~/.zshrc, after compinit
  weft completion fish | source    # ~/.config/fish/config.fish`,
  options: {},
  positionals: 'names',
  async run(ctx, args) {
    const [what, ...extra] = args.positionals;
    if (what === 'sources' && extra.length === 0) {
      const { sourceNames } = await import('./complete.js');
      const names = sourceNames(ctx.cwd, ctx.manifest);
      ctx.stdout.write(names.length ? names.join('\n') + '\n' : '');
      return 0;
    }
    if (what === undefined || extra.length > 0 || !(SCRIPTS as readonly string[]).includes(what)) {
      throw new WeftError('WEFT_E_USAGE', what === undefined ? 'weft completion needs a shell' : `no completion for "${[what, ...extra].join(' ')}"`, {
        hint: 'use one of: weft completion bash, weft completion zsh, weft completion fish',
      });
    }
    ctx.stdout.write(await script(what as ScriptShell));
    return 0;
  },
};

async function script(shell: ScriptShell): Promise<string> {
  const [{ commands }, { completionModel }, { ALL_SHELLS }, { HOOK_SHELLS }] = await Promise.all([
    import('./registry.js'),
    import('./completion-model.js'),
    import('../shell/renderers/names.cjs'),
    import('../shell/hook/index.js'),
  ]);
  const specs = await Promise.all(commands.map((c) => c.load()));
  const model = completionModel(commands, specs, ALL_SHELLS, HOOK_SHELLS);
  if (shell === 'bash') return (await import('./completion-bash.js')).bashScript(model);
  if (shell === 'zsh') return (await import('./completion-zsh.js')).zshScript(model);
  return (await import('./completion-fish.js')).fishScript(model);
}
