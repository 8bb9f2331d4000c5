// Where the user's weft settings live: $XDG_CONFIG_HOME/weft, else ~/.config/weft (the
// config file, trust records); apart from config.ts so finding it needs no YAML parser.
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The user's weft config directory. A relative XDG_CONFIG_HOME is ignored, as the XDG spec says. */
export function weftConfigDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && xdg.startsWith('/') ? xdg : join(env.HOME || homedir(), '.config');
  return join(base, 'weft');
}

export function userConfigPath(env: NodeJS.ProcessEnv): string {
  return join(weftConfigDir(env), 'config.yaml');
}
