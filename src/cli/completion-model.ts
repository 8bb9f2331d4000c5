// What the completion scripts complete, read from the command registry and each command's
// CommandSpec, so a new command or flag appears in completions without touching them.
import type { CommandSpec, OptionSpec } from './command.js';
import { globalOptions } from './help-text.js';
import type { CommandEntry } from './registry.js';

/** What follows an option or stands as a positional. */
export type Values = { kind: 'none' } | { kind: 'words'; words: string[] } | { kind: 'sources' } | { kind: 'dirs' } | { kind: 'files' } | { kind: 'commands' };

export interface Flag {
  long: string;
  short?: string;
  description: string;
  /** undefined: a boolean flag; otherwise what its value may be. */
  value?: Values;
}

export interface CompletedCommand {
  name: string;
  aliases: string[];
  summary: string;
  flags: Flag[];
  positionals: Values;
}

export interface CompletionModel {
  globals: Flag[];
  commands: CompletedCommand[];
}

export const SCRIPT_SHELLS = ['bash', 'zsh', 'fish'] as const;

// Option values by the placeholder the spec shows in help: one convention serves both.
// A NAME is a source name only on commands that take source names (up --skip NAME), not
// e.g. init --template NAME.
function valuesOf(name: string, o: OptionSpec, shells: readonly string[], takesSources: boolean): Values | undefined {
  if (o.type === 'boolean') return undefined;
  switch (o.arg) {
    case 'NAME':
      return takesSources ? { kind: 'sources' } : { kind: 'none' };
    case 'DIR':
      return { kind: 'dirs' };
    case 'FILE':
      return { kind: 'files' };
    case 'SHELL':
      return { kind: 'words', words: [...shells] };
  }
  return name === 'shell' ? { kind: 'words', words: [...shells] } : { kind: 'none' };
}

function flagsOf(options: Record<string, OptionSpec>, shells: readonly string[], takesSources = false): Flag[] {
  return Object.entries(options).map(([long, o]) => {
    const f: Flag = { long, description: o.description };
    if (o.short) f.short = o.short;
    const v = valuesOf(long, o, shells, takesSources);
    if (v) f.value = v;
    return f;
  });
}

// Commands whose NAMEs are not source names.
const POSITIONAL_WORDS: Record<string, (ctx: { commands: string[]; shells: readonly string[]; hookShells: readonly string[] }) => Values> = {
  help: ({ commands }) => ({ kind: 'words', words: commands }),
  env: ({ shells }) => ({ kind: 'words', words: [...shells] }),
  hook: ({ hookShells }) => ({ kind: 'words', words: [...hookShells] }),
  completion: () => ({ kind: 'words', words: [...SCRIPT_SHELLS] }),
};

export function completionModel(entries: CommandEntry[], specs: CommandSpec[], shells: readonly string[], hookShells: readonly string[]): CompletionModel {
  const names = entries.map((e) => e.name);
  return {
    globals: flagsOf(globalOptions, shells),
    commands: entries.map((e, i) => {
      const spec = specs[i]!;
      const special = POSITIONAL_WORDS[e.name];
      const positionals: Values = special
        ? special({ commands: names, shells, hookShells })
        : spec.positionals === 'names' ? { kind: 'sources' } : spec.positionals === 'command' ? { kind: 'commands' } : { kind: 'none' };
      return { name: e.name, aliases: (e.aliases ?? []).filter((a) => !a.startsWith('_')), summary: e.summary, flags: flagsOf(spec.options, shells, positionals.kind === 'sources'), positionals };
    }),
  };
}
