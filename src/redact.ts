// Every URL, path or child stderr that reaches a log, spinner or error goes through here.

const USERINFO = /([a-z][a-z0-9+.-]*:\/\/)([^/@\s:]+)(?::[^/@\s]*)?@/gi;
const TOKEN_PARAM = /([?&](?:access_token|token|private_token|password|sig|signature)=)[^&#\s]+/gi;

/** Replaces credentials in URLs (`https://user:token@host`, `?token=…`) with `***`. */
export function redact(text: string): string {
  return text.replace(USERINFO, '$1***@').replace(TOKEN_PARAM, '$1***');
}
