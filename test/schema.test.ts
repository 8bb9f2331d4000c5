// Keeps schema/weft.schema.json in step with the manifest validator's own key lists.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import * as resolve from '../src/resolve/index.js';

interface Obj {
  properties?: Record<string, unknown>;
  oneOf?: Array<{ $ref: string }>;
  $defs: Record<string, Obj>;
}

const schema = JSON.parse(readFileSync(new URL('../../schema/weft.schema.json', import.meta.url), 'utf8')) as Obj;
const sorted = (keys: Iterable<string>) => [...new Set(keys)].sort();

test('the schema lists exactly the manifest keys the validator accepts', () => {
  assert.equal(sorted(Object.keys(schema.properties ?? {})), sorted(resolve.MANIFEST_KEYS));
});

test('the schema lists exactly the source keys the validator accepts, across all kinds', () => {
  const kinds = schema.$defs['source']!.oneOf!.map((b) => schema.$defs[b.$ref.replace('#/$defs/', '')]!);
  const keys = kinds.flatMap((k) => Object.keys(k.properties ?? {}));
  assert.equal(sorted(keys), sorted(resolve.SOURCE_KEYS));
});

test.run();
