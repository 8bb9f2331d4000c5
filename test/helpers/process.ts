// Whether a process is still running, as the tests that kill process groups need it.
import { readFileSync } from 'node:fs';

/** Running: a zombie (killed, not yet reaped by whoever inherited it) counts as gone. */
export function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
