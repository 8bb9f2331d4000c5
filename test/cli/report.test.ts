// The summary `weft up` prints at the end (report.ts): one line per source in words that
// fit its kind, each failure's cause under it, and the counts.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summarize } from '../../src/cli/report.js';
import type { Checkout } from '../../src/types.js';

const co = (c: Partial<Checkout> & Pick<Checkout, 'name' | 'type' | 'status'>): Checkout => ({ dir: `/ws/${c.name}`, ...c }) as Checkout;

test('a new archive is extracted, a new repository cloned; the counts use the same words', () => {
  const text = summarize([
    co({ name: 'lib', type: 'git', status: 'cloned', revision: '96280af973d94da215d1b14ec170dc5ef12fd7da', branch: 'main' }),
    co({ name: 'data', type: 'archive', status: 'cloned', revision: 'sha256-xinRDukkRpROKTdQAgyGAU78ioT9/E1MfFFOAfz6oBk=' }),
    co({ name: 'old', type: 'archive', status: 'unchanged', revision: 'sha256-Sv8ar342icvjxx05ojAY+gc5G+SWkKYRQNYLU8IF70s=' }),
  ]);
  assert.equal(text.split('\n'), [
    '+ lib   cloned    96280af973d9 (main)',
    '+ data  extracted sha256-xinRDukkRpROKTdQAgyGAU78ioT9/E1MfFFOAfz6oBk=',
    '= old   unchanged sha256-Sv8ar342icvjxx05ojAY+gc5G+SWkKYRQNYLU8IF70s=',
    '3 sources: 1 cloned, 1 extracted, 1 unchanged',
    '',
  ]);
});

test('a failure carries its code, message and the last lines of its cause', () => {
  const text = summarize([co({ name: 'bad', type: 'git', status: 'failed', code: 'WEFT_E_GIT', message: 'cloning /x: no such repository', cause: 'fatal: repository \'/x\' does not exist\n' })]);
  assert.equal(text.split('\n'), ['x bad   failed    WEFT_E_GIT', '    cloning /x: no such repository', "      fatal: repository '/x' does not exist", '1 source: 1 failed', '']);
});

test('a source --fail-fast never started says so, with no padding left at the end of its line', () => {
  const text = summarize([co({ name: 'later', type: 'git', status: 'skipped', message: 'not attempted: --fail-fast stopped after a failure' })]);
  assert.equal(text.split('\n'), ['! later  skipped', '    not attempted: --fail-fast stopped after a failure', '1 source: 1 skipped', '']);
});

test('sources weft up NAME left out are counted, not listed as if something happened to them', () => {
  const text = summarize([
    co({ name: 'lib', type: 'git', status: 'cloned', revision: '96280af973d94da215d1b14ec170dc5ef12fd7da' }),
    co({ name: 'never', type: 'git', status: 'unchanged', message: 'not selected', notSelected: true }),
  ]);
  assert.equal(text.split('\n'), ['+ lib   cloned    96280af973d9', '1 source: 1 cloned (1 more not selected)', '']);
});

test.run();
