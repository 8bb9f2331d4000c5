// The bench's loopback file server: `node http-server.mjs DIR PORT`. GET/HEAD of a file
// under DIR with Content-Length; nothing else. Runs as a child so its I/O does not share
// an event loop with the bench's timers.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join, normalize } from 'node:path';

const [dir, port] = process.argv.slice(2);
const server = createServer(async (req, res) => {
  const rel = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
  const file = join(dir, rel);
  try {
    const st = await stat(file);
    if (!st.isFile()) throw new Error('not a file');
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': st.size });
    if (req.method === 'HEAD') return void res.end();
    createReadStream(file, { highWaterMark: 1 << 20 }).pipe(res);
  } catch {
    res.writeHead(404).end();
  }
});
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
