// Every URL, path or child stderr that reaches a log, spinner or error goes through here.

const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]+)(?::[^/@\s]*)?@/gi;
const TOKEN_PARAM = /([?&](?:access_token|token|private_token|password|sig|signature)=)[^&#\s]+/gi;

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
    if (/^https?:\/\/$/i.test(scheme)) return scheme;
    const colon = info.indexOf(':');
    return colon < 0 ? all : `${scheme}${info.slice(0, colon)}@`;
  });
}

/** True when `url` carries a password or token: withoutSecrets changes it. */
export function hasSecrets(url: string): boolean {
  return withoutSecrets(url) !== url;
}
