// A weft-like parent for runCommand tests: `node shell-runner.js CMD ARGS…` runs the
// command through runCommand and exits with what it returns, as `weft run` will.
import { isWeftError } from '../../src/errors.js';
import { runCommand } from '../../src/shell/index.js';

try {
  process.exitCode = await runCommand(process.argv.slice(2), process.env);
} catch (err) {
  if (!isWeftError(err)) throw err;
  process.stderr.write(`${err.code}\n`);
  process.exitCode = err.exitCode;
}
