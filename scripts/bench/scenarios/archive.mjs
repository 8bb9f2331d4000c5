// Scenario 6: one large archive source — download, verify, extract — against curl, tar
// and sha256sum on the same loopback server. Two peers: the streaming pipeline (the
// fastest a shell can do), and download-then-verify-then-extract, which is the order
// weft must keep (no archive byte is parsed before its integrity is checked).
import { readdir, readFile, rm, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeArchive, startHttpServer } from '../fixtures.mjs';
import { measured as v, rounds } from '../measure.mjs';
import { describeFailure, run } from '../run.mjs';
import { makeRow } from '../table.mjs';

const STREAM = `set -o pipefail
exec 3> >(sha256sum > "$SUM")
curl -sSf "$URL" | tee /dev/fd/3 | tar xzf - -C "$DEST" --strip-components=1
rc=$?
exec 3>&-
wait $!
exit $rc`;

const SEQUENTIAL = `set -e
curl -sSf -o "$FILE" "$URL"
sha256sum "$FILE" > "$SUM"
tar xzf "$FILE" -C "$DEST" --strip-components=1
rm -f "$FILE"`;

const fresh = async (dir) => {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
};

async function verifyTree(dir, archive) {
  const names = await readdir(join(dir, 'data')).catch(() => []);
  if (names.length !== archive.files - 1) throw new Error(`${dir}: ${names.length} data files, expected ${archive.files - 1}`);
  const readme = await readFile(join(dir, 'README'), 'utf8').catch(() => '');
  if (!readme.includes('weft bench')) throw new Error(`${dir}: README missing`);
}

export async function archiveScenario(ctx) {
  const base = join(ctx.work, 'archive');
  const served = join(base, 'served');
  await mkdir(served, { recursive: true });
  const mb = ctx.config.archiveBytes / 1024 / 1024;
  ctx.log(`  archive: making a ~${mb} MB .tar.gz …`);
  const t0 = Date.now();
  const archive = await makeArchive(served, 'payload-1.0.tar.gz', ctx.config.archiveBytes);
  ctx.log(`    ${(archive.bytes / 1024 / 1024).toFixed(1)} MB, ${archive.files} files, in ${Date.now() - t0} ms; starting http server`);
  const server = await startHttpServer(served, ctx.cleanup);
  try {
    const url = `${server.url}/payload-1.0.tar.gz`;
    const sum = join(base, 'sum');
    const shell = (script, vars) => async () => {
      const r = await run('bash', ['-c', script], { env: { ...ctx.baseEnv, URL: url, SUM: sum, ...vars }, timeoutMs: 20 * 60_000 });
      if (r.code !== 0) throw new Error(describeFailure('bash', ['-c', script.split('\n').slice(1, 3).join('; ')], r));
      return r.ms;
    };
    const checkSum = async () => {
      const got = (await readFile(sum, 'utf8')).split(/\s/)[0];
      if (got !== archive.hex) throw new Error(`sha256 ${got} does not match ${archive.hex}`);
    };
    const ws = join(base, 'ws');
    const manifest = [
      'weft: 1',
      'name: bench-archive',
      'sources:',
      '  payload:',
      `    archive: ${url}`,
      `    integrity: ${archive.sri}`,
      '    strip: 1',
      '',
    ].join('\n');
    const res = await rounds(ctx.config.runs, [
      {
        name: 'weft up (archive)',
        prepare: async () => {
          await rm(join(base, 'cache'), { recursive: true, force: true });
          await fresh(ws);
          await writeFile(join(ws, 'weft.yaml'), manifest);
        },
        run: async () => (await ctx.weftOk(['-C', ws, 'up'], { cacheDir: join(base, 'cache') })).ms,
        verify: () => verifyTree(join(ws, 'payload'), archive),
      },
      {
        name: 'curl | tee >(sha256sum) | tar xz',
        prepare: async () => {
          await rm(sum, { force: true });
          await fresh(join(base, 'stream'));
        },
        run: shell(STREAM, { DEST: join(base, 'stream') }),
        verify: async () => {
          await checkSum();
          await verifyTree(join(base, 'stream'), archive);
        },
      },
      {
        name: 'curl -o; sha256sum; tar xzf',
        prepare: async () => {
          await rm(sum, { force: true });
          await fresh(join(base, 'seq'));
        },
        run: shell(SEQUENTIAL, { DEST: join(base, 'seq'), FILE: join(base, 'download.tar.gz') }),
        verify: async () => {
          await checkSum();
          await verifyTree(join(base, 'seq'), archive);
        },
      },
    ], ctx.log, { warmup: ctx.config.warmup });
    const size = `${Math.round(archive.bytes / 1024 / 1024)} MB archive`;
    return {
      rows: [
        makeRow({ scenario: size, weft: v(res['weft up (archive)']), peer: { name: 'curl | tee >(sha256sum) | tar xz', ...v(res['curl | tee >(sha256sum) | tar xz']) }, target: { kind: 'ratio', max: 1.2 } }),
        makeRow({ scenario: `${size} (extra)`, weft: v(res['weft up (archive)']), peer: { name: 'curl -o; sha256sum; tar xzf', ...v(res['curl -o; sha256sum; tar xzf']) }, target: { kind: 'ratio', max: 1.2 } }),
      ],
      details: { archiveBytes: archive.bytes, files: archive.files, ms: res },
    };
  } finally {
    await server.stop();
  }
}
