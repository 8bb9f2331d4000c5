// The fetch layer's public entry: everything other layers may use.
export { cacheDirFrom } from '../cache-problem.js';
export { up, type UpOptions } from './up.js';
export { readCheckouts } from './read.js';
export { activeSource } from './switch/active-source.js';
export { pickFetcher } from './pick.js';
export { fingerprint } from './fingerprint.js';
export { readState, updateState, statePath, type SourceState, type WorkspaceState, type SetupStamp } from './state.js';
export { writeFileAtomic } from '../atomic.cjs';
export { mirrorPath } from './git/mirror.js';
export { packDamage } from './git/damage.js';
export { gitDirOf } from './git/refs-fs.js';
export { normaliseUrl, mirrorKey } from './git/url.js';
export type { FetchEvent, Fetcher, FetcherContext, PreviousCheckout } from './fetcher.js';
export { currentCheckout, currentRevision, hgUnpushed, inspectCheckout, lockDistance, unpushedCommits, type Inspection, type InspectContext, type LockDistance } from './inspect/index.js';
export { lsRemote, lsRemoteAll, type RefQuery, type RefAnswer } from './git/ls-remote.js';
export type { GitContext } from './git/run.js';
