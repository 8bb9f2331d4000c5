// The last look before a tree is published: whatever the extractor did, the result must
// hold only directories and single-linked regular files inside the root, with names that
// cannot collide on a case-insensitive or normalising filesystem. Modes are normalised on
// the way, so set-uid, set-gid and sticky bits never survive.
import { chmod, lstat, readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { WeftError } from '../../errors.js';

export async function auditTree(root: string, url: string): Promise<void> {
  const rootReal = await realpath(root);
  const problems: string[] = [];
  const stack: string[] = [''];
  await chmod(root, 0o755);
  while (stack.length > 0) {
    const rel = stack.pop()!;
    const abs = rel ? join(root, rel) : root;
    const real = await realpath(abs);
    if (real !== rootReal && !real.startsWith(rootReal + sep)) {
      problems.push(`${JSON.stringify(rel)} (resolves outside the archive)`);
      continue;
    }
    const folded = new Map<string, string>();
    for (const name of await readdir(abs)) {
      const childRel = rel ? `${rel}/${name}` : name;
      const key = name.normalize('NFC').toLowerCase();
      const other = folded.get(key);
      if (other !== undefined) problems.push(`${JSON.stringify(childRel)} (collides with ${JSON.stringify(other)} after case/Unicode folding)`);
      else folded.set(key, name);
      const child = join(abs, name);
      const st = await lstat(child);
      if (st.isDirectory()) {
        if ((st.mode & 0o7777) !== 0o755) await chmod(child, 0o755);
        stack.push(childRel);
      } else if (st.isFile()) {
        if (st.nlink > 1) problems.push(`${JSON.stringify(childRel)} (hard link)`);
        const want = st.mode & 0o111 ? 0o755 : 0o644;
        if ((st.mode & 0o7777) !== want) await chmod(child, want);
      } else {
        problems.push(`${JSON.stringify(childRel)} (${st.isSymbolicLink() ? 'symlink' : 'special file'})`);
      }
    }
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 20).join('\n  ');
    throw new WeftError('WEFT_E_ARCHIVE_UNSAFE', `${url}: extracted tree failed the audit:\n  ${shown}`, {
      hint: 'the archive holds names or links weft will not publish; it must be rebuilt without them',
    });
  }
}
