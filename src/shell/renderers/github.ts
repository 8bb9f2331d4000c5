// `weft env --github`, for `>> "$GITHUB_ENV"` in GitHub Actions. Every variable uses the
// multi-line form, `NAME<<DELIM`, the value, `DELIM`, because it is the only form that
// carries any value (newlines included) unchanged. DELIM is random per run and checked
// against the value, so a value cannot end the block early and inject other variables
// (GitHub's own advice for untrusted values). The file cannot unset a variable; the
// closest it allows, the empty value, stands for unset.
import { randomBytes } from 'node:crypto';
import { changedValues } from '../apply.js';
import type { DataRenderer } from './types.js';

export const renderGithub: DataRenderer = (model, base) => {
  const values = [...changedValues(model, base)];
  let delim: string;
  do delim = `WEFT_EOF_${randomBytes(12).toString('hex')}`;
  while (values.some(([, v]) => v?.includes(delim)));
  return values.map(([name, value]) => `${name}<<${delim}\n${value ?? ''}\n${delim}\n`).join('');
};
