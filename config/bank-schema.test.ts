import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { projectPath } from '../core/paths.js';
import { profileNames } from './profile.js';
import { resolvedBankFileSchema } from './bank-schema.js';
import { BANK_FILE_FIELDS, KEY_ID_FORMATS, loadBankFile } from './load.js';

// banks/ is outside vitest's include list, so the example and the schema are checked from here.
const schemaPath = projectPath('banks', 'bank-file.schema.json');
const examplePath = projectPath('specs', 'profiles', 'berlin-group', 'example-bank.yaml');
const schema = JSON.parse(readFileSync(schemaPath, 'utf8')) as {
  properties: Record<string, { properties?: Record<string, { enum?: string[] }> }>;
};

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
addFormats(ajv);
const validate = ajv.compile(schema);

function errorsOf(doc: unknown): string[] {
  return validate(doc) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('banks/bank-file.schema.json', () => {
  it('is a valid draft 2020-12 schema (compiles in strict mode)', () => {
    expect(typeof validate).toBe('function');
  });

  it("the loader's copy (placeholders taken out) is a valid schema too", () => {
    const strict = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, validateSchema: true });
    addFormats(strict);
    expect(typeof strict.compile(resolvedBankFileSchema())).toBe('function');
    expect(JSON.stringify(resolvedBankFileSchema())).not.toContain('#/$defs/placeholder');
  });

  it('accepts the example bank file', () => {
    const example = readFileSync(examplePath, 'utf8');
    expect(example.split('\n')[0]).toBe('# yaml-language-server: $schema=../../../banks/bank-file.schema.json');
    expect(errorsOf(parse(example))).toEqual([]);
  });

  it('the example loads with its variables set, and they become secrets', () => {
    const env = { BANK_CONSENT_ID: 'consent-1', BANK_PSU_ID: 'psu-1', BANK_API_KEY: 'key-1' };
    const config = loadBankFile(examplePath, env, { profiles: ['berlin-group'] });
    expect(config.id).toBe('example-bg-sandbox');
    expect(config.headers['x-api-key']).toBe('key-1');
    expect(config.secrets.sort()).toEqual(['consent-1', 'key-1', 'psu-1']);
  });

  it('accepts the smallest valid file and placeholders in typed fields', () => {
    expect(errorsOf({ id: 'a', profile: 'berlin-group', baseUrl: 'https://x.example', consent: { create: true } })).toEqual([]);
    expect(errorsOf({ id: 'a', profile: 'bits-no', baseUrl: '${URL}', consent: { id: '${C}' }, limits: { timeoutMs: '${T}' } })).toEqual([]);
    expect(
      errorsOf({
        id: 'a',
        profile: 'bits-no',
        baseUrl: 'https://x',
        consent: { create: '${CREATE}' },
        signing: { certificate: 'c.pem', key: 'k.pem', keyPassphrase: '${PASS}' },
        limits: { requestsPerSecond: 0, concurrency: '${N}' },
      }),
    ).toEqual([]);
  });

  it.each([
    ['missing consent', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x.example' }],
    ['bad id', { id: 'A B', profile: 'berlin-group', baseUrl: 'https://x.example', consent: { create: true } }],
    ['unknown field', { id: 'a', profile: 'berlin-group', baseURL: 'https://x.example', consent: { create: true } }],
    ['consent both', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x.example', consent: { id: 'c', create: true } }],
    ['consent create false', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x.example', consent: { create: false } }],
    ['relative baseUrl', { id: 'a', profile: 'berlin-group', baseUrl: '/psd2', consent: { create: true } }],
    ['IPv6 PSU address', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x', consent: { create: true }, psu: { ipAddress: '::1' } }],
    ['signing key alone', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x', consent: { create: true }, signing: { key: 'k.pem' } }],
    ['tls key alone', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x', consent: { create: true }, tls: { key: 'k.pem' } }],
    ['zero concurrency', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x', consent: { create: true }, limits: { concurrency: 0 } }],
    ['numeric header', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x', consent: { create: true }, headers: { 'x-a': 1 } }],
    ['timeoutMs below 1 s', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x', consent: { create: true }, limits: { timeoutMs: 100 } }],
    ['timeoutMs beyond the timer', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x', consent: { create: true }, limits: { timeoutMs: 2 ** 31 } }],
    ['requestsPerSecond 0.0001', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x', consent: { create: true }, limits: { requestsPerSecond: 0.0001 } }],
    ['concurrency 65', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x', consent: { create: true }, limits: { concurrency: 65 } }],
    ['a 201-character name', { id: 'a', name: 'n'.repeat(201), profile: 'berlin-group', baseUrl: 'https://x', consent: { create: true } }],
    ['a header value with CR LF', { id: 'a', profile: 'berlin-group', baseUrl: 'https://x', consent: { create: true }, headers: { 'x-a': 'a\r\nb' } }],
    [
      'a passphrase written in the file',
      {
        id: 'a',
        profile: 'berlin-group',
        baseUrl: 'https://x',
        consent: { create: true },
        signing: { certificate: 'c.pem', key: 'k.pem', keyPassphrase: 'hunter2' },
      },
    ],
  ])('rejects %s', (_name, doc) => {
    expect(errorsOf(doc)).not.toEqual([]);
  });

  it('lists the same fields as the loader', () => {
    const sections = Object.keys(BANK_FILE_FIELDS).filter((s) => s !== 'root') as (keyof typeof BANK_FILE_FIELDS)[];
    expect(Object.keys(schema.properties).sort()).toEqual([...BANK_FILE_FIELDS.root].sort());
    for (const section of sections) {
      expect(Object.keys(schema.properties[section]?.properties ?? {}).sort(), section).toEqual([...BANK_FILE_FIELDS[section]].sort());
    }
    expect(schema.properties.signing?.properties?.keyIdFormat?.enum).toEqual([...KEY_ID_FORMATS]);
  });

  it('lists no profiles by hand: the loader checks the name against the profile folders', () => {
    expect(JSON.stringify(schema.properties.profile)).not.toContain('"enum"');
    expect(profileNames()).toEqual(expect.arrayContaining(['berlin-group', 'bits-no', 'handelsbanken']));
  });
});
