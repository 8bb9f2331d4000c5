#!/usr/bin/env node
// `npm start`: weft's offline demo. Makes two git repositories on the fly (the demo's
// "remotes"), runs `weft up` on manifests/demo.yaml, shows the environment it wires, and
// runs a program straight from a checkout. Needs nothing but node and git.
import { $, fs, path } from 'zx';

const root = path.resolve(new URL('..', import.meta.url).pathname);
const upstream = path.join(root, 'demo', 'upstream');
const weft = ['node', path.join(root, 'bin', 'weft.js'), '--manifest', path.join(root, 'manifests', 'demo.yaml')];
$.verbose = false;
$.env = {
  ...process.env,
  GIT_AUTHOR_NAME: 'weft demo', GIT_AUTHOR_EMAIL: 'demo@weft.invalid',
  GIT_COMMITTER_NAME: 'weft demo', GIT_COMMITTER_EMAIL: 'demo@weft.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
};

async function makeRepo(name, files, tag) {
  const bare = path.join(upstream, `${name}.git`);
  if (await fs.pathExists(bare)) return;
  const work = path.join(upstream, `${name}.work`);
  await fs.remove(work);
  await fs.mkdirp(work);
  await $({ cwd: work })`git -c init.defaultBranch=main init -q`;
  for (const [file, text] of Object.entries(files)) {
    await fs.outputFile(path.join(work, file), text, { mode: file.startsWith('bin/') ? 0o755 : 0o644 });
  }
  await $({ cwd: work })`git add -A`;
  await $({ cwd: work })`git commit -q -m ${`${name}: first version`}`;
  if (tag) await $({ cwd: work })`git tag -a ${tag} -m ${tag}`;
  await $`git clone -q --bare ${work} ${bare}`;
  await fs.remove(work);
}

await makeRepo('palette', {
  'package.json': '{ "type": "commonjs" }\n',
  'lib/palette.js': "exports.colours = ['madder', 'woad', 'weld'];\n",
  'README': 'palette: colours for the greeter\n',
}, 'v1.0');
await makeRepo('greeter', {
  'bin/greeter': [
    '#!/usr/bin/env node',
    "// Runs straight from its checkout: found on PATH, its library found through NODE_PATH.",
    "const { colours } = require('palette.js');",
    "console.log(`${process.env.WEFT_DEMO_GREETING} — woven in ${colours.join(', ')}`);",
    "console.log(`(palette from ${require.resolve('palette.js')})`);",
    '',
  ].join('\n'),
  'package.json': '{ "type": "commonjs" }\n',
  'lib/greeter.js': "exports.greet = (who) => `hello, ${who}`;\n",
}, undefined);

const bold = process.stdout.isTTY && !process.env.NO_COLOR;
const step = (t) => console.log(bold ? `\n\x1b[1m$ ${t}\x1b[0m` : `\n$ ${t}`);
step('weft up');
const up = await $({ nothrow: true, stdio: 'inherit' })`${weft} up`;
if (up.exitCode !== 0) process.exit(up.exitCode ?? 1);
step('weft status');
await $({ stdio: 'inherit' })`${weft} status`;
step('weft env --json');
await $({ stdio: 'inherit' })`${weft} --json env`;
step('weft run -- weft-demo-info');
await $({ stdio: 'inherit' })`${weft} run -- weft-demo-info`;
step('weft run -- greeter');
const run = await $({ nothrow: true, stdio: 'inherit' })`${weft} run -- greeter`;
console.log('\nThe checkouts are in demo/workspace; try: eval "$(node bin/weft.js --manifest manifests/demo.yaml env)"');
process.exit(run.exitCode ?? 1);
