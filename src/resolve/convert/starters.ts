// The starter manifests `weft init` writes, shipped in the package's templates/ folder,
// and the schema file editors validate them with, shipped in schema/.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface PackageAssets {
  templatesDir: string;
  schemaFile: string;
}

/** The installed package's templates/ and schema/, found from this module's own location. */
export function packageAssets(from: string = import.meta.url): PackageAssets {
  let dir = dirname(fileURLToPath(from));
  // Compiled code sits in dist/src/…, sources in src/…: walk up to the package root.
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'templates'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`weft's templates/ folder not found above ${fileURLToPath(from)}`);
    dir = up;
  }
  return { templatesDir: join(dir, 'templates'), schemaFile: join(dir, 'schema', 'weft.schema.json') };
}

export const DEFAULT_TEMPLATE = 'default';

/** Template names: "default" for weft.yaml, NAME for NAME.weft.yaml. */
export async function listTemplates(templatesDir: string): Promise<string[]> {
  const files = await readdir(templatesDir);
  const named = files.filter((f) => f.endsWith('.weft.yaml')).map((f) => f.slice(0, -'.weft.yaml'.length)).sort();
  return [...(files.includes('weft.yaml') ? [DEFAULT_TEMPLATE] : []), ...named];
}

export function templateFile(templatesDir: string, name: string): string {
  return join(templatesDir, name === DEFAULT_TEMPLATE ? 'weft.yaml' : `${name}.weft.yaml`);
}

export async function readTemplate(templatesDir: string, name: string): Promise<string> {
  return readFile(templateFile(templatesDir, name), 'utf8');
}

const SCHEMA_LINE = /^# yaml-language-server:.*\r?\n/;

/** The template with its first-line schema reference pointing at `schemaUrl`. */
export function withSchemaLine(text: string, schemaUrl: string): string {
  const line = `# yaml-language-server: $schema=${schemaUrl}\n`;
  return SCHEMA_LINE.test(text) ? text.replace(SCHEMA_LINE, line) : line + text;
}

/**
 * The schema reference for a manifest written in `dir`: a relative path when weft is
 * installed in a node_modules of that project (or of a directory above it, as in a
 * monorepo), so the committed manifest points at the schema for everyone who installs the
 * project; otherwise (a global install) the installed file's absolute URL, which only this
 * machine has.
 */
export function schemaUrl(assets: PackageAssets, dir?: string): string {
  if (dir !== undefined) {
    const rel = relative(dir, assets.schemaFile).split(sep).join('/');
    if (/^(\.\.\/)*node_modules\//.test(rel)) return rel.startsWith('../') ? rel : `./${rel}`;
  }
  return pathToFileURL(assets.schemaFile).href;
}
