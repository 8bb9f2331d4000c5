// What every shell's hook needs to know: how to start this very weft again (the hook may
// run where `weft` is not on PATH, e.g. an npx install), quoted for the target shell.
import { realpathSync } from 'node:fs';
import { LOCAL_MANIFEST_NAME, MANIFEST_NAMES } from '../../resolve/find.js';

/** The files a workspace's environment is computed from that a user edits by hand: the hook re-checks after an edit. */
export const EDITED_FILES: readonly string[] = [...MANIFEST_NAMES, LOCAL_MANIFEST_NAME];

/** In .weft/env: the workspace's other manifest files (included, imported), one per line, which the hook watches too. */
export const HOOK_INPUTS_FILE = 'inputs';

export interface HookContext {
  /** argv that starts weft: node, then the entry script. */
  weftArgv: string[];
}

export function hookContext(argv: string[] = process.argv, execPath: string = process.execPath): HookContext {
  const script = argv[1];
  let entry = script ?? '';
  try {
    entry = realpathSync(entry);
  } catch {
    // keep the given path; the hook reports the failure when it runs
  }
  return { weftArgv: [execPath, entry] };
}
