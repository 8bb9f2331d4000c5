#!/usr/bin/env node
// The cold scenario's context row: what any Node.js tool pays before doing anything of its
// own. It starts node, reads the clone list (URL and directory per line) and runs `git
// clone -q` for each, J at a time, from node's child_process as most Node.js tools would:
// no manifest, no cache, no lock, no environment. Against `xargs -P J git clone` the
// difference is node's start and its forks; the rest of weft's ratio is weft's own work.
//   node node-floor.mjs LIST J   (clones into the current directory; exit 1 if one fails)
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

const [list, jobs] = process.argv.slice(2);
const queue = readFileSync(list, 'utf8').split('\n').filter(Boolean).map((line) => line.split(' '));
let failed = 0;

const worker = () =>
  new Promise((done) => {
    const next = () => {
      const item = queue.shift();
      if (!item) return done();
      const [url, dir] = item;
      // 'close' comes once whether git ran or could not start ('error' first, then 'close').
      spawn('git', ['clone', '-q', url, dir], { stdio: ['ignore', 'ignore', 'inherit'] })
        .on('error', () => {})
        .on('close', (code) => {
          if (code !== 0) failed++;
          next();
        });
    };
    next();
  });

await Promise.all(Array.from({ length: Math.max(1, Number(jobs) || 1) }, worker));
process.exitCode = failed ? 1 : 0;
