// Whether a checkout is of the repository the manifest names, by the very comparisons `weft up`
// refuses it with (WEFT_E_GIT_OTHER_REPO, WEFT_E_SVN_TARGET, WEFT_E_HG_TARGET): after the
// manifest's URL changed, `weft up` leaves the old checkout alone, and status must say so.
import { dirname } from 'node:path';
import type { Source } from '../../types.js';
import { gitDirOf, readOriginUrl } from '../git/refs-fs.js';
import { normaliseUrl } from '../git/url.js';
import { redact } from '../../redact.js';
import { hgDefaultPath, hgLocation, sameHgLocation } from '../vcs-hg.js';
import { sameSvnUrl } from '../vcs-svn.js';

const problem = (origin: string | undefined, url: string): string =>
  `checkout of another repository: origin is ${origin ? redact(origin) : 'not set'}, the manifest names ${redact(url)}`;

/** The problem line when `dir` is a checkout of another repository than `source` names. */
export async function otherRepository(source: Source, dir: string, svnUrl?: string): Promise<string | undefined> {
  switch (source.type) {
    case 'git': {
      const gitDir = gitDirOf(dir);
      if (gitDir === undefined) return undefined;
      const origin = readOriginUrl(gitDir);
      return !origin || normaliseUrl(origin) !== normaliseUrl(source.url) ? problem(origin, source.url) : undefined;
    }
    case 'svn':
      return svnUrl !== undefined && !sameSvnUrl(svnUrl, source.url) ? problem(svnUrl, source.url) : undefined;
    case 'hg': {
      const origin = await hgDefaultPath(dir);
      return origin === undefined || !sameHgLocation(origin, hgLocation(source.url, dirname(source.loc.file))) ? problem(origin, source.url) : undefined;
    }
    default:
      return undefined;
  }
}
