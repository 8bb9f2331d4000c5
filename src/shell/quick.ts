// The shell layer's light entry: what `weft up` needs after converging — the env model, the
// pre-rendered files (renderers load only when something must be rendered) and the stamp.
// Nothing here loads the hook, trust, setup or the per-shell renderers up front; the full
// entry (index.ts) re-exports all of it.
export type { EnvModel } from './model.js';
export { buildEnvModel } from './model.js';
export { writeEnvFiles, ENV_JSON } from './files.js';
export { writeStamp } from './stamp.js';
export { weftFor } from './startup-vars.js';
