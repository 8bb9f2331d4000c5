import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { redact } from '../src/redact.js';

test('credentials in URLs are replaced', () => {
  assert.is(redact('fetch https://bob:s3cret@git.example.org/x.git failed'), 'fetch https://***@git.example.org/x.git failed');
  assert.is(redact('https://token@host/x'), 'https://***@host/x');
  assert.is(redact('https://host/x?token=abc&y=1'), 'https://host/x?token=***&y=1');
});

test('text without credentials is left alone', () => {
  assert.is(redact('git@github.com:a/b.git and https://host/p'), 'git@github.com:a/b.git and https://host/p');
});

test.run();
