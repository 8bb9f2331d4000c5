// `weft doctor`'s checks of the machine: git and its configuration, the cache, free disk,
// the shell hook. Each returns plain Check records; doctor.ts prints them.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, lstatSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseToolVersion, satisfies, parseRange, whichTool } from '../resolve/index.js';

export type CheckStatus = 'ok' | 'warn' | 'fail';

export interface Check {
  name: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
  /** For a check that is an error weft reports (a manifest problem): its code and position. */
  code?: string;
  file?: string;
  line?: number;
  col?: number;
}

const GIT_RANGE = '>=2.30';

function git(env: NodeJS.ProcessEnv, args: string[]): Promise<string | undefined> {
  return new Promise((done) => {
    execFile('git', args, { env, timeout: 10_000, killSignal: 'SIGKILL' }, (err, stdout) => done(err ? undefined : stdout.trim()));
  });
}

export async function gitChecks(env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): Promise<Check[]> {
  const path = whichTool('git', env);
  if (!path) return [{ name: 'git', status: 'fail', detail: 'git is not on PATH', fix: 'install git (e.g. `apt install git`, `brew install git`)' }];
  const out = await git(env, ['--version']);
  const v = out ? parseToolVersion(out) : undefined;
  const checks: Check[] = [];
  if (!v) checks.push({ name: 'git', status: 'fail', detail: `\`git --version\` did not say a version (${path})`, fix: `check that ${path} works` });
  else if (!satisfies(v, parseRange(GIT_RANGE)!)) {
    checks.push({ name: 'git', status: 'warn', detail: `git ${v.join('.')} is older than weft is tested with (${GIT_RANGE})`, fix: 'upgrade git' });
  } else checks.push({ name: 'git', status: 'ok', detail: `git ${v.join('.')} (${path})` });

  const autocrlf = await git(env, ['config', '--get', 'core.autocrlf']);
  if (platform !== 'win32' && autocrlf === 'true') {
    checks.push({ name: 'git config', status: 'warn', detail: 'core.autocrlf=true: checkouts get CRLF line endings, and scripts with them fail to run', fix: 'git config --global core.autocrlf input' });
  } else {
    checks.push({ name: 'git config', status: 'ok', detail: `core.autocrlf=${autocrlf ?? 'unset'}` });
  }
  const helper = await git(env, ['config', '--get-all', 'credential.helper']);
  if (!helper) {
    checks.push({
      name: 'git credentials',
      status: 'warn',
      detail: 'no credential.helper: private https sources can only ask on a terminal, one at a time',
      fix: platform === 'darwin' ? 'git config --global credential.helper osxkeychain' : 'git config --global credential.helper cache   (or store, libsecret, manager)',
    });
  } else {
    checks.push({ name: 'git credentials', status: 'ok', detail: `credential.helper=${helper.split('\n').join(', ')}` });
  }
  return checks;
}

/** Whether the cache can be written, and how big it is (walked up to a limit of entries). */
export function cacheChecks(cacheDir: string): Check[] {
  const probe = join(cacheDir, 'tmp', `.doctor-${process.pid}`);
  try {
    mkdirSync(join(cacheDir, 'tmp'), { recursive: true });
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (err) {
    return [{ name: 'cache', status: 'fail', detail: `cannot write in ${cacheDir}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, fix: `fix the permissions of ${cacheDir}, or point WEFT_CACHE_DIR elsewhere` }];
  }
  const { bytes, complete } = sizeOf(cacheDir, 200_000);
  return [{ name: 'cache', status: 'ok', detail: `${cacheDir} is writable, ${complete ? '' : 'at least '}${human(bytes)}`, fix: undefined }];
}

function sizeOf(root: string, maxEntries: number): { bytes: number; complete: boolean } {
  let bytes = 0;
  let left = maxEntries;
  const stack = [root];
  while (stack.length) {
    const dir = stack.pop()!;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      if (--left < 0) return { bytes, complete: false };
      try {
        const st = lstatSync(join(dir, n));
        if (st.isDirectory()) stack.push(join(dir, n));
        else bytes += st.size;
      } catch {
        /* removed while we looked */
      }
    }
  }
  return { bytes, complete: true };
}

export function human(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

const LOW_DISK_BYTES = 1024 ** 3;
const CRITICAL_DISK_BYTES = 100 * 1024 ** 2;

export function diskCheck(dir: string, label: string): Check {
  try {
    const st = statfsSync(dir);
    const free = st.bavail * st.bsize;
    const status: CheckStatus = free < CRITICAL_DISK_BYTES ? 'fail' : free < LOW_DISK_BYTES ? 'warn' : 'ok';
    return { name: 'disk', status, detail: `${human(free)} free for ${label} (${dir})`, ...(status !== 'ok' && { fix: 'free some space, e.g. `weft cache prune` or remove old workspaces' }) };
  } catch (err) {
    return { name: 'disk', status: 'warn', detail: `cannot tell free space of ${dir}: ${(err as Error).message}` };
  }
}

/**
 * The hook is installed when a shell's startup file mentions `weft hook`, or (nushell, whose
 * hook is saved as a file because nu cannot evaluate text at run time) when its autoload
 * directory holds weft's hook. Startup files are where each shell reads them: zsh's under
 * $ZDOTDIR when that is set, and fish's conf.d/ snippets as well as config.fish.
 */
export function hookCheck(env: NodeJS.ProcessEnv): Check {
  const home = env.HOME ?? '';
  const config = env.XDG_CONFIG_HOME || join(home, '.config');
  const mentions = (f: string, text: string): boolean => {
    try {
      return readFileSync(f, 'utf8').includes(text);
    } catch {
      return false;
    }
  };
  const zdotdir = env.ZDOTDIR || home;
  const filesIn = (dir: string, ext: string): string[] => {
    try {
      return readdirSync(dir)
        .filter((n) => n.endsWith(ext))
        .sort()
        .map((n) => join(dir, n));
    } catch {
      return [];
    }
  };
  const rcFiles = [
    join(home, '.bashrc'),
    join(home, '.bash_profile'),
    join(zdotdir, '.zshrc'),
    join(zdotdir, '.zshenv'),
    join(config, 'fish', 'config.fish'),
    ...filesIn(join(config, 'fish', 'conf.d'), '.fish'),
    join(config, 'powershell', 'Microsoft.PowerShell_profile.ps1'),
    join(config, 'nushell', 'config.nu'),
  ];
  const found = rcFiles.filter((f) => mentions(f, 'weft hook'));
  found.push(...filesIn(join(config, 'nushell', 'autoload'), '.nu').filter((f) => mentions(f, '__weft_hook')));
  if (found.length) return { name: 'shell hook', status: 'ok', detail: `installed in ${found.join(', ')}` };
  const shell = basename(env.SHELL ?? 'bash');
  const fix =
    shell === 'fish'
      ? `echo 'weft hook fish | source' >> ${join(config, 'fish', 'config.fish')}`
      : shell === 'nu'
        ? 'in nu: weft hook nu | save -f ($nu.user-autoload-dirs | first | path join weft.nu)'
        : shell === 'pwsh'
          ? "add to $PROFILE: weft hook pwsh | Out-String | Invoke-Expression"
          : shell === 'zsh'
            ? `echo 'eval "$(weft hook zsh)"' >> ${env.ZDOTDIR ? join(env.ZDOTDIR, '.zshrc') : '~/.zshrc'}`
            : `echo 'eval "$(weft hook bash)"' >> ~/.bashrc`;
  return { name: 'shell hook', status: 'warn', detail: 'not installed: workspaces activate only with `eval "$(weft env)"` or `weft run`', fix };
}
