// Subversion and Mercurial sources in a bundle. svn: an `svn export` of the locked
// revision, as a tar (the receiver gets a plain tree, not a working copy: svn cannot make
// one without its server). hg: an `hg bundle` of everything up to the locked changeset,
// from which the receiver makes a real clone whose default path is the real URL.
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { create } from 'tar';
import { WeftError } from '../../errors.js';
import { redact } from '../../redact.js';
import type { HgSource, SvnSource } from '../../types.js';
import { causeOf } from '../vcs-common.js';
import { hgLocation, hgRunner } from '../vcs-hg.js';
import { svnRunner } from '../vcs-svn.js';
import { fetcherContext, type BundleContext } from './context.js';
import { withoutSecret, type BundledSource } from './format.js';

function failedTo(name: string, what: string, cause: string): WeftError {
  return new WeftError('WEFT_E_BUNDLE_SOURCE', `source ${name}: ${what}`, { hint: cause ? `it said: ${cause.split('\n').slice(-3).join(' | ')}` : 'run "weft up" to see whether the source can be fetched at all' });
}

export async function packSvn(s: SvnSource & { revision: string }, dir: string, ctx: BundleContext, scratch: string, staging: string): Promise<BundledSource> {
  const svn = svnRunner(fetcherContext(ctx, false));
  const tree = join(scratch, `${s.name}.svn-export`);
  ctx.progress('bundling', s.name, `svn export r${s.revision}`);
  const res = await svn.run(['export', '--quiet', '-r', s.revision, '--', `${s.url}@${s.revision}`, tree], true);
  if (res.code !== 0) throw failedTo(s.name, `svn export of ${redact(s.url)} at r${s.revision} failed`, causeOf(res));
  const entry = `svn/${s.name}.tar`;
  const file = join(staging, entry);
  await mkdir(dirname(file), { recursive: true });
  const names = (await readdir(tree)).sort();
  // node-tar will not write an archive of nothing; two zero blocks are the empty tar.
  if (names.length === 0) await writeFile(file, Buffer.alloc(1024));
  else await create({ file, cwd: tree, portable: true, strict: true }, names);
  return { type: 'svn', name: s.name, dir, url: withoutSecret(s.url), entry, revision: s.revision };
}

export async function packHg(s: HgSource & { revision: string }, dir: string, ctx: BundleContext, scratch: string, staging: string): Promise<BundledSource> {
  const hg = hgRunner(fetcherContext(ctx, false));
  const clone = join(scratch, `${s.name}.hg-clone`);
  ctx.progress('fetching', s.name, redact(s.url));
  const cl = await hg.run(['clone', '--noupdate', '-r', s.revision, '--', hgLocation(s.url, dirname(s.loc.file)), clone], 'network');
  if (cl.code !== 0) throw failedTo(s.name, `hg clone of ${redact(s.url)} at ${s.revision.slice(0, 12)} failed`, causeOf(cl));
  ctx.progress('bundling', s.name, `hg ${s.revision.slice(0, 12)}`);
  const entry = `hg/${s.name}.hg`;
  const file = join(staging, entry);
  await mkdir(dirname(file), { recursive: true });
  const b = await hg.run(['bundle', '-R', clone, '--all', '--type', 'v2', '--', file], 'disk');
  if (b.code !== 0) throw failedTo(s.name, 'hg bundle failed', causeOf(b));
  return { type: 'hg', name: s.name, dir, url: withoutSecret(s.url), entry, revision: s.revision };
}
