// A loopback git smart-HTTP server behind HTTP basic auth: node's http server in front of
// the real `git http-backend` (CGI), serving every repository under `root`.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface GitHttpServer {
  /** e.g. http://127.0.0.1:PORT — append `/<repo dir name>`. */
  url: string;
  /** Every Authorization header received (to check what git sent), in order. */
  authHeaders: string[];
  /** Requests answered 401. */
  refused(): number;
  close(): Promise<void>;
}

export async function serveGitWithAuth(root: string, user: string, password: string): Promise<GitHttpServer> {
  const expected = 'Basic ' + Buffer.from(`${user}:${password}`).toString('base64');
  const authHeaders: string[] = [];
  let refused = 0;
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    const auth = req.headers.authorization;
    if (auth) authHeaders.push(auth);
    if (auth !== expected) {
      refused++;
      res.writeHead(401, { 'www-authenticate': 'Basic realm="weft-test"', 'content-type': 'text/plain' });
      res.end('authentication required\n');
      return;
    }
    cgi(root, user, req, res);
  });
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authHeaders,
    refused: () => refused,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function cgi(root: string, user: string, req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    GIT_PROJECT_ROOT: root,
    GIT_HTTP_EXPORT_ALL: '1',
    GIT_CONFIG_NOSYSTEM: '1',
    HOME: root,
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.slice(1),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_USER: user,
    REMOTE_ADDR: '127.0.0.1',
    // git sends large requests gzipped; http-backend inflates them when told.
    HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
    GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
  };
  if (req.headers['content-length']) env['CONTENT_LENGTH'] = req.headers['content-length'];
  const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'ignore'] });
  req.pipe(child.stdin!);
  child.stdin!.on('error', () => {});
  let head = Buffer.alloc(0);
  let headersDone = false;
  child.stdout!.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    headersDone = true;
    let status = 200;
    const headers: Record<string, string> = {};
    for (const line of head.subarray(0, end).toString('latin1').split('\r\n')) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number(value.split(' ')[0]);
      else headers[name] = value;
    }
    res.writeHead(status, headers);
    res.write(head.subarray(end + 4));
  });
  child.on('close', () => {
    if (!headersDone) res.writeHead(502);
    res.end();
  });
}
