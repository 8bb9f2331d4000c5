// Offline bundles (`weft bundle`, `weft up --from`): the public entry of this part of the
// fetch layer.
export type { BundleContext } from './context.js';
export { BUNDLE_FORMAT, INDEX_NAME, workspaceEntries, type BundleIndex, type BundledSource } from './format.js';
export { looksLikeBundle } from './outer-tar.js';
export { packBundle, type PackRequest, type PackResult } from './pack.js';
export { closeBundle, entryText, openBundle, publish, receiveSources, type OpenedBundle, type Pins, type Published } from './unpack.js';
