// A main checkout the user replaced with a clone of another repository (or a repository
// with no origin) is one `weft up` refuses (WEFT_E_GIT_OTHER_REPO). weft switch and
// weft merge work from the main checkout, so they refuse it too: a worktree of that other
// repository, or a merge of its branch, would otherwise become the source's active code.
import { WeftError } from '../../errors.js';
import type { Source } from '../../types.js';
import { otherRepository } from '../inspect/origin.js';

export async function refuseOtherRepository(s: Source, doing: string): Promise<void> {
  const other = await otherRepository(s, s.dir);
  if (other === undefined) return;
  throw new WeftError('WEFT_E_SWITCH_OTHER_REPO', `${doing}: ${s.name}: ${s.dir} is a ${other}`, {
    hint: `nothing was changed; move it away and run "weft up ${s.name}", or fix the source's URL`,
  });
}
