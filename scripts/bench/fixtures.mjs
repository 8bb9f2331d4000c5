// What the bench measures against: git repositories with real history served by
// `git daemon`, a large tar.gz served by a node:http child, manifests and .repos files.
// Every server is registered with the bench's cleanup so it dies even when a scenario throws.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { killGroup, run, runOk } from './run.mjs';

const COMMITTER = 'weft bench <bench@weft.invalid>';
const EPOCH_S = 1_700_000_000;
const WORDS = 'warp weft loom shuttle heddle reed beam twill satin madder woad weld skein bobbin selvage fell'.split(' ');

/** A small deterministic PRNG: the same fixture every run, so runs compare. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function sourceText(rand, bytes) {
  const lines = [];
  let n = 0;
  while (n < bytes) {
    const w = () => WORDS[Math.floor(rand() * WORDS.length)];
    const line = `def ${w()}_${Math.floor(rand() * 1e4)}(${w()}, ${w()}):\n    return ${w()} + ${Math.floor(rand() * 1e6)}  # ${w()} ${w()}\n`;
    lines.push(line);
    n += line.length;
  }
  return lines.join('');
}

/** One git fast-import stream: `commits` commits of a few small text files, optional big blobs. */
function importStream(index, { commits, files, fileBytes, blobs, blobBytes }) {
  const rand = prng(1000 + index);
  const parts = [];
  const data = (buf) => parts.push(Buffer.from(`data ${buf.length}\n`), buf, Buffer.from('\n'));
  for (let c = 0; c < commits; c++) {
    const when = EPOCH_S + index * 86_400 + c * 600;
    parts.push(Buffer.from(`commit refs/heads/main\nmark :${c + 1}\ncommitter ${COMMITTER} ${when} +0000\n`));
    data(Buffer.from(`r${index}: change ${c}\n`));
    if (c > 0) parts.push(Buffer.from(`from :${c}\n`));
    const touched = c === 0 ? [...Array(files).keys()] : [Math.floor(rand() * files), Math.floor(rand() * files)];
    if (c === 0) {
      parts.push(Buffer.from('M 100644 inline README\n'));
      data(Buffer.from(`repository r${index}, made by weft's bench\n`));
    }
    for (const f of new Set(touched)) {
      parts.push(Buffer.from(`M 100644 inline src/mod${f}.py\n`));
      data(Buffer.from(sourceText(rand, fileBytes * (0.5 + rand()))));
    }
    if (blobs > 0 && c % Math.max(1, Math.floor(commits / blobs)) === 0 && c / Math.max(1, Math.floor(commits / blobs)) < blobs) {
      parts.push(Buffer.from(`M 100644 inline assets/blob${c}.bin\n`));
      data(randomBytes(blobBytes));
    }
  }
  parts.push(Buffer.from(`reset refs/tags/v1.0\nfrom :${commits}\n\n`));
  return Buffer.concat(parts);
}

/**
 * Makes `count` bare repositories r00…rNN under dir (branch main, tag v1.0). Every tenth
 * carries `blobs` binary blobs of blobBytes. Returns [{name, path, head}].
 */
export async function makeRepos(dir, { count, commits, files = 6, fileBytes = 3000, blobs = 3, blobBytes = 200 * 1024, parallel = 8 }) {
  await mkdir(dir, { recursive: true });
  const width = String(count - 1).length < 2 ? 2 : String(count - 1).length;
  const names = [...Array(count).keys()].map((i) => `r${String(i).padStart(width, '0')}`);
  const out = [];
  await pool(names.map((name, i) => async () => {
    const path = join(dir, `${name}.git`);
    await runOk('git', ['init', '-q', '--bare', '--initial-branch=main', path]);
    const stream = importStream(i, { commits, files, fileBytes, blobs: i % 10 === 0 ? blobs : 0, blobBytes });
    await runOk('git', ['fast-import', '--quiet'], { cwd: path, input: stream });
    const head = (await runOk('git', ['rev-parse', 'refs/heads/main'], { cwd: path })).stdout.trim();
    out[i] = { name, path, head };
  }), parallel);
  return out;
}

