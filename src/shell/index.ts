// weft's shell layer: Plan + Checkouts → env model → rendered per shell / applied for run.
export type { EnvModel, VarChange } from './model.js';
export { buildEnvModel } from './model.js';
export type { ShellName, OutputFormat, DataFormat } from './renderers.js';
export { SHELLS, OUTPUT_FORMATS, isShellName, isOutputFormat } from './renderers.js';
export { applyEnv, revertEnv, changedValues } from './apply.js';
export { render, renderUnset } from './render.js';
export { detectShell } from './detect.cjs';
export { writeEnvFiles, ENV_JSON } from './files.js';
export { runCommand, type RunOptions } from './run.js';
export { modelFromRecord, RECORD_VAR, PREV_PREFIX, MARKER_WORKSPACE, MARKER_NAME } from './record.js';
export { writeStamp, freshEnvFile, editedSinceRendered } from './stamp.js';
export { trustFilePath, trustStatus, isTrusted, recordTrust, revokeTrust } from './trust.js';
export { HOOK_SHELLS, hookCode, hookContext, type HookShell } from './hook/index.js';
export { changesProgramStart, startupEntries, refuseUntrustedStartupVars, trustCommand, weftFor } from './startup-vars.js';
