// The fetch layer's light entry: `up` alone, for `weft up`, which must not load the
// inspectors, ls-remote and the rest of index.ts when every source is already in place.
// index.ts re-exports all of it.
export { up, type UpOptions } from './up.js';
export type { FetchEvent } from './fetcher.js';
