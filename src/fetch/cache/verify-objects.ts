// Whether a mirror's object files still hold what git wrote. `git fsck --connectivity-only`
// (verify.ts) proves every ref reaches complete history but reads no blob, so a flipped
// bit in a pack or a loose object passes it. Here:
//  - every pack goes through `git verify-pack`, which indexes it again (every object
//    inflated, deltas resolved, each hashed) and compares with its .idx and trailer;
//  - every loose object is inflated and hashed against its own name.
// A full `git fsck` would do both, but it also judges the format of every commit and
// tree and fails mirrors of old, legitimate histories (a date without its space, a
// zero-padded file mode) that git clones and checks out without a word.
import { createReadStream, existsSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createInflate } from 'node:zlib';
import { stderrDetail } from '../git/failure.js';
import type { Git } from '../git/run.js';

const MAX_PROBLEMS = 5;

/** What is wrong with `mirror`'s object files, at most a few lines; empty when every object reads back as written. */
export async function objectProblems(git: Git, mirror: string, timeoutMs: number): Promise<string[]> {
  const problems: string[] = [];
  const objects = join(mirror, 'objects');
  const packDir = join(objects, 'pack');
  const names = existsSync(packDir) ? readdirSync(packDir) : [];
  // An index whose pack is gone is garbage git ignores (it reads a pack only with both).
  const packs = names.filter((n) => n.endsWith('.idx') && !n.startsWith('tmp_') && names.includes(`${n.slice(0, -4)}.pack`));
  for (const idx of packs) {
    const res = await git(['verify-pack', '--', join(packDir, idx)], { cwd: mirror, timeoutMs });
    if (res.code !== 0) problems.push(`pack ${idx.slice(0, -4)}: ${(stderrDetail(res) || `git verify-pack exited with ${res.code}`).split('\n')[0]}`);
    if (problems.length >= MAX_PROBLEMS) return problems;
  }
  for (const dir of readdirSync(objects).filter((d) => /^[0-9a-f]{2}$/.test(d))) {
    for (const rest of readdirSync(join(objects, dir)).filter((f) => /^[0-9a-f]{38}(?:[0-9a-f]{24})?$/.test(f))) {
      const why = await looseObjectProblem(join(objects, dir, rest), dir + rest);
      if (why) problems.push(`object ${dir}${rest}: ${why}`);
      if (problems.length >= MAX_PROBLEMS) return problems;
    }
  }
  return problems;
}

/** Inflates a loose object and hashes it ("<type> <size>\0<content>"), streaming: blobs can be large. */
async function looseObjectProblem(path: string, name: string): Promise<string | undefined> {
  const hash = createHash(name.length === 40 ? 'sha1' : 'sha256');
  try {
    await pipeline(createReadStream(path), createInflate(), async (inflated: AsyncIterable<Buffer>) => {
      for await (const chunk of inflated) hash.update(chunk);
    });
  } catch (err) {
    return `unreadable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`;
  }
  const actual = hash.digest('hex');
  return actual === name ? undefined : `its content hashes to ${actual}`;
}
