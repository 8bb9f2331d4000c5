// The YAML library, loaded on first use: a `weft up` whose plan comes from the plan cache
// and whose lock reads by the fast path never needs it.
//
// The package is ~70 small CommonJS files, and Node's require spends about as long finding
// each one (path resolution, stat, realpath, package scope) as reading and compiling it:
// require('yaml') took ~40 ms here, this ~20 ms, on every resolve. The files only ever
// require each other by relative path (and Node built-ins), so weft reads and compiles
// them itself as Node would, minus the search (and minus require.cache: Node's own
// require('yaml') would load a second copy, so weft's code takes it from yaml-api.ts).
// Anything unexpected (another layout in a later version) falls back to require.
import { readFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';

type YamlLib = typeof import('yaml');

const requireHere = createRequire(import.meta.url);

// One copy per process, like any module Node loads: the library holds no state of ours.
let loaded: YamlLib | undefined;

/** The `yaml` package (loaded once per process). */
export function yamlLib(): YamlLib {
  if (loaded) return loaded;
  try {
    loaded = loadPackage(requireHere.resolve('yaml')) as YamlLib;
  } catch {
    loaded = requireHere('yaml') as YamlLib;
  }
  return loaded;
}

interface CjsModule {
  exports: unknown;
}

/** Evaluates a CommonJS package from its entry file, following relative requires only. */
function loadPackage(entry: string): unknown {
  const modules = new Map<string, CjsModule>();
  const load = (file: string): unknown => {
    const known = modules.get(file);
    if (known) return known.exports;
    const mod: CjsModule = { exports: {} };
    modules.set(file, mod);
    const dir = dirname(file);
    const fn = compileFunction(readFileSync(file, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname'], { filename: file });
    const require = (spec: string): unknown => {
      if (spec.startsWith('./') || spec.startsWith('../')) return load(join(dir, spec));
      // Node's built-ins ('process', 'buffer'); another package would need Node's search.
      if (!isBuiltin(spec)) throw new Error(`yaml requires ${spec}`);
      return requireHere(spec);
    };
    fn.call(mod.exports, mod.exports, require, mod, file, dir);
    return mod.exports;
  };
  return load(entry);
}
