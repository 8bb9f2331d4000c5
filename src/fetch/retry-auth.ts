// After the parallel phase: sources that failed for want of credentials. On a terminal they
// are retried one at a time with git allowed to ask the person there; elsewhere nothing
// ever prompts, and the failure says how to fix it.
import { redact } from '../redact.js';
import type { Checkout, GitSource, Source } from '../types.js';
import type { FetcherContext, PreviousCheckout } from './fetcher.js';
import { askCredentials, rejectCredentials, usesCredentialHelper } from './git/interactive.js';
import type { GitCredentials } from './git/run.js';
import { openSshMaster, sshTarget, targetKey, type SshMaster } from './git/ssh-master.js';
import { splitCredentials, urlHost } from './git/url.js';

export interface CredentialPrompt {
  /** Told before git may prompt; the caller must have stopped any live progress display by then. */
  announce(line: string): void;
}

export interface AuthRetryOptions {
  ctx: FetcherContext;
  previous: (s: Source) => PreviousCheckout | undefined;
  /** Present only when a person can answer (a terminal, and not --no-input or CI). */
  prompt?: CredentialPrompt;
  /** On a terminal but told not to ask: why (the advice names what to drop). */
  noPrompt?: NoPromptReason;
}

/** Why a run on a terminal does not ask for credentials. */
export type NoPromptReason = 'ci' | 'no-input';

function hostOf(s: Source): string {
  return s.type === 'local' ? s.dir : (urlHost(s.url) ?? redact(splitCredentials(s.url).url));
}

/** Whether `url` names a user or password of its own. */
function urlHasCredentials(url: string): boolean {
  const { username, password } = splitCredentials(url);
  return !!username || !!password;
}

/** The way out for someone who cannot be asked here. */
function howToFix(s: Source, why?: NoPromptReason): string {
  const helper = s.type === 'git' && sshTarget(s.url) ? 'load the ssh key into ssh-agent (ssh-add)' : 'configure a git credential helper';
  // On a terminal already: it is CI or --no-input that keeps git from asking.
  const where = why === 'ci' ? 'on a terminal without CI set' : why === 'no-input' ? 'without --no-input' : 'on a terminal';
  return `${helper}, or run "weft up ${s.name}" ${where} to type them`;
}

/** `url` with credentials in its userinfo; stays in memory: the fetcher hands them to git through the environment. */
function withCredentials(url: string, username = '', password = ''): string {
  const bare = splitCredentials(url).url;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(bare)![0];
  return `${scheme}${encodeURIComponent(username)}:${encodeURIComponent(password)}@${bare.slice(scheme.length)}`;
}

/** Which answers can be reused: git's own credential context (scheme, host, port) plus a username the URL names. */
function originKey(url: string): string {
  const { url: bare, username } = splitCredentials(url);
  try {
    const u = new URL(bare);
    return `${u.protocol}//${username ?? ''}@${u.host}`;
  } catch {
    return bare;
  }
}

/** What was given during this run, in memory only, so one host is asked once. */
interface Given {
  creds: Map<string, GitCredentials>;
  masters: Map<string, SshMaster | undefined>;
}

const refused = (c: Checkout) => c.status === 'failed' && !!c.needsAuth;

async function fetchAgain(s: GitSource, ctx: FetcherContext, o: AuthRetryOptions): Promise<Checkout> {
  // Loaded here: a run with nothing to retry should not pay for it.
  const { fetchGit } = await import('./git/index.js');
  return fetchGit(s, ctx, o.previous(s));
}

/** A fresh Checkout when git ran again; the failure, reworded, when nobody could answer. */
type Retried = { fetched: Checkout } | { notTried: Checkout };

