// Loopback HTTP(S) servers and a proxy that misbehave on request: resets, 5xx, stalls,
// redirect chains, lying Content-Length. Every request is counted per path.
import { createServer as createHttp, request as httpRequest, type IncomingMessage, type ServerResponse, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';

export type Behaviour =
  | { body: Buffer; status?: number; headers?: Record<string, string>; omitLength?: boolean }
  | { status: number; location?: string }
  | { reset: true }
  /** Sends headers and `bytes` of the body, then goes silent (connection kept open). */
  | { stallAfter: number; body: Buffer }
  /** Sends headers (the whole body's length) and `cutAfter` bytes of the body, then closes the connection. */
  | { cutAfter: number; body: Buffer };

export interface TestServer {
  url: string;
  /** Requests received, per path. */
  hits: Map<string, number>;
  /** Every request in order, with its headers and when it arrived (Date.now()). */
  requests: Array<{ path: string; headers: IncomingMessage['headers']; at: number }>;
  count(path: string): number;
  close(): Promise<void>;
}

export interface ServeOptions {
  tls?: { key: string; cert: string };
}

/** Serves `routes[path]`; a list answers request i with item i (the last one repeats). */
export async function serve(routes: Record<string, Behaviour | Behaviour[]>, opts: ServeOptions = {}): Promise<TestServer> {
  const hits = new Map<string, number>();
  const requests: TestServer['requests'] = [];
  const sockets = new Set<Socket>();
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const n = hits.get(path) ?? 0;
    hits.set(path, n + 1);
    requests.push({ path, headers: req.headers, at: Date.now() });
    const route = routes[path];
    const list = route === undefined ? [{ status: 404 }] : Array.isArray(route) ? route : [route];
    answer(list[Math.min(n, list.length - 1)]!, req, res);
  };
  const server: Server = opts.tls ? createHttps(opts.tls, handler) : createHttp(handler);
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    hits,
    requests,
    count: (path) => hits.get(path) ?? 0,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function answer(b: Behaviour, req: IncomingMessage, res: ServerResponse): void {
  if ('reset' in b) {
    req.socket.resetAndDestroy();
    return;
  }
  if ('cutAfter' in b) {
    res.writeHead(200, { 'content-length': String(b.body.length) });
    res.write(b.body.subarray(0, b.cutAfter), () => res.socket?.destroy());
    return;
  }
  if ('stallAfter' in b) {
    res.writeHead(200, { 'content-length': String(b.body.length) });
    res.write(b.body.subarray(0, b.stallAfter));
    return;
  }
  if ('body' in b) {
    const headers: Record<string, string> = { ...(b.omitLength ? {} : { 'content-length': String(b.body.length) }), ...b.headers };
    res.writeHead(b.status ?? 200, headers);
    res.end(b.body);
    return;
  }
  res.writeHead(b.status, b.location ? { location: b.location } : {});
  res.end();
}

export interface TestProxy {
  url: string;
  /** Request targets the proxy forwarded: absolute URLs, or `CONNECT host:port`. */
  seen: string[];
  close(): Promise<void>;
}

/** A forwarding proxy: absolute-form GETs for http targets, CONNECT tunnels for https. */
export async function startProxy(): Promise<TestProxy> {
  const seen: string[] = [];
  const sockets = new Set<Socket>();
  const server = createHttp((req, res) => {
    seen.push(req.url ?? '');
    const target = new URL(req.url ?? '');
    const up = httpRequest(target, { method: req.method, headers: { ...req.headers, host: target.host } }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      upRes.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push(`CONNECT ${req.url}`);
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    sockets.add(client);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (s: Socket) => sockets.add(s));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
