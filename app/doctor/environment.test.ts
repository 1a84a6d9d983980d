import { describe, expect, it } from 'vitest';
import { checkEnvironment, findPlaceholders, unsetPlaceholders } from './environment.js';

describe('findPlaceholders', () => {
  it('finds every ${NAME} with the field that holds it, as the loader names fields', () => {
    const raw = { consent: { id: '${CONSENT}' }, headers: { authorization: 'Bearer ${TOKEN}', 'x-two': '${A}-${B}' }, list: ['${L}'] };
    expect(findPlaceholders(raw)).toEqual([
      { name: 'CONSENT', field: 'consent.id' },
      { name: 'TOKEN', field: 'headers.authorization' },
      { name: 'A', field: 'headers.x-two' },
      { name: 'B', field: 'headers.x-two' },
      { name: 'L', field: 'list[0]' },
    ]);
  });

  it('ignores $${ (a literal ${), keys, and malformed placeholders (the loader reports those)', () => {
    expect(findPlaceholders({ a: '$${NOT_A_VAR}', '${KEY}': 'x', b: '${1BAD}', c: '${OPEN' })).toEqual([]);
  });
});

describe('checkEnvironment', () => {
  const placeholders = [
    { name: 'SET', field: 'consent.id' },
    { name: 'UNSET', field: 'psu.id' },
    { name: 'UNSET', field: 'headers.x-a' },
    { name: 'EMPTY', field: 'headers.x-b' },
  ];
  const env = { SET: 'secret-value', EMPTY: '' };

  it('lists every unset variable with the fields that need it, and never a value', () => {
    const lines = checkEnvironment(placeholders, env);
    expect(lines).toEqual([
      { status: 'pass', check: 'environment', message: 'SET (consent.id) is set' },
      { status: 'fail', check: 'environment', message: 'UNSET is not set (needed by psu.id, headers.x-a)', field: 'psu.id' },
      { status: 'warn', check: 'environment', message: 'EMPTY is set but empty (needed by headers.x-b)', field: 'headers.x-b' },
    ]);
    expect(JSON.stringify(lines)).not.toContain('secret-value');
    expect(unsetPlaceholders(placeholders, env).map((p) => p.field)).toEqual(['psu.id', 'headers.x-a']);
  });

  it('says so when the file reads no variables', () => {
    expect(checkEnvironment([], {})).toEqual([{ status: 'skip', check: 'environment', message: 'the bank file reads no environment variables' }]);
  });
});
