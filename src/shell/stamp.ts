// Writes .weft/env/stamp.json after `weft up`; reading it back (the fast path) is in
// stamp-read.cts, which must stay free of ES modules.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { writeFileIfChanged } from '../atomic.cjs';
import { rendererBuild } from './files.js';
import { EDITED_FILES, HOOK_INPUTS_FILE } from './hook/common.js';
import { MANIFEST_NAMES } from '../resolve/find.js';
import type * as StampRead from './stamp-read.cjs';
import type { Stamp, StampInput } from './stamp-read.cjs';

export type { StampInput } from './stamp-read.cjs';

// Required, not imported: importing CommonJS from ESM runs Node's export lexer (see files.ts).
const stampRead = (): typeof StampRead => createRequire(import.meta.url)('./stamp-read.cjs') as typeof StampRead;

export function freshEnvFile(...args: Parameters<typeof StampRead.freshEnvFile>): string | undefined {
  return stampRead().freshEnvFile(...args);
}

/** Call after the env files are written. */
export function writeStamp(plan: StampInput, vars: Record<string, string>, env: NodeJS.ProcessEnv): void {
  const { ENV_REF, STAMP_FILE: file, inputsHash, statOf, watchedFiles } = stampRead();
  const envNames = new Set<string>();
  for (const f of plan.files) {
    try {
      for (const m of readFileSync(f, 'utf8').matchAll(ENV_REF)) envNames.add(m[1]!);
    } catch {
      // an unreadable file is stamped as missing below, so the fast path never trusts it
    }
  }
  const names = [...envNames].sort();
  const stamp: Stamp & { rendered: string } = {
    version: 1,
    manifest: plan.manifest,
    inputs: inputsHash(vars, env, names),
    envNames: names,
    files: watchedFiles(plan.manifest, plan.workspace, plan.files).map(statOf),
    // Which renderers wrote the env files beside it: files.ts re-renders when it differs.
    rendered: rendererBuild(),
  };
  // Not fsynced: a stamp lost or emptied by a crash only sends `weft env` down its slow path.
  writeFileIfChanged(join(plan.workspace, '.weft', 'env', file), JSON.stringify(stamp, null, 2) + '\n', undefined, { durable: false });
  writeHookInputs(plan);
}

/**
 * Whether weft.yaml, weft.local.yaml or one of `files` (the plan's: includes, imports) was
 * modified after `weft up` last rendered the workspace's env files (stamp.json is written
 * last): those files are then stale, and a hook applies what `weft env` computes instead, as
 * the bash hook's `-nt stamp.json` tests decide (hook/posix.ts, __weft_apply).
 */
export function editedSinceRendered(workspace: string, files: readonly string[]): boolean {
  const mtime = (f: string) => statSync(f, { bigint: true, throwIfNoEntry: false })?.mtimeNs;
  const rendered = mtime(join(workspace, '.weft', 'env', stampRead().STAMP_FILE));
  const edited = [...EDITED_FILES.map((f) => join(workspace, f)), ...files].some((f) => {
    const m = mtime(f);
    return m !== undefined && (rendered === undefined || m > rendered);
  });
  // A file the rendering was made from and that is gone since (weft.local.yaml deleted).
  return edited || hookInputs(workspace).some((f) => mtime(f) === undefined);
}

/** The files .weft/env/inputs lists (writeHookInputs), none when it is absent or unreadable. */
function hookInputs(workspace: string): string[] {
  try {
    return readFileSync(join(workspace, '.weft', 'env', HOOK_INPUTS_FILE), 'utf8').split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * .weft/env/inputs: the manifest files besides weft.yaml (weft.local.yaml when there is one,
 * included ones, imported ones), one absolute path per line, for the shell hook, which
 * re-checks trust and re-applies when one of them is edited, as it does for weft.yaml, or
 * deleted (hook/posix.ts). Absent when there are none, the usual case: the hook then reads
 * nothing more.
 */
function writeHookInputs(plan: StampInput): void {
  const own = new Set(MANIFEST_NAMES.map((f) => join(plan.workspace, f)));
  // A path with a newline cannot be one line; the hook then misses edits of that file only.
  const more = plan.files.filter((f) => !own.has(f) && !f.includes('\n'));
  const path = join(plan.workspace, '.weft', 'env', HOOK_INPUTS_FILE);
  if (more.length) writeFileIfChanged(path, more.map((f) => `${f}\n`).join(''), undefined, { durable: false });
  else rmSync(path, { force: true });
}
