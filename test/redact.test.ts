import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { redact } from '../src/redact.js';

test('credentials in URLs are replaced', () => {
  assert.is(redact('fetch https://bob:s3cret@git.example.org/x.git failed'), 'fetch https://***@git.example.org/x.git failed');
  assert.is(redact('https://token@host/x'), 'https://***@host/x');
  assert.is(redact('https://host/x?token=abc&y=1'), 'https://host/x?token=***&y=1');
});

test('a token parameter loses its whole value, and only its value: punctuation after the URL stays', () => {
  assert.is(redact('fetching https://host/x?token=abc: connection refused'), 'fetching https://host/x?token=***: connection refused');
  assert.is(redact("cannot reach 'https://host/a.tgz?sig=s1g'."), "cannot reach 'https://host/a.tgz?sig=***'.");
  assert.is(redact('(https://host/a?password=pw), then'), '(https://host/a?password=***), then');
  assert.is(redact('https://host/a?token=abc'), 'https://host/a?token=***');
  // A colon, quote or dot inside the value is the value's.
  assert.is(redact('https://host/a?token=ab:cd.ef"gh x'), 'https://host/a?token=*** x');
  assert.is(redact('https://host/a?access_token=t0k#frag'), 'https://host/a?access_token=***#frag');
});

test('text without credentials is left alone', () => {
  assert.is(redact('git@github.com:a/b.git and https://host/p'), 'git@github.com:a/b.git and https://host/p');
});

test.run();
