// One undici dispatcher per fetch run, configured from the run's environment rather than
// process.env, so a caller (or a test) decides which proxy applies.
import { EnvHttpProxyAgent, type Dispatcher } from 'undici';

export interface DispatcherOptions {
  /** Extra CA certificates to trust (PEM), for private mirrors and loopback tests. */
  ca?: string | string[];
}

function pick(env: NodeJS.ProcessEnv, name: string): string {
  // An empty string (not undefined) stops undici from falling back to process.env.
  return env[name.toLowerCase()] ?? env[name] ?? '';
}

export function createDispatcher(env: NodeJS.ProcessEnv, opts: DispatcherOptions = {}): Dispatcher {
  const tls = opts.ca === undefined ? undefined : { ca: opts.ca };
  return new EnvHttpProxyAgent({
    httpProxy: pick(env, 'HTTP_PROXY'),
    httpsProxy: pick(env, 'HTTPS_PROXY'),
    noProxy: pick(env, 'NO_PROXY'),
    // Plain-http targets go through the proxy as absolute-form requests: many corporate
    // proxies only allow CONNECT to port 443. https targets are always tunnelled.
    proxyTunnel: false,
    ...(tls ? { connect: tls, requestTls: tls } : {}),
  });
}
