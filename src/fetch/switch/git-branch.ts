// Getting a branch into a git checkout: a local branch, else the remote's (fetched from the
// checkout's origin, the real URL, when the checkout has not seen it), else --create.
import { WeftError } from '../../errors.js';
import { redact } from '../../redact.js';
import { readRef } from '../git/refs-fs.js';
import type { Git, GitCredentials } from '../git/run.js';

export type BranchOrigin = 'local' | 'remote' | 'new';

export interface BranchQuery {
  name: string;
  dir: string;
  gitDir: string;
  branch: string;
  create: boolean;
  creds?: GitCredentials;
}

/** Where BRANCH will come from; fetches origin's branch into refs/remotes/origin/ when needed. */
export async function locateBranch(git: Git, q: BranchQuery): Promise<BranchOrigin> {
  const local = readRef(q.gitDir, `refs/heads/${q.branch}`) ?? (await hasRef(git, q.dir, `refs/heads/${q.branch}`));
  const tracked = () => readRef(q.gitDir, `refs/remotes/origin/${q.branch}`) ?? hasRef(git, q.dir, `refs/remotes/origin/${q.branch}`);
  if (q.create) {
    // Origin may have gained the branch since this checkout last fetched; a failed look
    // (offline, no credentials) leaves the push, if asked for, to tell.
    const remote = async () => {
      const res = await git(['ls-remote', '--heads', 'origin', `refs/heads/${q.branch}`], { cwd: q.dir, network: true, creds: q.creds });
      return res.code === 0 && res.stdout.trim() !== '';
    };
    if (local || (await tracked()) || (await remote())) {
      throw new WeftError('WEFT_E_SWITCH_EXISTS', `${q.name}: branch ${q.branch} already exists${local ? '' : ' on origin'}; --create makes a new one`, {
        hint: `drop --create to switch to it: weft switch ${q.name} ${q.branch}`,
      });
    }
    return 'new';
  }
  if (local) return 'local';
  if (await tracked()) return 'remote';
  const fetched = await git(
    ['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${q.branch}:refs/remotes/origin/${q.branch}`],
    { cwd: q.dir, network: true, creds: q.creds },
  );
  if (fetched.code === 0) return 'remote';
  if (/couldn't find remote ref|no such ref|not our ref/i.test(fetched.stderr)) {
    throw new WeftError('WEFT_E_SWITCH_NO_BRANCH', `${q.name}: origin has no branch ${q.branch}`, {
      hint: `to start it from the current commit: weft switch ${q.name} ${q.branch} --create [--push]`,
    });
  }
  throw new WeftError('WEFT_E_SWITCH_FETCH', `${q.name}: could not fetch branch ${q.branch} from origin: ${redact(fetched.stderr.trim().split('\n').pop() ?? '')}`, {
    hint: 'check the network and your credentials for the source, then run again',
  });
}

async function hasRef(git: Git, dir: string, ref: string): Promise<boolean> {
  return (await git(['rev-parse', '--verify', '--quiet', ref], { cwd: dir })).code === 0;
}

/** `git push -u origin BRANCH` from `dir`: publishes the branch with upstream tracking. */
export async function publishBranch(git: Git, dir: string, name: string, branch: string, creds?: GitCredentials): Promise<void> {
  const res = await git(['push', '--quiet', '-u', 'origin', branch], { cwd: dir, network: true, creds });
  if (res.code !== 0) {
    throw new WeftError('WEFT_E_SWITCH_PUSH', `${name}: switched to ${branch}, but publishing it failed: ${redact(res.stderr.trim().split('\n').slice(-2).join(' '))}`, {
      hint: `the switch stands; publish it yourself: cd ${dir} && git push -u origin ${branch}`,
    });
  }
}
