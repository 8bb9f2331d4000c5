// Which of weft's own modules a run of the real `weft` loads, seen through a module
// resolve hook: start-up cost is mostly module loading, so "this path does not load that
// layer" is a property worth a test (the time itself is measured in `npm run bench`).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { weft, type WeftResult } from './cli.js';

export interface LoadedRun extends WeftResult {
  /** Paths of weft's compiled modules, relative to dist/src (e.g. `fetch/quick.js`), in load order. */
  weftModules: string[];
  /** Whether Node's own loader (import or require) loaded any file of the `yaml` package. */
  yamlByNode: boolean;
}

/** Runs weft with a probe that records every module it loads; `dir` holds the probe's files. */
export async function weftTracingModules(args: string[], opts: { cwd: string; env: NodeJS.ProcessEnv; dir: string }): Promise<LoadedRun> {
  const log = join(opts.dir, 'modules.log');
  writeFileSync(log, '');
  const hooks = join(opts.dir, 'probe-hooks.mjs');
  // Runs on the loader's thread: appendFileSync, not stderr, so the lines are never lost.
  writeFileSync(hooks, `import { appendFileSync } from 'node:fs';
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  appendFileSync(${JSON.stringify(log)}, r.url + '\\n');
  return r;
}
`);
  const probe = join(opts.dir, 'probe.mjs');
  // require() of CommonJS files bypasses the ESM hooks in Node 20: record those at exit.
  writeFileSync(probe, `import { register, createRequire } from 'node:module';
import { appendFileSync } from 'node:fs';
register(${JSON.stringify('file://' + hooks)});
const cache = createRequire(import.meta.url).cache;
process.on('exit', () => appendFileSync(${JSON.stringify(log)}, Object.keys(cache).map((f) => 'file://' + f + '\\n').join('')));
`);
  // WEFT_BUNDLE=0: the ES modules one by one, as the probe can see them. The bundle
  // (scripts/bundle.mjs) keeps their structure: a module imported only with import() runs
  // only when imported, so what loads here is what runs there.
  const r = await weft(args, { cwd: opts.cwd, env: { ...opts.env, WEFT_BUNDLE: '0', NODE_OPTIONS: `--import ${probe}` } });
  const urls = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  const weftModules: string[] = [];
  for (const u of urls) {
    const m = /\/dist\/src\/(.+)$/.exec(u);
    if (m && !weftModules.includes(m[1]!)) weftModules.push(m[1]!);
  }
  return { ...r, weftModules, yamlByNode: urls.some((u) => /\/node_modules\/yaml\//.test(u)) };
}
