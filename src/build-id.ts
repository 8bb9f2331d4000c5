// Which build of weft made a cached result: the package version and the identity of some of
// its own files. A rebuild rewrites them (new mtime and ctime); a reinstall creates them
// anew (new ctime, even where the package manager pins mtimes). Caches keyed by it are
// never used by another weft.
import { readFileSync, statSync } from 'node:fs';

// Read once per process: a no-op `weft up` asks for several build ids (plan cache, renderers, stamp).
let packageVersion: string | undefined;

function version(): string {
  if (packageVersion === undefined) {
    try {
      packageVersion = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string }).version ?? '?';
    } catch {
      packageVersion = '?'; // a layout without package.json: the file identities still tell builds apart
    }
  }
  return packageVersion;
}

export function buildId(files: readonly URL[]): string {
  const ids = files.map((url) => {
    try {
      const st = statSync(url);
      return `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}`;
    } catch {
      return '-';
    }
  });
  return [version(), ...ids].join(' ');
}
