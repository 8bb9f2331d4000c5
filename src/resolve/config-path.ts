// Where the user's config file is ($XDG_CONFIG_HOME/weft/config.yaml, else
// ~/.config/weft/config.yaml); apart from config.ts so finding it needs no YAML parser.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userConfigPath(env: NodeJS.ProcessEnv): string {
  // A relative XDG_CONFIG_HOME is ignored, as the XDG spec says (and as trust.ts does).
  const xdg = env.XDG_CONFIG_HOME;
  const base = xdg && xdg.startsWith('/') ? xdg : join(env.HOME || homedir(), '.config');
  return join(base, 'weft', 'config.yaml');
}
