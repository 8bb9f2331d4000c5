// A stand-in for ssh that runs the remote git command locally after a pause, so a test
// can catch weft in the middle of a clone. Use `ssh://anyhost/abs/path` URLs.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the script into `dir` and returns the env that makes git use it. */
export function slowSsh(dir: string, opts: { sleepSeconds: number; mark: string }): NodeJS.ProcessEnv {
  const script = join(dir, 'slow-ssh');
  writeFileSync(
    script,
    `#!/bin/sh
for last; do :; done
# Written aside and renamed: a test that sees the mark may read the pid in it at once.
echo $$ > "$WEFT_TEST_SSH_MARK-writing.$$" && mv "$WEFT_TEST_SSH_MARK-writing.$$" "$WEFT_TEST_SSH_MARK.$$"
sleep "\${WEFT_TEST_SSH_SLEEP:-0}"
exec sh -c "$last"
`,
  );
  chmodSync(script, 0o755);
  return { GIT_SSH_COMMAND: script, GIT_SSH_VARIANT: 'simple', WEFT_TEST_SSH_SLEEP: String(opts.sleepSeconds), WEFT_TEST_SSH_MARK: opts.mark };
}
