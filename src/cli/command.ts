// What every command file exports, and what it is handed.

export interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help for string options, e.g. 'N' or 'FILE'. */
  arg?: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** Synopsis after `weft `, e.g. 'up [NAME…] [options]'. */
  usage: string;
  /** Longer help, shown by `weft help CMD`. */
  description?: string;
  options: Record<string, OptionSpec>;
  /** 'none': no positionals; 'names': any number; 'command': everything after `--` (or the first positional) is a command line. */
  positionals: 'none' | 'names' | 'command';
  run(ctx: CommandContext, args: ParsedArgs): Promise<number>;
}

export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  /** The command line after `--`, for positionals: 'command'. */
  rest: string[];
}

export interface Output {
  write(text: string): void;
  isTTY: boolean;
}

export interface CommandContext {
  /** Where weft runs (after -C). */
  cwd: string;
  manifest?: string;
  vars: Record<string, string>;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  color: boolean;
  env: NodeJS.ProcessEnv;
  stdout: Output;
  stderr: Output;
}

export function flag(args: ParsedArgs, name: string): boolean {
  return args.values[name] === true;
}

export function stringOpt(args: ParsedArgs, name: string): string | undefined {
  const v = args.values[name];
  return typeof v === 'string' ? v : undefined;
}

export function listOpt(args: ParsedArgs, name: string): string[] {
  const v = args.values[name];
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
}

/**
 * An option's value as a count: decimal digits only, so `1e2`, `0x10`, ` 8` or `8.0`, which
 * Number() would take, are refused with the rest; undefined when it is not one.
 */
export function wholeNumber(text: string): number | undefined {
  return /^[0-9]+$/.test(text) ? Number(text) : undefined;
}
