// Runs the fetch layer's `up` in a process of its own, for tests that kill it or race two
// of them: `node fetch-run-up.js <plan.json>`; prints the Checkouts as JSON.
import { readFileSync } from 'node:fs';
import { up } from '../../src/fetch/index.js';
import type { Plan } from '../../src/types.js';

const plan = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Plan;
const out = await up(plan, { env: process.env });
process.stdout.write(JSON.stringify(out));
