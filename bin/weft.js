#!/usr/bin/env node
'use strict';
// CommonJS, so that `weft env` with nothing changed prints the pre-rendered file without
// starting the ES module loader; everything else goes to the CLI (dist/src/cli/main.js).
const argv = process.argv.slice(2);
if (argv[0] === 'env') {
  const text = require('../dist/src/cli/env-fast.cjs').fastEnv(argv.slice(1), process.cwd(), process.env);
  if (text !== undefined) {
    process.stdout.write(text);
    return;
  }
}
import('../dist/src/cli/main.js').then(({ main }) => main(argv)).then((code) => {
  process.exitCode = code;
});
