// A stand-in for OpenSSH that knows just enough ControlMaster to test weft's side of an
// ssh login on a terminal: `-o ControlMaster=yes -o ControlPath=P` asks for a password on
// /dev/tty and, when it is right, marks P as an open connection; a later call naming P
// runs the remote git command locally; `-O exit` closes P; anything else is refused the
// way ssh refuses a missing key. Use `ssh://anyhost/abs/path` URLs.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Writes the script into `dir`; returns the env that makes git (and weft) use it. */
export function fakeSshMaster(dir: string, password: string): NodeJS.ProcessEnv {
  const script = join(dir, 'fake-ssh');
  writeFileSync(
    script,
    `#!/bin/sh
control=""; master=""; op=""
while [ $# -gt 0 ]; do
  case "$1" in
    -o) case "$2" in ControlPath=*) control="\${2#ControlPath=}";; ControlMaster=yes) master=1;; esac; shift 2;;
    -O) op="$2"; shift 2;;
    -p|-l) shift 2;;
    --) shift; break;;
    -*) shift;;
    *) break;;
  esac
done
host="$1"; shift
if [ -n "$op" ]; then rm -f "$control"; exit 0; fi
if [ -n "$master" ]; then
  # Echo goes off before the prompt shows, as in ssh: a password typed the moment the
  # prompt appears must not be echoed.
  stty -echo < /dev/tty
  printf "%s's password: " "$host" > /dev/tty
  read -r pw < /dev/tty
  stty echo < /dev/tty
  printf "\\n" > /dev/tty
  if [ "$pw" = "$WEFT_TEST_SSH_PASSWORD" ]; then echo open > "$control"; exit 0; fi
  echo "Permission denied, please try again." >&2
  exit 255
fi
if [ -n "$control" ] && [ -f "$control" ]; then exec sh -c "$*"; fi
echo "git@$host: Permission denied (publickey)." >&2
exit 255
`,
  );
  chmodSync(script, 0o755);
  return { GIT_SSH_COMMAND: script, GIT_SSH_VARIANT: 'simple', WEFT_TEST_SSH_PASSWORD: password };
}
