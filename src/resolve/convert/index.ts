// `weft init --from FILE`: which tool wrote FILE, and its sources in weft's shape.
import { basename } from 'node:path';
import { parse } from '../yaml-api.js';
import { EXIT_USAGE, WeftError } from '../../errors.js';
import { convertGitmodules } from './gitmodules.js';
import { convertRosinstall } from './rosinstall.js';
import type { ConvertOptions, ConvertResult, InputFormat } from './types.js';
import { convertVcstool } from './vcstool.js';
import { convertWest } from './west.js';

export type { ConvertedManifest, ConvertedSource, ConvertNote, ConvertOptions, ConvertResult, InputFormat } from './types.js';
export { convertGitmodules, resolveRelativeUrl } from './gitmodules.js';
export { convertRosinstall } from './rosinstall.js';
export { convertVcstool } from './vcstool.js';
export { convertWest } from './west.js';
export { oneLine, renderManifest, type RenderOptions } from './write.js';

export const FORMAT_NAMES: Record<InputFormat, string> = {
  vcstool: 'vcstool .repos file',
  rosinstall: 'rosinstall file',
  west: 'west manifest',
  gitmodules: '.gitmodules file',
};

/** The format named by the file name, else recognised from the content; undefined if neither. */
export function detectFormat(path: string, text: string): InputFormat | undefined {
  const name = basename(path).toLowerCase();
  if (name === '.gitmodules' || name.endsWith('.gitmodules')) return 'gitmodules';
  if (name.endsWith('.repos')) return 'vcstool';
  if (name === '.rosinstall' || name.endsWith('.rosinstall')) return 'rosinstall';
  if (name === 'west.yml' || name === 'west.yaml') return 'west';
  if (/^\s*\[submodule\s+"/m.test(text) && !/^\s*(repositories|manifest)\s*:/m.test(text)) return 'gitmodules';
  let data: unknown;
  try {
    data = parse(text, { prettyErrors: false });
  } catch {
    return undefined;
  }
  if (Array.isArray(data)) {
    const kinds = ['git', 'svn', 'hg', 'bzr', 'tar', 'other', 'setup-file'];
    const first: unknown = data[0];
    if (data.length === 0 || (first && typeof first === 'object' && Object.keys(first).some((k) => kinds.includes(k)))) return 'rosinstall';
    return undefined;
  }
  if (data && typeof data === 'object') {
    if ('repositories' in data) return 'vcstool';
    if ('manifest' in data) return 'west';
  }
  return undefined;
}

export function convert(format: InputFormat, path: string, text: string, opts: ConvertOptions = {}): ConvertResult {
  switch (format) {
    case 'vcstool':
      return convertVcstool(text, path);
    case 'rosinstall':
      return convertRosinstall(text, path);
    case 'west':
      return convertWest(text, path);
    case 'gitmodules':
      return convertGitmodules(text, path, opts);
  }
}

export function detectAndConvert(path: string, text: string, opts: ConvertOptions = {}): ConvertResult & { format: InputFormat } {
  const format = detectFormat(path, text);
  if (!format) {
    throw new WeftError('WEFT_E_CONVERT_FORMAT', `cannot tell what kind of file ${path} is`, {
      loc: { file: path, line: 1, col: 1 },
      hint: `weft init --from reads: ${Object.values(FORMAT_NAMES).join(', ')}; name the file *.repos, *.rosinstall, west.yml or .gitmodules`,
      exitCode: EXIT_USAGE,
    });
  }
  return { format, ...convert(format, path, text, opts) };
}
