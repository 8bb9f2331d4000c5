import { readFileSync } from 'node:fs';
import type { CommandSpec, OptionSpec } from './command.js';
import type { CommandEntry } from './registry.js';

export const globalOptions: Record<string, OptionSpec> = {
  directory: { type: 'string', short: 'C', arg: 'DIR', description: 'run as if weft was started in DIR' },
  manifest: { type: 'string', arg: 'FILE', description: 'use FILE instead of finding weft.yaml upwards' },
  var: { type: 'string', multiple: true, arg: 'NAME=VALUE', description: 'override a manifest variable (also WEFT_VAR_NAME)' },
  json: { type: 'boolean', description: 'print data as JSON where the command has data' },
  quiet: { type: 'boolean', short: 'q', description: 'print only errors' },
  verbose: { type: 'boolean', short: 'v', description: 'print more detail, and stack traces of internal errors' },
  'no-color': { type: 'boolean', description: 'no colours (also NO_COLOR)' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
  version: { type: 'boolean', short: 'V', description: 'print the version' },
};

export function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

function optionLines(options: Record<string, OptionSpec>): string[] {
  const rows = Object.entries(options).map(([name, o]) => {
    const left = `${o.short ? `-${o.short}, ` : '    '}--${name}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
    return [left, o.description] as const;
  });
  const width = Math.max(...rows.map(([l]) => l.length));
  return rows.map(([l, d]) => `  ${l.padEnd(width)}  ${d}`);
}

export function renderMainHelp(commands: CommandEntry[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'weft — fetch every source a project is developed against and wire it into your shell',
    '',
    'Usage: weft [options] <command> [args]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    ...optionLines(globalOptions),
    '',
    'Exit codes: 0 ok, 1 some work failed, 2 usage or manifest error.',
    'Run "weft help <command>" for a command\'s options.',
    '',
  ].join('\n');
}

export function renderCommandHelp(spec: CommandSpec): string {
  const own = Object.keys(spec.options).length ? ['Options:', ...optionLines(spec.options), ''] : [];
  return [
    `Usage: weft ${spec.usage}`,
    '',
    spec.summary.charAt(0).toUpperCase() + spec.summary.slice(1) + '.',
    ...(spec.description ? ['', spec.description.trim()] : []),
    '',
    ...own,
    'Global options:',
    ...optionLines(globalOptions),
    '',
  ].join('\n');
}
