// Running `tool --version` (or `tool -V`; the tool as exec.ts's whichTool finds it), for
// requires.ts. Results are cached in the weft cache keyed by the program's path, size and
// mtime, so a no-op `weft up` does not start every tool again.
import { execFile } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../atomic.cjs';
import { whichTool } from '../exec.js';
import type { RequiresDeps, ToolProbe } from './requires.js';

const VERSION_TIMEOUT_MS = 10_000;

function runVersion(file: string, env: NodeJS.ProcessEnv, flag: string): Promise<string | undefined> {
  return new Promise((done) => {
    const child = execFile(file, [flag], { env, timeout: VERSION_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 1 << 20, windowsHide: true }, (err, stdout, stderr) => {
      // Some tools (python2, java) print their version on stderr; some exit non-zero.
      const text = `${stdout}\n${stderr}`;
      done(err && !/\d+\.\d+/.test(text) ? undefined : text);
    });
    // A tool that reads its input on an option it does not know must not wait for the timeout.
    child.stdin?.end();
  });
}

/** `--version`, else `-V` for the tools that know only that (ssh, tmux). */
async function readVersion(file: string, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const long = await runVersion(file, env, '--version');
  if (long !== undefined && /\d+\.\d+/.test(long)) return long;
  return (await runVersion(file, env, '-V')) ?? long;
}

type Cache = Record<string, { key: string; output: string }>;

/** Probes tools on `env.PATH`; `cacheFile` (optional) remembers outputs per program file. */
export function probeTools(env: NodeJS.ProcessEnv, cacheFile?: string): RequiresDeps & { save(): void } {
  let cache: Cache = {};
  let dirty = false;
  if (cacheFile) {
    try {
      cache = JSON.parse(readFileSync(cacheFile, 'utf8')) as Cache;
    } catch {
      cache = {};
    }
  }
  return {
    async probe(tool: string): Promise<ToolProbe> {
      const path = whichTool(tool, env);
      if (!path) return {};
      let key: string;
      try {
        const st = statSync(path);
        key = `${st.ino}:${st.size}:${st.mtimeMs}`;
      } catch {
        return { path };
      }
      const hit = cache[path];
      if (hit && hit.key === key) return { path, output: hit.output };
      const output = await readVersion(path, env);
      // Scripts are often version-manager shims (pyenv, nvm, asdf) whose answer depends on
      // the directory and environment: only real binaries are remembered.
      if (output !== undefined && !isScript(path)) {
        cache[path] = { key, output: output.slice(0, 2000) };
        dirty = true;
      }
      return { path, output };
    },
    save(): void {
      if (!cacheFile || !dirty) return;
      try {
        mkdirSync(dirname(cacheFile), { recursive: true });
        writeFileAtomic(cacheFile, JSON.stringify(cache));
      } catch {
        /* a cache that cannot be written only costs the next run a few spawns */
      }
    },
  };
}

function isScript(file: string): boolean {
  try {
    const fd = openSync(file, 'r');
    try {
      const b = Buffer.alloc(2);
      readSync(fd, b, 0, 2, 0);
      return b.toString('latin1') === '#!';
    } finally {
      closeSync(fd);
    }
  } catch {
    return true;
  }
}
