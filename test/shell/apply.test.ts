import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyEnv, changedValues, modelFromRecord, revertEnv, type EnvModel } from '../../src/shell/index.js';

const model: EnvModel = {
  workspace: '/ws',
  name: 'lab',
  vars: [
    { type: 'list', name: 'PATH', prepend: ['/ws/bin', '/a/bin'], append: ['/z'] },
    { type: 'set', name: 'MODE', value: 'dev' },
    { type: 'unset', name: 'GONE' },
    { type: 'list', name: 'BASED', prepend: ['/p'], append: [], base: '/b:/p' },
  ],
};

test('prepends go first, appends last, the inherited entries between without weft duplicates', () => {
  const env = applyEnv(model, { PATH: '/usr/bin:/a/bin:/bin:/z:/usr/bin' });
  assert.is(env.PATH, '/ws/bin:/a/bin:/usr/bin:/bin:/usr/bin:/z');
});

test('an unset or empty inherited list gives only weft entries; empty elements are kept', () => {
  assert.is(applyEnv(model, {}).PATH, '/ws/bin:/a/bin:/z');
  assert.is(applyEnv(model, { PATH: '' }).PATH, '/ws/bin:/a/bin:/z');
  assert.is(applyEnv(model, { PATH: ':/x::' }).PATH, '/ws/bin:/a/bin::/x:::/z');
});

test('set and unset replace; a base replaces the inherited list', () => {
  const env = applyEnv(model, { MODE: 'prod', GONE: '1', BASED: '/ignored' });
  assert.is(env.MODE, 'dev');
  assert.is('GONE' in env, false);
  assert.is(env.BASED, '/p:/b');
});

test('markers, the record and previous values are exported for a later revert', () => {
  const env = applyEnv(model, { MODE: 'prod', BASED: '/orig' });
  assert.is(env.WEFT_WORKSPACE, '/ws');
  assert.is(env.WEFT_NAME, 'lab');
  assert.is(env.WEFT_ENV_ADDED, '+PATH:/ws/bin:/a/bin:/z:=MODE:=GONE:=BASED');
  assert.is(env.WEFT_PREV_MODE, 'prod');
  assert.is(env.WEFT_PREV_BASED, '/orig');
  assert.is('WEFT_PREV_GONE' in env, false);
});

test('applying twice equals applying once, previous values included', () => {
  const base = { PATH: '/usr/bin', MODE: 'prod', GONE: 'g' };
  const once = applyEnv(model, base);
  assert.equal(applyEnv(model, once), once);
});

test('the base environment is not modified', () => {
  const base = { PATH: '/usr/bin', MODE: 'prod' };
  applyEnv(model, base);
  assert.equal(base, { PATH: '/usr/bin', MODE: 'prod' });
});

test('revert removes only weft entries and restores what weft replaced', () => {
  const base = { PATH: '/usr/bin', MODE: 'prod', GONE: 'g', KEEP: 'k' };
  const active = applyEnv(model, base);
  const edited = { ...active, PATH: `/mine:${active.PATH}` };
  assert.equal(revertEnv(model, edited), { ...base, PATH: '/mine:/usr/bin' });
  assert.equal(revertEnv(model, applyEnv(model, {})), {});
});

test('revert restores nothing weft did not record', () => {
  assert.equal(revertEnv(model, { MODE: 'user', PATH: '/ws/bin:/usr/bin' }), { MODE: 'user', PATH: '/usr/bin' });
});

test('the record describes the applied model well enough to revert it', () => {
  const base = { PATH: '/usr/bin', MODE: 'prod', BASED: '/o' };
  const active = applyEnv(model, base);
  const recorded = modelFromRecord(active);
  assert.ok(recorded);
  assert.equal(revertEnv(recorded!, active), base);
  assert.is(modelFromRecord({}), undefined);
});

test('an entry the inherited list already had is not recorded as weft\'s, so leaving keeps it', () => {
  const base = { PATH: '/usr/bin:/a/bin:/bin' };
  const active = applyEnv(model, base);
  assert.is(active.PATH, '/ws/bin:/a/bin:/usr/bin:/bin:/z');
  assert.is(active.WEFT_ENV_ADDED, '+PATH:/ws/bin:/z:=MODE:=GONE:=BASED');
  // Applying again (eval twice, a re-apply) keeps what weft itself added as weft's.
  assert.equal(applyEnv(model, active), active);
  const left = revertEnv(modelFromRecord(active)!, active);
  assert.is(left.PATH, '/a/bin:/usr/bin:/bin');
});

test("a shell's mark that a variable was not exported before (-NAME) stays when applying again, and ends a list in the record", () => {
  // As bash leaves it after applying over MODE=prod and PATH=/usr/bin, both set and not exported.
  const active = { ...applyEnv(model, { PATH: '/usr/bin', MODE: 'prod' }), WEFT_ENV_ADDED: '-PATH:+PATH:/ws/bin:/a/bin:/z:-MODE:=MODE:=GONE:=BASED' };
  assert.is(applyEnv(model, active).WEFT_ENV_ADDED, active.WEFT_ENV_ADDED);
  assert.is(applyEnv(model, { PATH: '/usr/bin', MODE: 'prod' }).WEFT_ENV_ADDED, '+PATH:/ws/bin:/a/bin:/z:=MODE:=GONE:=BASED');
  assert.equal(modelFromRecord(active)?.vars, modelFromRecord({ WEFT_ENV_ADDED: '+PATH:/ws/bin:/a/bin:/z:=MODE:=GONE:=BASED' })?.vars);
  assert.equal(modelFromRecord({ WEFT_ENV_ADDED: '+PATH:/p:-MODE:/q' })?.vars, [{ type: 'list', name: 'PATH', prepend: ['/p'], append: [] }]);
});

test('a record naming something that is not a variable name is ignored', () => {
  const recorded = modelFromRecord({ WEFT_ENV_ADDED: '+X;rm -rf ~:/p:=$(id):=OK:+GOOD:/q' });
  assert.equal(recorded?.vars, [
    { type: 'unset', name: 'OK' },
    { type: 'list', name: 'GOOD', prepend: ['/q'], append: [] },
  ]);
});

test('changedValues lists every variable weft changes, markers included, null for unset', () => {
  assert.equal([...changedValues(model, { PATH: '/usr/bin' })], [
    ['PATH', '/ws/bin:/a/bin:/usr/bin:/z'],
    ['MODE', 'dev'],
    ['GONE', null],
    ['BASED', '/p:/b'],
    ['WEFT_WORKSPACE', '/ws'],
    ['WEFT_NAME', 'lab'],
  ]);
});

test.run();
