// The peers the bench compares against, installed from Debian packages when missing,
// and a description of the machine for the report.
import { availableParallelism, cpus, release, totalmem } from 'node:os';
import { run } from './run.mjs';

const PEERS = [
  { cmd: 'git', pkg: 'git', version: ['--version'] },
  { cmd: 'direnv', pkg: 'direnv', version: ['version'] },
  { cmd: 'vcs', pkg: 'vcstool', version: ['--version'] },
  { cmd: 'curl', pkg: 'curl', version: ['--version'] },
  { cmd: 'tar', pkg: 'tar', version: ['--version'] },
  { cmd: 'sha256sum', pkg: 'coreutils', version: ['--version'] },
  { cmd: '/usr/bin/time', pkg: 'time', version: ['--version'] },
];

async function have(cmd) {
  const r = await run('bash', ['-c', 'command -v "$1"', 'bash', cmd]).catch(() => ({ code: 1 }));
  return r.code === 0;
}

async function aptInstall(pkg, log) {
  if (process.getuid?.() !== 0) return false;
  log(`  installing ${pkg} (apt-get install -y ${pkg}) …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  let r = await run('apt-get', ['install', '-y', '-q', pkg], { env, timeoutMs: 10 * 60_000 }).catch(() => ({ code: 1 }));
  if (r.code !== 0) {
    await run('apt-get', ['update', '-q'], { env, timeoutMs: 10 * 60_000 }).catch(() => {});
    r = await run('apt-get', ['install', '-y', '-q', pkg], { env, timeoutMs: 10 * 60_000 }).catch(() => ({ code: 1 }));
  }
  return r.code === 0;
}

/** Makes sure each peer is installed; returns {cmd: versionLine | null}. */
export async function ensurePeers(log) {
  const versions = {};
  for (const p of PEERS) {
    if (!(await have(p.cmd)) && !(await aptInstall(p.pkg, log))) {
      log(`  ${p.cmd}: missing and could not be installed (Debian package ${p.pkg}); its rows will fail`);
      versions[p.cmd] = null;
      continue;
    }
    const r = await run(p.cmd, p.version).catch(() => ({ stdout: '', stderr: '' }));
    const line = (r.stdout || r.stderr).split('\n')[0].trim();
    versions[p.cmd] = (/\d+(\.\d+)+/.exec(line) ?? [line || 'unknown'])[0];
  }
  return versions;
}

export async function machine(repoRoot) {
  const bash = await run('bash', ['--version']).catch(() => ({ stdout: '' }));
  const head = await run('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot }).catch(() => ({ stdout: '' }));
  return {
    nproc: availableParallelism(),
    cpu: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 1024 ** 3),
    kernel: release(),
    node: process.version,
    bash: bash.stdout.split('\n')[0].replace(/^GNU bash, version /, ''),
    weftCommit: head.stdout.trim(),
  };
}