export async function pool(tasks, limit) {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const t = tasks[next++];
      await t();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitForPort(port, timeoutMs, isDead) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (isDead()) throw new Error(`server on port ${port} exited before it listened`);
    const ok = await new Promise((resolve) => {
      const c = createConnection({ host: '127.0.0.1', port }, () => {
        c.destroy();
        resolve(true);
      });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
}

/** A long-running child in its own process group; stop() kills the group and waits. */
function spawnServer(cmd, args, opts, cleanup) {
  const child = spawn(cmd, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let exited = false;
  let stderr = '';
  child.stderr.on('data', (b) => (stderr = (stderr + b).slice(-4000)));
  child.stdout.resume();
  const gone = new Promise((resolve) => child.on('exit', () => ((exited = true), resolve())));
  child.on('error', (err) => ((exited = true), (stderr += String(err))));
  const stop = async () => {
    if (exited) return;
    killGroup(child.pid, 'SIGTERM');
    const t = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 2000);
    await gone;
    clearTimeout(t);
  };
  cleanup.add(stop);
  return { child, stop, isDead: () => exited, stderr: () => stderr };
}

/** `git daemon` exporting every repository under base on 127.0.0.1. */
export async function startGitDaemon(base, cleanup) {
  const port = await freePort();
  const srv = spawnServer('git', [
    'daemon', '--reuseaddr', '--export-all', `--base-path=${base}`, '--listen=127.0.0.1', `--port=${port}`,
    '--max-connections=128', '--informative-errors', base,
  ], {}, cleanup);
  try {
    await waitForPort(port, 5000, srv.isDead);
  } catch (err) {
    await srv.stop();
    throw new Error(`git daemon did not start: ${err.message}\n${srv.stderr()}`);
  }
  return { url: `git://127.0.0.1:${port}`, port, pid: srv.child.pid, stop: srv.stop };
}

/** node:http serving files from dir, in a child so the bench's own event loop stays out of it. */
export async function startHttpServer(dir, cleanup) {
  const port = await freePort();
  const script = new URL('./http-server.mjs', import.meta.url).pathname;
  const srv = spawnServer(process.execPath, [script, dir, String(port)], {}, cleanup);
  try {
    await waitForPort(port, 5000, srv.isDead);
  } catch (err) {
    await srv.stop();
    throw new Error(`http server did not start: ${err.message}\n${srv.stderr()}`);
  }
  return { url: `http://127.0.0.1:${port}`, port, pid: srv.child.pid, stop: srv.stop };
}

/**
 * A .tar.gz of about `bytes` bytes under dir, one top directory (strip 1): random blocks
 * mixed with text, so gzip has real work and the result does not shrink much.
 * Returns {path, bytes, files, sri, hex, top}.
 */
export async function makeArchive(dir, name, bytes) {
  const top = 'payload-1.0';
  const staging = join(dir, 'staging');
  await rm(staging, { recursive: true, force: true });
  await mkdir(join(staging, top, 'data'), { recursive: true });
  const rand = prng(42);
  const textPool = Buffer.from(sourceText(rand, 1 << 20));
  // about 80 % of the bytes survive gzip (random blocks don't, text shrinks ~4×)
  const rawTotal = Math.round(bytes * 1.2);
  const fileBytes = 4 << 20;
  const count = Math.max(1, Math.ceil(rawTotal / fileBytes));
  for (let i = 0; i < count; i++) {
    const chunks = [];
    for (let n = 0; n < fileBytes; ) {
      const rnd = randomBytes(48 * 1024);
      const off = Math.floor(rand() * (textPool.length - 16 * 1024));
      chunks.push(rnd, textPool.subarray(off, off + 16 * 1024));
      n += 64 * 1024;
    }
    await writeFile(join(staging, top, 'data', `part${String(i).padStart(4, '0')}.bin`), Buffer.concat(chunks));
  }
  await writeFile(join(staging, top, 'README'), 'payload for the weft bench\n');
  const path = join(dir, name);
  await runOk('bash', ['-c', 'set -o pipefail; tar -C "$1" -cf - "$2" | gzip -6 > "$3"', 'bash', staging, top, path]);
  await rm(staging, { recursive: true, force: true });
  const { sri, hex } = await sha256(path);
  return { path, bytes: (await stat(path)).size, files: count + 1, sri, hex, top };
}

export function sha256(path) {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(path)
      .on('error', reject)
      .on('data', (b) => h.update(b))
      .on('end', () => {
        const d = h.digest();
        resolve({ sri: `sha256-${d.toString('base64')}`, hex: d.toString('hex') });
      });
  });
}

/** weft.yaml text for git sources; ref per repo chosen by refOf(repo). */
export function gitManifest(name, repos, baseUrl, refOf) {
  const lines = ['weft: 1', `name: ${name}`, 'sources:'];
  for (const r of repos) {
    lines.push(`  ${r.name}:`, `    git: ${baseUrl}/${r.name}.git`, `    ref: "${refOf(r)}"`);
  }
  return lines.join('\n') + '\n';
}

/** vcstool .repos text for the same set. */
export function reposFile(repos, baseUrl, versionOf) {
  const lines = ['repositories:'];
  for (const r of repos) {
    lines.push(`  ${r.name}:`, '    type: git', `    url: ${baseUrl}/${r.name}.git`, `    version: "${versionOf(r)}"`);
  }
  return lines.join('\n') + '\n';
}

/** Checks that every repo is checked out under root at its expected commit. */
export async function verifyCheckouts(root, repos, expectedOf) {
  const bad = [];
  await pool(repos.map((r) => async () => {
    const dir = join(root, r.name);
    const res = await run('git', ['rev-parse', 'HEAD'], { cwd: dir }).catch((e) => ({ code: -1, stdout: '', stderr: String(e) }));
    const got = res.stdout.trim();
    if (res.code !== 0) bad.push(`${r.name}: no checkout (${res.stderr.trim().split('\n')[0] || `exit ${res.code}`})`);
    else if (got !== expectedOf(r)) bad.push(`${r.name}: HEAD ${got.slice(0, 12)}, expected ${expectedOf(r).slice(0, 12)}`);
    else {
      try {
        await stat(join(dir, 'README'));
      } catch {
        bad.push(`${r.name}: README missing from the working tree`);
      }
    }
  }), 16);
  if (bad.length) throw new Error(`${bad.length} of ${repos.length} checkouts wrong under ${root}:\n${bad.slice(0, 5).join('\n')}`);
}
