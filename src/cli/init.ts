import { lstat, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { EXIT_USAGE, WeftError } from '../errors.js';
import { redact } from '../redact.js';
import { suggest } from '../suggest.js';
import { writeFileAtomic } from '../atomic.cjs';
import { ensureGitignore } from '../resolve/convert/gitignore.js';
import { detectAndConvert, FORMAT_NAMES, oneLine, renderManifest, type ConvertNote, type InputFormat } from '../resolve/convert/index.js';
import { DEFAULT_TEMPLATE, listTemplates, packageAssets, readTemplate, schemaUrl, withSchemaLine, type PackageAssets } from '../resolve/convert/starters.js';
import { MANIFEST_NAMES } from '../resolve/find.js';
import { flag, stringOpt, type CommandContext, type CommandSpec } from './command.js';
import { weftFor } from '../shell/quick.js';

export const command: CommandSpec = {
  name: 'init',
  summary: 'write a starter weft.yaml, or convert a .repos / rosinstall / west.yml / .gitmodules',
  usage: 'init [--template NAME | --from FILE [--remote URL]] [--force]',
  description: `
Writes weft.yaml in the current directory (or --manifest FILE) and adds weft.local.yaml,
.weft/ and .weft-branches/ to .gitignore. Every optional field is shown in comments; the first line
points YAML language servers at weft's JSON Schema.

  weft init                          # the general starter
  weft init --template python        # a starter for a Python project
  weft init --from src.repos         # convert vcstool / vcs2l
  weft init --from .rosinstall       # convert rosinstall / wstool
  weft init --from west.yml          # convert a west manifest
  weft init --from .gitmodules --remote https://github.com/ORG/PROJECT.git

Whatever a converted file held that weft cannot express is listed on stderr with its
line number, and in the new file's header. An existing weft.yaml (or weft.yml) is never overwritten
without --force; --force replaces it under its own name.`,
  options: {
    template: { type: 'string', short: 't', arg: 'NAME', description: 'starter to use (default, python, node, …)' },
    from: { type: 'string', arg: 'FILE', description: 'convert FILE (.repos, rosinstall, west.yml, .gitmodules), or set up from a weft bundle' },
    remote: { type: 'string', arg: 'URL', description: "the superproject's remote, for relative .gitmodules URLs" },
    force: { type: 'boolean', description: 'overwrite an existing weft.yaml' },
  },
  positionals: 'none',
  async run(ctx, args) {
    return init(ctx, {
      template: stringOpt(args, 'template'),
      from: stringOpt(args, 'from'),
      remote: stringOpt(args, 'remote'),
      force: flag(args, 'force'),
    });
  },
};

export interface InitOptions {
  template?: string;
  from?: string;
  remote?: string;
  force?: boolean;
  /** Where templates/ and schema/ are; default: this installed package's. */
  assets?: PackageAssets;
}

export async function init(ctx: CommandContext, opts: InitOptions): Promise<number> {
  if (opts.template !== undefined && opts.from !== undefined) {
    throw new WeftError('WEFT_E_USAGE', '--template and --from cannot be used together', { hint: 'pick a starter, or convert a file' });
  }
  if (opts.remote !== undefined && opts.from === undefined) {
    throw new WeftError('WEFT_E_USAGE', '--remote is only used with --from .gitmodules', { hint: 'see "weft help init"' });
  }
  const bundle = opts.from === undefined ? undefined : resolve(ctx.cwd, opts.from);
  if (bundle && (await isDirectory(bundle))) {
    throw new WeftError('WEFT_E_USAGE', `--from ${opts.from} is a directory; --from reads one file`, {
      hint: 'give the file itself: a bundle made by "weft bundle", or a .repos, rosinstall, west.yml or .gitmodules file',
    });
  }
  // A .weft file is a bundle by its name (sprint.md's), even when its bytes say nothing: an
  // empty, cut-short or error-page download is then refused as a damaged bundle, not as a
  // file of unknown kind to convert.
  if (bundle && (bundle.endsWith('.weft') || (await import('../fetch/bundle/index.js').then((m) => m.looksLikeBundle(bundle))))) {
    return (await import('./bundle-from.js')).initFromBundle(ctx, bundle, !!opts.force);
  }
  const assets = opts.assets ?? packageAssets();
  // The manifest this directory already has, under either name (weft.yml too): a new
  // weft.yaml beside a weft.yml would silently take its place.
  const target = ctx.manifest ? resolve(ctx.cwd, ctx.manifest) : (await existingManifest(ctx.cwd)) ?? join(ctx.cwd, 'weft.yaml');
  await checkWritable(target);
  if (!opts.force && (await exists(target))) {
    throw new WeftError('WEFT_E_INIT_EXISTS', `${target} already exists; weft init leaves it as it is`, {
      hint: 'edit it, or run weft init --force to replace it',
      exitCode: EXIT_USAGE,
    });
  }

  let text: string;
  let notes: ConvertNote[] = [];
  let from: { file: string; format: InputFormat } | undefined;
  let sourceCount = 0;
  if (opts.from !== undefined) {
    const file = resolve(ctx.cwd, opts.from);
    const input = await readInput(file);
    const result = detectAndConvert(file, input, { remote: opts.remote });
    if (opts.remote !== undefined && result.format !== 'gitmodules') {
      notes.push({ line: 0, message: `--remote is only used for .gitmodules; ${basename(file)} is a ${FORMAT_NAMES[result.format]}` });
    }
    notes.push(...result.notes);
    from = { file, format: result.format };
    sourceCount = Object.keys(result.manifest.sources).length;
    text = renderManifest(result.manifest, {
      schemaUrl: schemaUrl(assets, dirname(target)),
      header: [`Converted from ${basename(file)} (${FORMAT_NAMES[result.format]}) by weft init --from.`, 'Review it, then run: weft up'],
      notes: result.notes,
      from: basename(file),
    });
  } else {
    const name = opts.template ?? DEFAULT_TEMPLATE;
    const known = await listTemplates(assets.templatesDir);
    if (!known.includes(name)) {
      const guess = suggest(name, known);
      throw new WeftError('WEFT_E_USAGE', `no template named "${name}"`, {
        hint: `${guess ? `did you mean "${guess}"? ` : ''}templates: ${known.join(', ')}`,
      });
    }
    text = withSchemaLine(await readTemplate(assets.templatesDir, name), schemaUrl(assets, dirname(target)));
  }

  await writeFileAtomic(target, text);
  const added = await ensureGitignore(join(dirname(target), '.gitignore'));

  if (ctx.json) {
    const jsonNotes = notes.map((n) => ({ file: from?.file, line: n.line, message: redact(n.message) }));
    ctx.stdout.write(JSON.stringify({ manifest: target, from, template: from ? undefined : (opts.template ?? DEFAULT_TEMPLATE), gitignore: added, notes: jsonNotes }, null, 2) + '\n');
  }
  if (!ctx.quiet) {
    for (const n of notes) {
      const where = from && n.line > 0 ? `${basename(from.file)}:${n.line}: ` : '';
      ctx.stderr.write(`weft: ${where}note: ${oneLine(redact(n.message))}\n`);
    }
    if (!ctx.json) {
      const what = from ? ` (${sourceCount} source${sourceCount === 1 ? '' : 's'} from ${basename(from.file)})` : '';
      ctx.stdout.write(`wrote ${basename(target)}${what}\n`);
      if (added.length) ctx.stdout.write(`.gitignore: added ${added.join(', ')}\n`);
      ctx.stdout.write(`next: edit it, then run ${weftFor({ manifest: target, workspace: dirname(target) }, process.cwd())} up\n`);
    }
  }
  return 0;
}

/** `dir`'s weft.yaml or weft.yml, in the order weft looks for them; undefined when neither is there. */
async function existingManifest(dir: string): Promise<string | undefined> {
  for (const name of MANIFEST_NAMES) if (await exists(join(dir, name))) return join(dir, name);
  return undefined;
}

/**
 * Said before anything is read or converted: --manifest naming a directory, or a file in
 * a directory that is missing or is a file, would otherwise end in a raw ENOENT, ENOTDIR
 * or EISDIR from the write (--force included).
 */
async function checkWritable(target: string): Promise<void> {
  if (await isDirectory(target)) {
    throw new WeftError('WEFT_E_USAGE', `${target} is a directory; weft init writes the manifest file itself`, {
      hint: `name the file, e.g. --manifest ${join(target, 'weft.yaml')}, or run weft -C ${target} init`,
    });
  }
  const dir = dirname(target);
  const st = await stat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
    throw err;
  });
  if (st?.isDirectory()) return;
  throw new WeftError('WEFT_E_USAGE', `cannot write ${target}: ${dir} ${st ? 'is not a directory' : 'does not exist'}`, {
    hint: st ? 'give --manifest a path inside a directory' : `create the directory first (mkdir -p ${dir}), or give --manifest a path inside an existing one`,
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw err;
  }
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then((st) => st.isDirectory(), () => false);
}

async function readInput(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const why = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (err as Error).message;
    throw new WeftError('WEFT_E_CONVERT_READ', `cannot read ${file}: ${why}`, {
      hint: 'give the path of a .repos, rosinstall, west.yml or .gitmodules file',
      exitCode: EXIT_USAGE,
    });
  }
}
