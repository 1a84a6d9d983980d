// The reference bank's data is read from the profile folder over the defaults, checked against
// specs/profiles/reference-bank.schema.json; a problem names the file and the field.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PROFILES_ENV } from '../config/profile-folders.js';
import { projectPath } from '../core/paths.js';
import { loadBankProfile, REFERENCE_BANK_DEFAULTS_PATH, REFERENCE_BANK_SCHEMA_PATH } from './reference-bank-data.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-bank-data-'));
const saved = process.env[PROFILES_ENV];
beforeAll(() => {
  process.env[PROFILES_ENV] = dir;
});
afterAll(() => {
  if (saved === undefined) delete process.env[PROFILES_ENV];
  else process.env[PROFILES_ENV] = saved;
  rmSync(dir, { recursive: true, force: true });
});

const ACCOUNT =
  '{ currency: DKK, home: DK, usage: PRIV, product: P, name: N, bin: "457110", creditLimit: 1000, balanceTypes: [expected], ' +
  'forcedForeign: [SE], owners: [A], displayNames: [D], details: X }';

/** A profile folder named `name` whose reference-bank.yaml is `text`; returns that file. */
function profile(name: string, text: string): string {
  const folder = join(dir, name);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'profile.yaml'), readFileSync(projectPath('specs', 'profiles', 'berlin-group', 'profile.yaml')));
  writeFileSync(join(folder, 'reference-bank.yaml'), text);
  return join(folder, 'reference-bank.yaml');
}

describe('reference-bank data', () => {
  it('the schema is valid JSON Schema, and the defaults file follows it', () => {
    const ajv = new Ajv2020({ strict: true, strictRequired: false });
    const validate = ajv.compile(JSON.parse(readFileSync(REFERENCE_BANK_SCHEMA_PATH, 'utf8')) as object);
    expect(validate(parse(readFileSync(REFERENCE_BANK_DEFAULTS_PATH, 'utf8'))) ? [] : validate.errors).toEqual([]);
  });

  it('a profile gives title and accounts; the rest comes from the defaults, countries and rates merge', () => {
    profile('dk-a', `title: Danish\naccounts: [${ACCOUNT}]\nmaskChar: "*"\nratesPerEur: { ISK: 150 }\n`);
    const p = loadBankProfile('dk-a');
    expect(p).toMatchObject({ id: 'dk-a', title: 'Danish', maskChar: '*', wire: 'berlin-group', consentEndpoints: true });
    expect(p.ratesPerEur).toMatchObject({ EUR: 1, DKK: 7.46, ISK: 150 });
    expect(Object.keys(p.countries)).toContain('DK');
  });

  it.each([
    ['a field of the wrong type', `title: T\naccounts: [${ACCOUNT}]\nmaskChar: 7\n`, 'maskChar: must be a string'],
    ['an unknown field', `title: T\naccounts: [${ACCOUNT}]\nmaskChars: x\n`, 'maskChars: unknown field'],
    ['no accounts', 'title: T\n', 'accounts: missing'],
    ['an account in an unknown country', `title: T\naccounts: [${ACCOUNT.replace('home: DK', 'home: IS')}]\n`, "accounts[0].home: unknown country 'IS'"],
    ['a currency without a rate', `title: T\naccounts: [${ACCOUNT.replace('currency: DKK', 'currency: ISK')}]\n`, "accounts[0].currency: 'ISK' has no rate"],
    ['a wire shape the bank does not have', `title: T\naccounts: [${ACCOUNT}]\nwire: other\n`, 'wire: must be equal to one of the allowed values'],
  ])('%s is a ConfigError naming the file and field', (_what, text, message) => {
    const name = `bad-${Math.abs(text.split('').reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7))}`;
    const file = profile(name, text);
    expect(() => loadBankProfile(name)).toThrow(`${file}: ${message}`);
  });
});
