// Every profile folder (specs/profiles/NAME/) loads, generates its catalogue, has reference-bank
// data the sandbox reads, and an example bank file that validates against
// banks/bank-file.schema.json, names the folder's profile, and loads once its variables are set.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadBankFile } from '../config/load.js';
import { ConfigError } from '../config/types.js';
import { projectPath } from '../core/paths.js';
import { loadProfile, profileNames } from '../config/profile.js';
import { buildCatalogue } from '../rules/catalogue/generate.js';
import { loadProfileSpec } from '../schemas/load-profile-spec.js';
import { getProfile } from '../sandbox/profiles.js';

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(JSON.parse(readFileSync(projectPath('banks', 'bank-file.schema.json'), 'utf8')) as object);
const example = (name: string): string => projectPath('specs', 'profiles', name, 'example-bank.yaml');

const dir = mkdtempSync(join(tmpdir(), 'cc-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const pem = (name: string, label: string): string => {
  const f = join(dir, name);
  writeFileSync(f, `-----BEGIN ${label}-----\nAAAA\n-----END ${label}-----\n`);
  return f;
};

describe('shipped profiles', () => {
  it('are berlin-group, bits-no and handelsbanken', () => {
    expect(profileNames()).toEqual(expect.arrayContaining(['berlin-group', 'bits-no', 'handelsbanken']));
  });

  it.each(profileNames())('%s generates a catalogue with unique ids, has reference-bank data and an example bank file that validates', (name) => {
    const profile = loadProfile(name);
    expect(profile.folder).toBe(projectPath('specs', 'profiles', name));
    expect(profile.exampleBank).toBe(example(name));
    expect(profile.referenceBank).toBe(projectPath('specs', 'profiles', name, 'reference-bank.yaml'));
    expect(getProfile(name).id).toBe(name);
    const catalogue = buildCatalogue(loadProfileSpec(profile), profile);
    const ids = catalogue.rules.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThan(50);
    const doc = parse(readFileSync(example(name), 'utf8')) as { profile: string };
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(doc.profile).toBe(name);
  });
});

describe('the example bank files load once their variables are set', () => {
  const profiles = { profiles: profileNames() };

  it('bits-no: consent, QSealC files from the environment, PSU-IP-Address, TPP-Redirect-URI and x-accept-fix', () => {
    const env = { SRBANK_CONSENT_ID: 'consent-1', SRBANK_QSEAL_CERT: pem('qseal.pem', 'CERTIFICATE'), SRBANK_QSEAL_KEY: pem('qseal.key', 'PRIVATE KEY') };
    const config = loadBankFile(example('bits-no'), env, profiles);
    expect(config).toMatchObject({ id: 'sr-bank-sandbox', profile: 'bits-no', consent: { id: 'consent-1', create: false } });
    // keyId format and signed date come from the profile (the file leaves the override commented out).
    expect(config.signing).toMatchObject({ certificate: env.SRBANK_QSEAL_CERT });
    expect(config.signingOverrides).toBeUndefined();
    expect(config.psu.ipAddress).toBe('192.0.2.10');
    expect(config.tpp?.redirectUri).toMatch(/^https:\/\//);
    expect(config.headers).toMatchObject({ 'x-accept-fix': 'none' });
    expect(config.secrets).toContain('consent-1');
  });

  it('bits-no: without the certificate variables it is a configuration error naming the field', () => {
    let error: unknown;
    try {
      loadBankFile(example('bits-no'), { SRBANK_CONSENT_ID: 'c' }, profiles);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('signing.certificate');
  });

  it('handelsbanken: a pre-authorised consent, the client id and the access token as secrets', () => {
    const env = { HANDELSBANKEN_CONSENT_ID: 'consent-2', HANDELSBANKEN_CLIENT_ID: 'client-2', HANDELSBANKEN_ACCESS_TOKEN: 'token-2' };
    const config = loadBankFile(example('handelsbanken'), env, profiles);
    expect(config).toMatchObject({ id: 'handelsbanken-sandbox', profile: 'handelsbanken', consent: { id: 'consent-2', create: false } });
    expect(config.headers).toEqual({ 'x-ibm-client-id': 'client-2', authorization: 'Bearer token-2' });
    expect(config.secrets.sort()).toEqual(['client-2', 'consent-2', 'token-2']);
    expect(loadProfile(config.profile).consentPolicy.preAuthorisedOnly).toBe(true);
  });
});
