// Where the user's config file is ($XDG_CONFIG_HOME/weft/config.yaml, else
// ~/.config/weft/config.yaml); apart from config.ts so finding it needs no YAML parser.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function userConfigPath(env: NodeJS.ProcessEnv): string {
  const base = env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config');
  return join(base, 'weft', 'config.yaml');
}
