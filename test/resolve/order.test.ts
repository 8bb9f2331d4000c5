// envOrder: each source before the sources it depends on, ties in manifest order.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { envOrder } from '../../src/resolve/order.js';
import { testWorkspace } from '../helpers/manifest.js';

const loc = { file: 'weft.yaml', line: 1, col: 1 };
const order = (spec: Record<string, string[]>) => {
  const r = envOrder(Object.entries(spec).map(([name, depends]) => ({ name, depends, loc })));
  return r.ok ? r.order : `cycle ${r.cycle.join(' → ')}`;
};

test('a dependent comes before what it depends on', () => {
  assert.equal(order({ twisted: [], epsilon: ['twisted'] }), ['epsilon', 'twisted']);
});

test('independent sources keep manifest order', () => {
  assert.equal(order({ c: [], a: [], b: [] }), ['c', 'a', 'b']);
});

test('ties are broken by manifest order, not by discovery', () => {
  // d depends on a; b and c are free. a must wait for d, everything else keeps its place.
  assert.equal(order({ a: [], b: [], c: [], d: ['a'] }), ['b', 'c', 'd', 'a']);
  assert.equal(order({ app: ['lib', 'util'], lib: ['util'], util: [], docs: [] }), ['app', 'lib', 'util', 'docs']);
});

test('a diamond places the shared dependency last', () => {
  assert.equal(order({ top: ['l', 'r'], l: ['base'], r: ['base'], base: [] }), ['top', 'l', 'r', 'base']);
});

test('a cycle is named from its first member', () => {
  assert.is(order({ x: [], a: ['b'], b: ['c'], c: ['a'] }), 'cycle a → b → c → a');
  assert.is(order({ self: ['self'] }), 'cycle self → self');
});

test('the plan carries the same order', async () => {
  const ws = testWorkspace({
    'weft.yaml': 'sources:\n  util: {git: "https://h/u.git"}\n  lib: {git: "https://h/l.git", depends: [util]}\n  app: {git: "https://h/a.git", depends: [lib, util]}\n',
  });
  try {
    assert.equal((await ws.load()).envOrder, ['app', 'lib', 'util']);
  } finally {
    ws.cleanup();
  }
});

test.run();
