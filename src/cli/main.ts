// weft's entry point: global options, dispatch to one command, the one top-level error
// handler. It holds no logic of its own.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { WeftError, formatError, isWeftError, EXIT_FAILED, EXIT_USAGE } from '../errors.js';
import { cacheDirError } from '../cache-problem.js';
import { redact } from '../redact.js';
import { guardSignals } from '../signals.js';
import { suggest } from '../suggest.js';
import type { CommandContext, CommandSpec, OptionSpec, ParsedArgs } from './command.js';
import { commands, findCommand } from './registry.js';
import { globalOptions, renderCommandHelp, renderMainHelp, version } from './help-text.js';

// For bin/weft.js's code cache (cli/load.cts): which ways this run went.
export { codePaths } from '../code-paths.js';

export async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  guardOutput();
  // Ctrl-C in a command that does not handle it stops the tools weft started too.
  guardSignals();
  try {
    return await dispatch(argv, env);
  } catch (err) {
    // The cache directory unusable is found by the first write there (weft lock, cache prune, and so on).
    const known = isWeftError(err) ? err : cacheDirError(err, env);
    if (known) {
      process.stderr.write(formatError(known) + '\n');
      // A program reading --json gets the failure as data too, not an empty stdout.
      if (weftArgs(argv).includes('--json')) process.stdout.write(JSON.stringify({ ok: false, errors: known.all().map(errorData) }, null, 2) + '\n');
      if (verbose && known.stack) process.stderr.write(redact(known.stack) + '\n');
      return known.exitCode;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    process.stderr.write(`weft: internal error: ${redact(e.message)}\n`);
    if (verbose && e.stack) process.stderr.write(redact(e.stack) + '\n');
    else process.stderr.write('  (run again with --verbose for the stack trace, and please report it)\n');
    return EXIT_FAILED;
  }
}

/** weft's own arguments: what follows `--` is a command's (weft run, foreach). */
function weftArgs(argv: string[]): string[] {
  const end = argv.indexOf('--');
  return end < 0 ? argv : argv.slice(0, end);
}

function errorData(e: WeftError): Record<string, unknown> {
  return { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}), ...(e.loc ? { file: e.loc.file, line: e.loc.line, col: e.loc.col } : {}) };
}

let outputGuarded = false;

/**
 * A reader that went away (`weft status | head`) is not an error of weft's: the rest of
 * the output is dropped and the command finishes as it would have (a `weft up` is not cut
 * off mid-fetch). Before, node died of the unhandled EPIPE with a stack trace. Any other
 * failure to write stdout is said once on stderr and makes the exit code 1.
 */
function guardOutput(): void {
  // Once per process: the listeners are on process-wide streams.
  if (outputGuarded) return;
  outputGuarded = true;
  let said = false;
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || said) return;
    said = true;
    process.exitCode = EXIT_FAILED;
    process.stderr.write(`weft: cannot write to standard output: ${err.message}\n`);
  });
  process.stderr.on('error', () => {
    // Nowhere left to say anything.
  });
}

async function dispatch(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const at = commandIndex(argv);
  if (at < 0) {
    const { values } = parse(argv, globalOptions, 'none');
    if (values['version']) {
      process.stdout.write(`weft ${version()}\n`);
      return 0;
    }
    process.stdout.write(renderMainHelp(commands));
    return values['help'] ? 0 : EXIT_USAGE;
  }
  const name = argv[at]!;
  const entry = findCommand(name);
  if (!entry) {
    const guess = suggest(name, commands.map((c) => c.name));
    throw new WeftError('WEFT_E_USAGE_COMMAND', `unknown command "${name}"`, {
      hint: guess ? `did you mean "weft ${guess}"? (weft --help lists every command)` : 'weft --help lists every command',
    });
  }
  const spec = await entry.load();
  const args = parse([...argv.slice(0, at), ...argv.slice(at + 1)], { ...globalOptions, ...spec.options }, spec.positionals, spec.name);
  if (args.values['help']) {
    process.stdout.write(renderCommandHelp(spec));
    return 0;
  }
  if (args.values['version']) {
    process.stdout.write(`weft ${version()}\n`);
    return 0;
  }
  return spec.run(makeContext(args, env), args);
}

/** Index of the command word: the first token that is neither an option nor an option's value. */
function commandIndex(argv: string[]): number {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return -1;
    if (!a.startsWith('-') || a === '-') return i;
    const long = a.startsWith('--') ? a.slice(2) : undefined;
    const takesValue = long !== undefined
      ? !long.includes('=') && globalOptions[long]?.type === 'string'
      : a.length === 2 && Object.values(globalOptions).some((o) => o.short === a[1] && o.type === 'string');
    if (takesValue) i++;
  }
  return -1;
}

