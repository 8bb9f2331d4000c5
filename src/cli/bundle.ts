import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { defaults } from '../defaults.js';
import { WeftError } from '../errors.js';
import { cacheDirFrom } from '../fetch/index.js';
import { packBundle } from '../fetch/bundle/index.js';
import { applyLock, describeProblems, loadPlan, LOCAL_MANIFEST_NAME, lockPath, lockStaleness, readLock } from '../resolve/index.js';
import { bundleProgress } from './bundle-progress.js';
import { stringOpt, wholeNumber, type CommandSpec } from './command.js';
import { version } from './help-text.js';

export const command: CommandSpec = {
  name: 'bundle',
  summary: 'pack every source into one file for setting up with no network (sprints)',
  usage: 'bundle -o FILE [--depth N]',
  description: `
Packs the manifest (and the files it includes), weft.lock, and every source at its locked
revision into FILE, a tar with a checksum index inside:

  git      a git bundle: the locked commit with its history (--depth N: the last N
           commits), the branch at that commit, the tag when the source names one
  archive  the original file, so its integrity still checks
  hg       an hg bundle up to the locked changeset (the receiver gets a real clone)
  svn      an svn export of the locked revision: the receiver gets a plain tree, not a
           working copy — svn cannot make one without the server, so it cannot commit
           from it; move it away and run weft up with network access to get one
  local    not bundled: it is used in place, the receiver needs it at the same path

A manifest a source provides for import: comes with that source's checkout, at the
locked revision, as it does from the network.

The lock must be current ("weft lock --check" clean): a bundle pins everything, so weft
refuses to guess. Hand FILE out and run, with no network:

  weft init --from FILE      # in an empty directory: writes the manifest and lock, then ups
  weft up --from FILE        # in a workspace of the same manifest

The sha256 printed at the end lets receivers check they got the file you made.`,
  options: {
    output: { type: 'string', short: 'o', arg: 'FILE', description: 'where to write the bundle' },
    depth: { type: 'string', arg: 'N', description: 'keep only the last N commits of each git source' },
  },
  positionals: 'none',
  async run(ctx, args) {
    const outText = stringOpt(args, 'output');
    if (!outText) throw new WeftError('WEFT_E_USAGE', 'weft bundle needs -o FILE', { hint: 'e.g. weft bundle -o sprint.weft.tar' });
    const out = resolve(ctx.cwd, outText);
    // Checked before any packing: the bundle is renamed onto `out` only at the very end.
    if (/[/\\]$/.test(outText) || (await stat(out).then((st) => st.isDirectory(), () => false))) {
      throw new WeftError('WEFT_E_USAGE', `-o ${outText} names a directory; weft bundle writes the bundle as one file`, {
        hint: `name the file, e.g. -o ${join(outText, 'sprint.weft')}`,
      });
    }
    const blocking = await fileOnTheWay(dirname(out));
    if (blocking) {
      throw new WeftError('WEFT_E_USAGE', `-o ${outText}: ${blocking} is a file, so the bundle cannot be written under it`, {
        hint: 'name a file in a directory (made if missing), e.g. -o sprint.weft',
      });
    }
    const depthText = stringOpt(args, 'depth');
    const depth = depthText === undefined ? undefined : wholeNumber(depthText);
    if (depthText !== undefined && !depth) {
      throw new WeftError('WEFT_E_USAGE', `--depth needs a positive whole number, got "${depthText}"`, { hint: 'e.g. --depth 50' });
    }
    // The committed manifest, not this user's weft.local.yaml: a bundle is handed to others.
    const plan = await loadPlan({ cwd: ctx.cwd, manifest: ctx.manifest, vars: ctx.vars, env: ctx.env, local: false });
    // The files the bundle packs: writing it over one of them would destroy it (and the workspace).
    const inputs = [...plan.files, lockPath(plan.workspace), join(plan.workspace, LOCAL_MANIFEST_NAME)];
    if (inputs.includes(out)) {
      throw new WeftError('WEFT_E_USAGE', `-o ${outText} is ${out === inputs[0] ? "the workspace's manifest" : 'a file of this workspace'} (${out}); weft bundle would write over it`, {
        hint: 'name a new file for the bundle, e.g. -o sprint.weft',
      });
    }
    const lock = await readLock(plan.workspace);
    const problems = lockStaleness(plan, lock);
    if (!lock || problems.length) {
      throw new WeftError(
        'WEFT_E_BUNDLE_LOCK',
        lock ? `weft.lock does not pin the manifest as it is now:\n${describeProblems(problems).trimEnd()}` : `${lockPath(plan.workspace)} does not exist; a bundle pins every source`,
        { hint: 'run "weft lock" (or "weft up"), check the result, then bundle again' },
      );
    }
    const locked = applyLock(plan, lock).plan;
    const result = await packBundle(
      { plan: locked, lockFile: lockPath(plan.workspace), out, depth, weftVersion: version() },
      { cacheDir: cacheDirFrom(ctx.env), env: ctx.env, defaults, progress: bundleProgress(ctx) },
    );
    if (ctx.json) {
      ctx.stdout.write(JSON.stringify({ file: result.file, size: result.size, sha256: result.sha256, sources: result.sources.map((s) => s.name), notBundled: result.notBundled }, null, 2) + '\n');
      return 0;
    }
    if (!ctx.quiet) {
      for (const n of result.notBundled) ctx.stderr.write(`weft: note: local source ${n} is not bundled; receivers need it at the same path\n`);
      const n = result.sources.length;
      ctx.stdout.write(`wrote ${result.file} (${n} source${n === 1 ? '' : 's'}, ${result.size} bytes)\nsha256 ${result.sha256}\n`);
    }
    return 0;
  },
};

/** The nearest existing ancestor of `dir` (itself included) when it is not a directory. */
async function fileOnTheWay(dir: string): Promise<string | undefined> {
  for (let d = dir; ; d = dirname(d)) {
    const st = await stat(d).catch(() => undefined);
    if (st) return st.isDirectory() ? undefined : d;
    if (dirname(d) === d) return undefined;
  }
}
