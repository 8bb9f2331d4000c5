#!/usr/bin/env node
'use strict';
// CommonJS, so that `weft env` with nothing changed prints the pre-rendered file without
// loading the CLI at all. Everything else runs the CLI: bundled, with a V8 code cache
// (dist/src/cli/load.cjs says why), else as ES modules (dist/src/cli/main.js).
const argv = process.argv.slice(2);
if (argv[0] === 'env') {
  const text = built(fastEnv).fastEnv(argv.slice(1), process.cwd(), process.env);
  if (text !== undefined) {
    writeOut(text);
    return;
  }
}
const cli = built(() => require('../dist/src/cli/load.cjs').loadCli(argv, process.env));
const main = cli ? Promise.resolve(cli.main(argv)) : import('../dist/src/cli/main.js').then((m) => m.main(argv));
main.then((code) => {
  // A failure already recorded (stdout could not be written: main.ts) is kept.
  process.exitCode = code || process.exitCode;
  cli?.saveCodeCache(code);
  exitWhenWritten();
});

/**
 * Leaves once stdout and stderr have taken everything written to them, instead of letting
 * node tear its heap down first: ~10 ms of every command. A pipe whose reader is slow holds
 * what it cannot take yet in node, so that is waited for (a write's callback comes once
 * every earlier write is through). What else may still run is nothing a command waits for:
 * a damaged cache entry being deleted in the background (heal.ts), which a later run
 * sweeps, as it does after a kill.
 */
function exitWhenWritten() {
  let waiting = 1;
  // Exits a turn later: a write that failed at once (a full disk) reports its error first.
  const done = () => {
    if (--waiting === 0) setImmediate(() => process.exit());
  };
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength === 0 || stream.destroyed) continue;
    waiting++;
    let through = false;
    const written = () => {
      if (through) return;
      through = true;
      done();
    };
    // A reader gone (EPIPE) ends the wait too: main.ts has said what needs saying.
    stream.once('error', written);
    stream.write('', written);
  }
  done();
}

/**
 * What `load` returns. A checkout of weft that was never built (`npm ci` or `npm run build`
 * not run, or dist/ removed) says so in one line and exits 70, instead of node's stack trace.
 */
function built(load) {
  try {
    return load();
  } catch (err) {
    const missing = err && err.code === 'MODULE_NOT_FOUND' ? /Cannot find module '([^']+)'/.exec(String(err.message)) : null;
    if (missing && /(^|[\\/])dist[\\/]src[\\/]/.test(missing[1])) {
      process.stderr.write(`weft: weft has not been built: run "npm run build" in ${require('node:path').resolve(__dirname, '..')}\n`);
      process.exit(70);
    }
    throw err;
  }
}

/**
 * The fast path as one file when the build made it (scripts/bundle.mjs) after the modules
 * were compiled, else the modules themselves (a bare `tsc` since the bundle step).
 */
function fastEnv() {
  const { statSync } = require('node:fs');
  const bundled = `${__dirname}/../dist/src/cli/env-fast.bundle.cjs`;
  const modules = `${__dirname}/../dist/src/cli/env-fast.cjs`;
  const made = statSync(bundled, { throwIfNoEntry: false });
  return require(made && made.mtimeMs >= statSync(modules).mtimeMs ? bundled : modules);
}

/**
 * The text to stdout with write(2) itself: setting up process.stdout (a stream, and the
 * stream modules behind it) cost ~3.5 ms of the ~6 ms `weft env` adds to starting node.
 * A stdout some parent made non-blocking is waited on when full, as a blocking one would
 * be. A reader that went away (`weft env | head`) ends the output quietly; any other
 * failure is one line and exit 1, not a stack trace.
 */
function writeOut(text) {
  const { writeSync } = require('node:fs');
  const bytes = Buffer.from(text);
  let at = 0;
  while (at < bytes.length) {
    try {
      at += writeSync(1, bytes, at);
    } catch (err) {
      if (err.code === 'EAGAIN') {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2);
        continue;
      }
      if (err.code !== 'EPIPE') {
        writeSync(2, `weft: cannot write the environment to standard output: ${err.message}\n`);
        process.exitCode = 1;
      }
      return;
    }
  }
}
