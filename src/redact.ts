// Every URL, path or child stderr that reaches a log, spinner or error goes through here.

const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]+)(?::[^/@\s]*)?@/gi;
// The value runs to the next parameter, fragment or space, less the punctuation that ends a
// sentence or a quotation around the URL (`…?token=X: connection refused`, `'…?sig=X'.`);
// a colon or quote inside the value is part of it.
const TOKEN_PARAM = /([?&](?:access_token|token|private_token|password|sig|signature)=)[^&#\s]*?(?=['")\]>,.;:]*(?:[&#\s]|$))/gi;

/** Replaces credentials in URLs (`https://user:token@host`, `?token=…`) with `***`. */
export function redact(text: string): string {
  return text.replace(USERINFO, '$1***@').replace(TOKEN_PARAM, '$1***');
}

const URL_USERINFO = /^([a-z][a-z0-9+.-]*:\/\/)([^/@\s]*)@/i;

/**
 * A URL as files other people read keep it (weft.lock): no password or token. Over http(s)
 * the whole user part goes (a token often stands as the user name); over other schemes the
 * login name stays (ssh reads it), only a password goes. Token parameters lose their value.
 * A URL without either comes back as it is.
 */
export function withoutSecrets(url: string): string {
  const bare = url.replace(TOKEN_PARAM, '$1');
  return bare.replace(URL_USERINFO, (all, scheme: string, info: string) => {
    const { kept } = userinfoParts(scheme, info);
    return kept === undefined ? all : `${scheme}${kept}`;
  });
}

/**
 * A URL's user part (between `scheme://` and `@`) as withoutSecrets splits it: `kept` is
 * what stays of it (undefined: all of it, nothing to drop), `secret` what goes.
 */
function userinfoParts(scheme: string, info: string): { kept?: string; secret: string } {
  if (/^https?:\/\/$/i.test(scheme)) return { kept: '', secret: info };
  const colon = info.indexOf(':');
  return colon < 0 ? { secret: '' } : { kept: `${info.slice(0, colon)}@`, secret: info.slice(colon + 1) };
}

/** True when `url` carries a password or token: withoutSecrets changes it. */
export function hasSecrets(url: string): boolean {
  return withoutSecrets(url) !== url;
}

/** The password and token values `url` carries (what withoutSecrets drops), for checks. */
export function secretsOf(url: string): string[] {
  const found: string[] = [];
  for (const m of url.matchAll(TOKEN_PARAM)) {
    const value = m[0].slice(m[1]!.length);
    if (value) found.push(value);
  }
  const info = URL_USERINFO.exec(url);
  if (info) {
    const { secret } = userinfoParts(info[1]!, info[2]!);
    if (secret) found.push(secret);
  }
  return found;
}
