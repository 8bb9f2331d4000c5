// zsh has no --rcfile: ZDOTDIR points at our dir, whose .zshenv and .zshrc put the user's
// ZDOTDIR back, source the user's own files, and (in .zshrc) re-apply weft's environment
// and mark the prompt. A user .zshenv that sets ZDOTDIR is honoured for .zshrc.
import { posixQuote as q } from '../quote.js';
import type { Launch, LaunchInput } from './types.js';

export function zshLaunch(input: LaunchInput): Launch {
  const restore = [
    'if (( __weft_zd_set )); then ZDOTDIR=$__weft_zd; else unset ZDOTDIR; fi',
  ];
  const zshenv = [
    '# weft shell: the user\'s .zshenv, with the user\'s ZDOTDIR',
    '__weft_tmp_zd=$ZDOTDIR',
    'if (( ${+WEFT_USER_ZDOTDIR} )); then ZDOTDIR=$WEFT_USER_ZDOTDIR; else unset ZDOTDIR; fi',
    'unset WEFT_USER_ZDOTDIR',
    'if [[ -f ${ZDOTDIR:-$HOME}/.zshenv ]]; then source "${ZDOTDIR:-$HOME}/.zshenv"; fi',
    '__weft_zd_set=${+ZDOTDIR}',
    '__weft_zd=${ZDOTDIR-}',
    'ZDOTDIR=$__weft_tmp_zd',
    '',
  ].join('\n');
  const zshrc = [
    '# weft shell: the user\'s .zshrc, then the workspace environment',
    ...restore,
    'if [[ -f ${ZDOTDIR:-$HOME}/.zshrc ]]; then source "${ZDOTDIR:-$HOME}/.zshrc"; fi',
    'unset __weft_zd __weft_zd_set __weft_tmp_zd',
    input.envCode,
    ...(input.marker ? [`PS1=${q(input.marker.replace(/%/g, '%%'))}"\${PS1-}"`] : []),
    '',
  ].join('\n');
  const env: Record<string, string | undefined> = { ZDOTDIR: input.dir, WEFT_USER_ZDOTDIR: input.env['ZDOTDIR'] };
  return { argv: [input.shell, '-i'], env, files: { '.zshenv': zshenv, '.zshrc': zshrc } };
}
