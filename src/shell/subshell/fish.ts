// fish: --init-command runs after config.fish, so the user's config is read first; the
// prompt is wrapped rather than replaced, keeping whatever prompt the user has.
import { join } from 'node:path';
import { fishQuote as q } from '../quote.js';
import type { Launch, LaunchInput } from './types.js';

export function fishLaunch(input: LaunchInput): Launch {
  const init = join(input.dir, 'init.fish');
  const text = [
    '# weft shell: after the user\'s config.fish, the workspace environment',
    input.envCode,
    ...(input.marker
      ? [
          'if functions -q fish_prompt; and not functions -q __weft_user_prompt',
          '    functions -c fish_prompt __weft_user_prompt',
          `    function fish_prompt; printf '%s' ${q(input.marker)}; __weft_user_prompt; end`,
          'end',
        ]
      : []),
    '',
  ].join('\n');
  return { argv: [input.shell, '--init-command', `source ${q(init)}`], env: {}, files: { 'init.fish': text } };
}