function parse(argv: string[], options: Record<string, OptionSpec>, mode: CommandSpec['positionals'], command?: string): ParsedArgs {
  let head = argv;
  let rest: string[] = [];
  const dd = argv.indexOf('--');
  if (dd >= 0) {
    head = argv.slice(0, dd);
    rest = argv.slice(dd + 1);
  } else if (mode === 'command') {
    // `weft run make -j4`: options end at the first word; the rest is the command line.
    let i = 0;
    for (; i < argv.length; i++) {
      const a = argv[i]!;
      if (!a.startsWith('-') || a === '-') break;
      const long = a.startsWith('--') ? a.slice(2) : undefined;
      const spec = long !== undefined ? options[long] : Object.values(options).find((o) => o.short === a.slice(1));
      if (spec?.type === 'string' && (long === undefined || !long.includes('='))) i++;
    }
    head = argv.slice(0, i);
    rest = argv.slice(i);
  }
  const config: ParseArgsConfig = {
    args: head,
    options: Object.fromEntries(
      Object.entries(options).map(([k, o]) => [k, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) }]),
    ),
    allowPositionals: true,
    strict: true,
  };
  const helpHint = command ? `see "weft help ${command}"` : 'see "weft --help"';
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs(config);
  } catch (err) {
    const full = err instanceof Error ? err.message : String(err);
    // `-j -1`: the value starts with '-', so node's parser takes it for an option.
    const ambiguous = /^Option '(-{1,2}[^']+)' argument is ambiguous/.exec(full);
    if (ambiguous) {
      const spelled = /use '(--[^=']+)=-XYZ'/.exec(full)?.[1] ?? ambiguous[1]!;
      throw new WeftError('WEFT_E_USAGE', `option ${ambiguous[1]} needs a value, and what follows it starts with "-"`, {
        hint: `a value that starts with "-" is written ${spelled}=VALUE; ${helpHint}`,
      });
    }
    const msg = full.split('\n')[0]!.replace(/\. To specify.*$/, '');
    const unknown = /Unknown option '(-{1,2}[^']+)'/.exec(msg)?.[1];
    const guess = unknown ? suggest(unknown.replace(/^-+/, ''), Object.keys(options)) : undefined;
    throw new WeftError('WEFT_E_USAGE', msg.replace(/^Option/, 'option').replace(/^Unknown/, 'unknown'), {
      hint: guess ? `did you mean "--${guess}"? ${helpHint}` : helpHint,
    });
  }
  const positionals = [...parsed.positionals];
  if (mode === 'none' && positionals.length > 0) {
    throw new WeftError('WEFT_E_USAGE', `unexpected argument "${positionals[0]}"`, { hint: helpHint });
  }
  if (mode === 'names' && rest.length > 0) positionals.push(...rest), (rest = []);
  return { values: parsed.values as ParsedArgs['values'], positionals, rest };
}

function makeContext(args: ParsedArgs, env: NodeJS.ProcessEnv): CommandContext {
  const C = args.values['directory'];
  const cwd = typeof C === 'string' ? resolve(process.cwd(), C) : process.cwd();
  if (typeof C === 'string' && !statSync(cwd, { throwIfNoEntry: false })?.isDirectory()) {
    throw new WeftError('WEFT_E_USAGE', `-C ${C}: ${cwd} is not a directory`, { hint: 'check the path given to -C (or --directory)' });
  }
  const vars: Record<string, string> = {};
  for (const kv of (args.values['var'] as string[] | undefined) ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new WeftError('WEFT_E_USAGE', `--var needs name=value, got "${kv}"`, { hint: 'e.g. --var gh=https://github.com' });
    vars[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  const quiet = args.values['quiet'] === true;
  const color = !quiet && process.stdout.isTTY === true && !env['NO_COLOR'] && args.values['no-color'] !== true;
  return {
    cwd,
    manifest: typeof args.values['manifest'] === 'string' ? args.values['manifest'] : undefined,
    vars,
    json: args.values['json'] === true,
    quiet,
    verbose: args.values['verbose'] === true,
    color,
    env,
    stdout: { write: (t) => void process.stdout.write(t), isTTY: process.stdout.isTTY === true },
    stderr: { write: (t) => void process.stderr.write(t), isTTY: process.stderr.isTTY === true },
  };
}