async function retryHttp(s: GitSource, failed: Checkout, ctx: FetcherContext, given: Given, o: AuthRetryOptions & { prompt: CredentialPrompt }): Promise<Retried> {
  const host = hostOf(s);
  const attempt = (creds: GitCredentials) => fetchAgain({ ...s, url: withCredentials(s.url, creds.username, creds.password) }, ctx, o);
  const key = originKey(s.url);
  const earlier = given.creds.get(key);
  if (earlier) {
    o.prompt.announce(`retrying ${s.name} with the credentials given for ${host}\n`);
    const c = await attempt(earlier);
    if (!refused(c)) return { fetched: c };
  }
  o.prompt.announce(`retrying ${s.name}: git needs credentials for ${host}\n`);
  const creds = await askCredentials(s.url, { env: ctx.env, timeoutMs: ctx.defaults.gitTimeoutMs, signal: ctx.signal });
  if (!creds) return { notTried: { ...failed, message: `git needs credentials for ${host} and none were given; ${howToFix(s)}` } };
  const c = await attempt(creds);
  if (refused(c)) await rejectCredentials(s.url, creds, { env: ctx.env, timeoutMs: ctx.defaults.gitQuickTimeoutMs });
  else given.creds.set(key, creds);
  return { fetched: c };
}

async function retrySsh(s: GitSource, failed: Checkout, ctx: FetcherContext, given: Given, o: AuthRetryOptions & { prompt: CredentialPrompt }): Promise<Retried> {
  const host = hostOf(s);
  const target = sshTarget(s.url);
  if (!target) return { notTried: { ...failed, message: `git needs credentials for ${host}; ${howToFix(s)}` } };
  const key = targetKey(target);
  if (!given.masters.has(key)) {
    o.prompt.announce(`retrying ${s.name}: git needs credentials for ${host}\n`);
    given.masters.set(key, await openSshMaster(target, { env: ctx.env, timeoutMs: ctx.defaults.gitTimeoutMs, signal: ctx.signal }));
  } else {
    o.prompt.announce(`retrying ${s.name} over the connection opened for ${host}\n`);
  }
  const master = given.masters.get(key);
  if (!master) return { notTried: { ...failed, message: `ssh could not log in to ${host}; ${howToFix(s)}` } };
  return { fetched: await fetchAgain(s, { ...ctx, env: { ...ctx.env, GIT_SSH_COMMAND: master.gitSshCommand } }, o) };
}

async function retryOne(s: GitSource, failed: Checkout, given: Given, o: AuthRetryOptions & { prompt: CredentialPrompt }): Promise<Checkout> {
  const started = Date.now();
  // The progress display is stopped: the retry reports nothing until its summary line.
  const ctx: FetcherContext = { ...o.ctx, report: () => {} };
  const r = usesCredentialHelper(s.url) ? await retryHttp(s, failed, ctx, given, o) : await retrySsh(s, failed, ctx, given, o);
  if ('notTried' in r) return r.notTried;
  const c = r.fetched;
  c.durationMs = Date.now() - started;
  if (refused(c)) {
    return { ...c, message: `${hostOf(s)} refused the credentials given; run "weft up ${s.name}" to try again, or ${howToFix(s).split(', or ')[0]}` };
  }
  return c;
}

/** Settles every needsAuth failure in `results` (parallel to `sources`), in place, one at a time. */
export async function retryAuthFailures(sources: Source[], results: (Checkout | undefined)[], o: AuthRetryOptions): Promise<void> {
  const given: Given = { creds: new Map(), masters: new Map() };
  try {
    for (let i = 0; i < sources.length; i++) {
      const s = sources[i]!;
      const c = results[i];
      if (!c || c.status !== 'failed' || !c.needsAuth) continue;
      const prompt = o.prompt;
      if (prompt && s.type === 'git' && !o.ctx.signal?.aborted) {
        results[i] = await retryOne(s, c, given, { ...o, prompt });
      } else if (s.type !== 'local' && urlHasCredentials(s.url)) {
        // The URL carried credentials and the server turned them down: asking for some is
        // not the fix, those are.
        results[i] = { ...c, message: `${hostOf(s)} refused the credentials in the source's URL; check them (a token may have expired, or lack access to this repository)` };
      } else {
        results[i] = { ...c, message: `${s.type} needs credentials for ${hostOf(s)} and may not prompt here; ${howToFix(s, o.noPrompt)}` };
      }
    }
  } finally {
    for (const m of given.masters.values()) await m?.close();
  }
}
