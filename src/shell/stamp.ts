// Writes .weft/env/stamp.json after `weft up`; reading it back (the fast path) is in
// stamp-read.cts, which must stay free of ES modules.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileIfChanged } from '../atomic.js';
import { ENV_REF, STAMP_FILE, inputsHash, statOf, watchedFiles, type Stamp, type StampInput } from './stamp-read.cjs';

export { NEEDS_TRUST_FILE, STAMP_FILE, freshEnvFile, type StampInput } from './stamp-read.cjs';

/** Call after the env files are written. */
export function writeStamp(plan: StampInput, vars: Record<string, string>, env: NodeJS.ProcessEnv): void {
  const envNames = new Set<string>();
  for (const f of plan.files) {
    try {
      for (const m of readFileSync(f, 'utf8').matchAll(ENV_REF)) envNames.add(m[1]!);
    } catch {
      // an unreadable file is stamped as missing below, so the fast path never trusts it
    }
  }
  const names = [...envNames].sort();
  const stamp: Stamp = {
    version: 1,
    manifest: plan.manifest,
    inputs: inputsHash(vars, env, names),
    envNames: names,
    files: watchedFiles(plan.manifest, plan.workspace, plan.files).map(statOf),
  };
  writeFileIfChanged(join(plan.workspace, '.weft', 'env', STAMP_FILE), JSON.stringify(stamp, null, 2) + '\n');
}
