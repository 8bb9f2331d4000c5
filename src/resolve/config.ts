// The user's own settings: $XDG_CONFIG_HOME/weft/config.yaml (else ~/.config/weft/config.yaml).
// Today only `mirrors:`, applied to every URL after the manifest's own rules, so a user
// behind a proxy or with a local mirror needs no edit to a committed manifest.
import { existsSync } from 'node:fs';
import { userConfigPath } from './config-path.js';
import { WeftError, isWeftError } from '../errors.js';
import type { MirrorRule } from './build-source.js';
import { readManifestFile, type ReadRecorder } from './load.js';
import { Problems } from './problems.js';
import { checkKeys, mapEntries, readString } from './yaml-nodes.js';

export { userConfigPath };

export const CONFIG_KEYS = ['mirrors'] as const;

export interface UserConfig {
  file: string;
  mirrors: MirrorRule[];
}


/** Reads and validates the config file; a missing or empty file is an empty config. */
export function readUserConfig(env: NodeJS.ProcessEnv, onRead?: ReadRecorder): UserConfig {
  const file = userConfigPath(env);
  const out: UserConfig = { file, mirrors: [] };
  if (!existsSync(file)) return out;
  let ctx;
  try {
    ctx = readManifestFile(file, 'config', undefined, onRead);
  } catch (err) {
    if (isWeftError(err) && err.code === 'WEFT_E_MANIFEST_EMPTY') return out;
    throw asConfigError(err);
  }
  const problems = new Problems(() => 0);
  const r = { ctx, problems };
  const entries = mapEntries(r, ctx.doc.contents, { file, line: 1, col: 1 }, 'the weft config file') ?? [];
  checkKeys(r, entries, CONFIG_KEYS, 'the weft config file');
  const mirrors = entries.find((e) => e.key === 'mirrors');
  if (mirrors && mirrors.value !== null) {
    for (const m of mapEntries(r, mirrors.value, mirrors.loc, '`mirrors`') ?? []) {
      if (!/^[A-Za-z][A-Za-z0-9+.-]*:|^[^/]+@[^/]+:/.test(m.key)) {
        problems.add({
          code: 'WEFT_E_CONFIG',
          message: `mirror prefix \`${m.key}\` is not the start of a URL`,
          loc: m.keyLoc,
          hint: 'write the URL prefix to replace, e.g. `"https://github.com/": "https://mirror.example/gh/"`',
        });
        continue;
      }
      const leaf = readString(r, m, `\`${m.key}\` in \`mirrors\``);
      if (!leaf) continue;
      if (leaf.value.includes('${')) {
        problems.add({ code: 'WEFT_E_CONFIG', message: `the weft config file has no variables; \`${leaf.value}\` uses \`\${…}\``, loc: leaf.loc, hint: 'write the URL literally' });
        continue;
      }
      out.mirrors.push([m.key, leaf.value, leaf.loc]);
    }
  }
  try {
    problems.throwIfAny();
  } catch (err) {
    throw asConfigError(err);
  }
  return out;
}

/** Problems in the config file keep their message and position but carry WEFT_E_CONFIG (exit 2). */
function asConfigError(err: unknown): unknown {
  if (!isWeftError(err) || err.code === 'WEFT_E_CONFIG') return err;
  const conv = (e: WeftError) => new WeftError('WEFT_E_CONFIG', e.message, { loc: e.loc, hint: e.hint ?? 'fix or remove the weft config file' });
  const [first, ...rest] = err.all();
  return new WeftError('WEFT_E_CONFIG', first!.message, { loc: first!.loc, hint: first!.hint, more: rest.map(conv) });
}
