import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { render, type EnvModel } from '../../src/shell/index.js';

const VALUE = `a "q" 'single' $HOME \${X} \\ back\nline2\r\n%!*é`;
const model: EnvModel = {
  workspace: '/ws',
  name: 'lab',
  vars: [
    { type: 'list', name: 'PATH', prepend: ['/ws/bin'], append: [] },
    { type: 'set', name: 'ODD', value: VALUE },
    { type: 'unset', name: 'GONE' },
  ],
};
const base = { PATH: '/usr/bin', GONE: 'x', UNRELATED: 'u' };

test('json holds the final value of every variable weft changes, null for unset', () => {
  assert.equal(JSON.parse(render(model, 'json', base)), {
    workspace: '/ws',
    name: 'lab',
    vars: { PATH: '/ws/bin:/usr/bin', ODD: VALUE, GONE: null, WEFT_WORKSPACE: '/ws', WEFT_NAME: 'lab' },
  });
});

test('json is computed against process.env when no base is given', () => {
  process.env.WEFT_TEST_LIST = '/inherited';
  const listModel: EnvModel = { ...model, vars: [{ type: 'list', name: 'WEFT_TEST_LIST', prepend: ['/ws/bin'], append: [] }] };
  assert.is(JSON.parse(render(listModel, 'json')).vars.WEFT_TEST_LIST, '/ws/bin:/inherited');
});

// The runner's reading of $GITHUB_ENV: NAME=value, or NAME<<DELIM … DELIM.
function readGithubEnv(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (!heredoc) throw new Error(`not a multi-line entry: ${line}`);
    const value: string[] = [];
    for (i++; lines[i] !== heredoc[2]; i++) {
      if (i >= lines.length) throw new Error('unterminated');
      value.push(lines[i]!);
    }
    out[heredoc[1]!] = value.join('\n');
  }
  return out;
}

test('github entries read back exactly with the runner rules, unset as empty', () => {
  assert.equal(readGithubEnv(render(model, 'github', base)), {
    PATH: '/ws/bin:/usr/bin',
    ODD: VALUE,
    GONE: '',
    WEFT_WORKSPACE: '/ws',
    WEFT_NAME: 'lab',
  });
});

test('github delimiters are random, so a value cannot guess one to inject a variable', () => {
  const a = render(model, 'github', base).split('\n')[0];
  const b = render(model, 'github', base).split('\n')[0];
  assert.match(a!, /^PATH<<WEFT_EOF_[0-9a-f]{24}$/);
  assert.is.not(a, b);
  const hostile: EnvModel = { ...model, vars: [{ type: 'set', name: 'X', value: 'v\nWEFT_EOF_\nEVIL=1' }] };
  assert.equal(Object.keys(readGithubEnv(render(hostile, 'github', {}))), ['X', 'WEFT_WORKSPACE', 'WEFT_NAME']);
});

test.run();
