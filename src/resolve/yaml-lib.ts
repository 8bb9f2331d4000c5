// The YAML library, loaded on first use: it is ~70 CommonJS files, and a `weft up` whose
// plan comes from the plan cache and whose lock reads by the fast path never needs it.
import { createRequire } from 'node:module';

type YamlLib = typeof import('yaml');

const requireHere = createRequire(import.meta.url);

/** The `yaml` package (Node caches it after the first call). */
export function yamlLib(): YamlLib {
  return requireHere('yaml') as YamlLib;
}
