import { describe, expect, it } from 'vitest';
import { substituteEnv, substituteString, SubstitutionError } from './substitute.js';
import { suggest } from './suggest.js';

describe('substituteString', () => {
  const env = { A: 'alpha', B: 'beta', EMPTY: '' };
  const run = (text: string, secrets: string[] = []) => substituteString(text, env, 'f', secrets);

  it('replaces every placeholder and records the values', () => {
    const secrets: string[] = [];
    expect(run('${A}-${B}-${A}', secrets)).toBe('alpha-beta-alpha');
    expect(secrets).toEqual(['alpha', 'beta']);
  });

  it('an empty value is substituted but is no secret (it would redact everything)', () => {
    const secrets: string[] = [];
    expect(run('x${EMPTY}y', secrets)).toBe('xy');
    expect(secrets).toEqual([]);
  });

  it('leaves $ alone unless it opens a placeholder; $${ is a literal ${', () => {
    expect(run('cost $5, $A, $${A}')).toBe('cost $5, $A, ${A}');
  });

  it.each([
    ['${A', "malformed placeholder '${A'"],
    ['${1A}', "malformed placeholder '${1A}'"],
    ['${A-B}', "malformed placeholder '${A-B}'"],
    ['${MISSING}', 'environment variable MISSING is not set'],
  ])('%s → %s', (text, message) => {
    expect(() => run(text)).toThrow(SubstitutionError);
    expect(() => run(text)).toThrow(message);
  });
});

describe('substituteEnv', () => {
  it('walks mappings and lists, records paths whose whole value was a placeholder', () => {
    const result = substituteEnv({ a: { b: '${A}', c: 'x${A}' }, l: ['${A}'], n: 3 }, { A: '7' });
    expect(result.value).toEqual({ a: { b: '7', c: 'x7' }, l: ['7'], n: 3 });
    expect([...result.whollySubstituted].sort()).toEqual(['a.b', 'l[0]']);
    expect(result.secrets).toEqual(['7']);
  });

  it('names the field path of a missing variable', () => {
    expect(() => substituteEnv({ consent: { id: '${C}' } }, {})).toThrow(expect.objectContaining({ path: 'consent.id' }));
  });
});

describe('suggest', () => {
  const fields = ['id', 'name', 'profile', 'baseUrl', 'consent', 'signing'];
  it.each([
    ['baseURL', 'baseUrl'],
    ['base_url', 'baseUrl'],
    ['profil', 'profile'],
    ['consnet', 'consent'],
    ['sign', 'signing'],
    ['colour', undefined],
  ])('%s → %s', (word, expected) => expect(suggest(word, fields)).toBe(expected));
});
