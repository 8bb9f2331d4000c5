import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { userConfigPath } from '../../src/resolve/config-path.js';
import { trustFilePath } from '../../src/shell/trust.js';

test('the user config and the trust records are found in the same place: an absolute XDG_CONFIG_HOME, else ~/.config (a relative one is ignored, as the XDG spec says)', () => {
  for (const [env, dir] of [
    [{ HOME: '/home/u', XDG_CONFIG_HOME: '/cfg' }, '/cfg/weft'],
    [{ HOME: '/home/u', XDG_CONFIG_HOME: 'relative/cfg' }, '/home/u/.config/weft'],
    [{ HOME: '/home/u', XDG_CONFIG_HOME: '' }, '/home/u/.config/weft'],
    [{ HOME: '/home/u' }, '/home/u/.config/weft'],
  ] as const) {
    assert.is(userConfigPath(env), `${dir}/config.yaml`, JSON.stringify(env));
    assert.is(trustFilePath(env), `${dir}/trust.json`, JSON.stringify(env));
  }
});

test.run();
