#!/usr/bin/env node
// Bundles the compiled CLI (dist/src/cli/main.js and everything it imports, the `yaml`
// package included) into one CommonJS file, dist/src/bundle.cjs, which bin/weft.js loads
// with a V8 code cache (see src/cli/load.cts for why). Run by `npm run build` after tsc.
// Also `weft env`'s fast path (cli/env-fast.cjs and the three small modules it requires)
// as one file, dist/src/cli/env-fast.bundle.cjs: a module fewer to find and read is a
// visible share of a command that costs little more than starting Node.
//
// Two things differ between a module and the bundle, and are put right here:
// - `import.meta.url` is each module's own URL: it becomes that module's file URL
//   computed at run time from the bundle's place, so `new URL('./x.cjs', import.meta.url)`
//   and createRequire find the same files beside it in dist/src as before;
// - import() of a package (ora, which is ES-only) becomes __weftImport(), a function the
//   loader passes in: Node 20 loses the import() callback of code compiled from a V8 code
//   cache ("A dynamic import callback was not specified"), and its vm-level fix is an
//   experimental feature that prints a warning;
// - resolve/yaml-lib.js loads `yaml` by hand to skip Node's module search in the ES module
//   build; in the bundle there is no search, so it becomes a plain import of the package.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'dist', 'src');

const moduleUrls = {
  name: 'module-urls',
  setup(b) {
    b.onLoad({ filter: /[\\/]dist[\\/]src[\\/].*\.js$/ }, async (args) => {
      if (args.path === join(src, 'resolve', 'yaml-lib.js')) {
        return { contents: "import * as yaml from 'yaml';\nexport function yamlLib() { return yaml; }\n", loader: 'js', resolveDir: dirname(args.path) };
      }
      const text = await readFile(args.path, 'utf8');
      // import() of a package (not of one of weft's modules, which the bundle inlines).
      const packageImport = /\bimport\((['"])([^./'"][^'"]*)\1\)/g;
      if (!text.includes('import.meta.url') && !packageImport.test(text)) return undefined;
      const rel = relative(src, args.path).split('\\').join('/');
      const contents = text
        .replaceAll('import.meta.url', `__weftModuleUrl(${JSON.stringify(rel)})`)
        .replace(packageImport, (_, q, spec) => `__weftImport(${q}${spec}${q})`);
      return { contents, loader: 'js' };
    });
  },
};

// What both bundles are: one CommonJS file for the Node weft supports.
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', legalComments: 'none' };

await build({
  ...common,
  entryPoints: [join(src, 'cli', 'main.js')],
  outfile: join(src, 'bundle.cjs'),
  // Loaded from node_modules when used: ora is ES-only (import()), tar and undici are
  // large and needed only by archive sources, zx only by scripts.
  external: ['ora', 'tar', 'undici', 'zx'],
  banner: { js: "const __weftModuleUrl = (rel) => require('node:url').pathToFileURL(require('node:path').join(__dirname, rel)).href;" },
  plugins: [moduleUrls],
});

await build({ ...common, entryPoints: [join(src, 'cli', 'env-fast.cjs')], outfile: join(src, 'cli', 'env-fast.bundle.cjs') });

// ASCII only, so that load.cts reads the bundle as latin1: a one-byte string with no UTF-8
// decoding, and V8 compiles (and checks the code cache against) half the bytes. ~3 ms of
// every command. esbuild escapes non-ASCII in strings, templates and regexes by itself;
// what is left is comments it keeps (inside an array or a call).
const bundled = await readFile(join(src, 'bundle.cjs'));
const at = bundled.findIndex((b) => b > 0x7f);
if (at >= 0) {
  const before = bundled.subarray(0, at).toString('latin1');
  const line = before.split('\n').length;
  const text = bundled.toString('utf8').split('\n')[line - 1];
  throw new Error(`dist/src/bundle.cjs:${line}: a character outside ASCII, which weft's loader reads as latin1; write it in ASCII in the source (a comment esbuild keeps?):\n  ${text.trim()}`);
}
