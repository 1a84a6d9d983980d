import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, defaultBankConfig, loadBankFile } from './load.js';
import { ConfigError } from './types.js';

const PROFILES = ['berlin-group', 'bits-no', 'handelsbanken'];
const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIE\n-----END PRIVATE KEY-----\n';
const MINIMAL = 'id: sr-bank\nprofile: bits-no\nbaseUrl: https://api.bank.example/psd2\nconsent: { create: true }\n';

let dir: string;
let n = 0;

/** Writes a bank file into the temp folder and returns its path. */
function bankFile(text: string): string {
  const path = join(dir, `bank-${++n}.yaml`);
  writeFileSync(path, text);
  return path;
}

function load(text: string, env: NodeJS.ProcessEnv = {}) {
  return loadBankFile(bankFile(text), env, { profiles: PROFILES });
}

/** Loads and returns the ConfigError, failing the test when there is none. */
function loadError(text: string, env: NodeJS.ProcessEnv = {}): { error: ConfigError; file: string } {
  const file = bankFile(text);
  try {
    loadBankFile(file, env, { profiles: PROFILES });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return { error: err as ConfigError, file };
  }
  throw new Error('expected a ConfigError');
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bank-config-'));
  mkdirSync(join(dir, 'certs'));
  writeFileSync(join(dir, 'certs', 'qseal.pem'), CERT);
  writeFileSync(join(dir, 'certs', 'qseal.key'), KEY);
  writeFileSync(join(dir, 'certs', 'ca.pem'), CERT);
  writeFileSync(join(dir, 'certs', 'not-pem.der'), Buffer.from([0x30, 0x82, 0x01]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadBankFile: valid files', () => {
  it('loads the smallest valid file and applies the defaults', () => {
    const file = bankFile(MINIMAL);
    const config = loadBankFile(file, {}, { profiles: PROFILES });
    expect(config).toEqual({
      id: 'sr-bank',
      name: 'sr-bank',
      profile: 'bits-no',
      baseUrl: 'https://api.bank.example/psd2',
      consent: { create: true },
      psu: { ipAddress: '192.0.2.10' },
      limits: {
        concurrency: 4,
        requestsPerSecond: 5,
        timeoutMs: 10_000,
        retries: 2,
        maxBodyBytes: 5 * 1024 * 1024,
        maxAccounts: 50,
        maxPages: 50,
        negativeRequests: 12,
      },
      allowedOrigins: [],
      signingRequired: false,
      headers: {},
      source: file,
      secrets: [],
    });
  });

  it('loads a full file: files resolved against its folder, header names lower-cased', () => {
    const config = load(`
id: full-bank
name: Full bank
profile: berlin-group
baseUrl: https://api.bank.example/v/
consent: { id: consent-123 }
psu: { ipAddress: 198.51.100.7, id: psu-1, corporateId: corp-9 }
signing:
  certificate: certs/qseal.pem
  key: certs/qseal.key
  keyIdFormat: adorsys
  signDate: true
  signRequestTarget: true
  digestAlgorithm: SHA-512
tls: { certificate: certs/qseal.pem, key: certs/qseal.key, ca: certs/ca.pem }
limits: { concurrency: 2, requestsPerSecond: 0.5, timeoutMs: 3000, retries: 0, maxBodyBytes: 1024 }
headers: { X-Accept-Fix: "1" }
`);
    expect(config.baseUrl).toBe('https://api.bank.example/v');
    expect(config.consent).toEqual({ id: 'consent-123', create: false });
    expect(config.psu).toEqual({ ipAddress: '198.51.100.7', id: 'psu-1', corporateId: 'corp-9' });
    expect(config.signing).toEqual({
      certificate: join(dir, 'certs', 'qseal.pem'),
      key: join(dir, 'certs', 'qseal.key'),
      keyIdFormat: 'adorsys',
      signDate: true,
      signRequestTarget: true,
      digestAlgorithm: 'SHA-512',
    });
    expect(config.tls).toEqual({
      certificate: join(dir, 'certs', 'qseal.pem'),
      key: join(dir, 'certs', 'qseal.key'),
      ca: join(dir, 'certs', 'ca.pem'),
    });
    expect(config.limits).toEqual({
      concurrency: 2,
      requestsPerSecond: 0.5,
      timeoutMs: 3000,
      retries: 0,
      maxBodyBytes: 1024,
      maxAccounts: 50,
      maxPages: 50,
      negativeRequests: 12,
    });
    expect(config.headers).toEqual({ 'x-accept-fix': '1' });
    // Consent and PSU ids are secrets even when written literally.
    expect(config.secrets.sort()).toEqual(['consent-123', 'corp-9', 'psu-1']);
  });

  it('signing defaults: bg-example keyId, Date and (request-target) unsigned, SHA-256', () => {
    const config = load(`${MINIMAL}signing: { certificate: certs/qseal.pem, key: certs/qseal.key }\n`);
    expect(config.signing).toMatchObject({ keyIdFormat: 'bg-example', signDate: false, signRequestTarget: false, digestAlgorithm: 'SHA-256' });
  });

  it('checks the profile against the profile folders when no list is given', () => {
    expect(loadBankFile(bankFile(MINIMAL), {}).profile).toBe('bits-no');
    expect(() => loadBankFile(bankFile(MINIMAL.replace('bits-no', 'bits')), {})).toThrow(
      /: profile: unknown profile 'bits' \(did you mean bits-no\?\); known profiles: berlin-group, bits-no, handelsbanken/,
    );
  });
});

describe('loadBankFile: ${VAR} substitution', () => {
  it('substitutes anywhere in a string and collects every value as a secret', () => {
    const config = load(
      `
id: sr-bank
profile: bits-no
baseUrl: https://\${BANK_HOST}/psd2
consent:
  id: \${SRBANK_CONSENT_ID}
psu: { id: "psu-\${PSU_NUMBER}" }
headers: { authorization: "Bearer \${TOKEN}" }
`,
      { BANK_HOST: 'api.sr.example', SRBANK_CONSENT_ID: 'c-42', PSU_NUMBER: '0007', TOKEN: 'tok-secret' },
    );
    expect(config.baseUrl).toBe('https://api.sr.example/psd2');
    expect(config.consent.id).toBe('c-42');
    expect(config.psu.id).toBe('psu-0007');
    expect(config.headers.authorization).toBe('Bearer tok-secret');
    expect(config.secrets).toEqual(expect.arrayContaining(['api.sr.example', 'c-42', '0007', 'tok-secret', 'psu-0007']));
    expect(config.secrets).toHaveLength(5);
  });

  it('a whole-value placeholder may fill a number or boolean field', () => {
    const config = load(
      `${MINIMAL}limits: { timeoutMs: "\${TIMEOUT}" }\nsigning: { certificate: certs/qseal.pem, key: certs/qseal.key, signDate: "\${SIGN_DATE}" }\n`,
      { TIMEOUT: '2500', SIGN_DATE: 'true' },
    );
    expect(config.limits.timeoutMs).toBe(2500);
    expect(config.signing?.signDate).toBe(true);
  });

  it('$${ is a literal ${ and a lone $ stays', () => {
    const config = load(`${MINIMAL}headers: { x-template: "$\${NOT_A_VAR} costs $5" }\n`);
    expect(config.headers['x-template']).toBe('${NOT_A_VAR} costs $5');
    expect(config.secrets).toEqual([]);
  });

  it('does not substitute in keys', () => {
    const { error } = loadError(`${MINIMAL}\${X}: 1\n`, { X: 'name' });
    expect(error.field).toBe('${X}');
  });
});

describe('loadBankFile: errors name the file and the field', () => {
  // [case, file text, env, field (undefined: file-level), fragment of the detail]
  const cases: [string, string, NodeJS.ProcessEnv, string | undefined, string | RegExp][] = [
    ['malformed YAML', 'id: a\nprofile: [bits-no\nbaseUrl: x\n', {}, undefined, /invalid YAML at line \d+, column \d+/],
    [
      'unquoted placeholder in flow style',
      MINIMAL.replace('{ create: true }', '{ id: ${X} }'),
      { X: 'c' },
      undefined,
      /line 4, column \d+: .*quote \$\{…\} placeholders/,
    ],
    ['duplicate key', `${MINIMAL}id: again\n`, {}, undefined, /line 5, column 1: Map keys must be unique/],
    ['empty file', '# nothing here\n', {}, undefined, 'the file is empty'],
    ['a list, not a mapping', '- id: a\n', {}, undefined, 'expected a mapping'],
    ['a scalar, not a mapping', 'just text\n', {}, undefined, 'expected a mapping'],
    ['id missing', MINIMAL.replace('id: sr-bank\n', ''), {}, 'id', 'required'],
    ['id with capitals', MINIMAL.replace('sr-bank', 'SR_Bank'), {}, 'id', "'SR_Bank' must match [a-z0-9-]+"],
    ['id a number', MINIMAL.replace('sr-bank', '42'), {}, 'id', 'must be a string, found a number'],
    ['profile missing', MINIMAL.replace('profile: bits-no\n', ''), {}, 'profile', 'required (one of berlin-group, bits-no, handelsbanken)'],
    [
      'profile unknown',
      MINIMAL.replace('bits-no', 'bits'),
      {},
      'profile',
      "unknown profile 'bits' (did you mean bits-no?); known profiles: berlin-group, bits-no, handelsbanken",
    ],
    ['baseUrl missing', MINIMAL.replace(/baseUrl.*\n/, ''), {}, 'baseUrl', 'required'],
    ['baseUrl relative', MINIMAL.replace('https://api.bank.example/psd2', '/psd2'), {}, 'baseUrl', 'is not an absolute URL'],
    ['baseUrl not http', MINIMAL.replace('https://api.bank.example/psd2', 'ftp://bank.example'), {}, 'baseUrl', 'must be an http or https URL'],
    ['baseUrl with credentials', MINIMAL.replace('https://', 'https://u:p@'), {}, 'baseUrl', 'must not contain credentials'],
    ['baseUrl with query', MINIMAL.replace('/psd2', '/psd2?x=1'), {}, 'baseUrl', 'must not have a query string'],
    ['consent missing', MINIMAL.replace(/consent.*\n/, ''), {}, 'consent', 'required: give consent.id'],
    ['consent neither id nor create', MINIMAL.replace('{ create: true }', '{ create: false }'), {}, 'consent', 'give id'],
    ['consent both', MINIMAL.replace('{ create: true }', '{ id: c1, create: true }'), {}, 'consent', 'not both'],
    ['consent a string', MINIMAL.replace('{ create: true }', 'c-1'), {}, 'consent', 'must be a mapping'],
    ['consent.create not boolean', MINIMAL.replace('create: true', 'create: yes'), {}, 'consent.create', 'must be true or false'],
    [
      'unset variable',
      MINIMAL.replace('{ create: true }', '{ id: "${SRBANK_CONSENT_ID}" }'),
      {},
      'consent.id',
      'environment variable SRBANK_CONSENT_ID is not set',
    ],
    ['malformed placeholder', `${MINIMAL}headers: { x-a: "\${oops" }\n`, {}, 'headers.x-a', "malformed placeholder '${oops'"],
    ['empty substituted consent id', MINIMAL.replace('{ create: true }', '{ id: "${C}" }'), { C: '' }, 'consent.id', 'must not be empty'],
    ['psu.ipAddress not IPv4', `${MINIMAL}psu: { ipAddress: 2001:db8::1 }\n`, {}, 'psu.ipAddress', 'is not an IPv4 address'],
    ['psu.ipAddress out of range', `${MINIMAL}psu: { ipAddress: 192.0.2.300 }\n`, {}, 'psu.ipAddress', 'is not an IPv4 address'],
    ['signing.key without certificate', `${MINIMAL}signing: { key: certs/qseal.key }\n`, {}, 'signing.certificate', 'required when signing.key is given'],
    [
      'signing.certificate without key',
      `${MINIMAL}signing: { certificate: certs/qseal.pem }\n`,
      {},
      'signing.key',
      'required when signing.certificate is given',
    ],
    ['signing without files', `${MINIMAL}signing: { signDate: true }\n`, {}, 'signing', 'certificate and key are required'],
    [
      'signing.certificate missing file',
      `${MINIMAL}signing: { certificate: certs/nope.pem, key: certs/qseal.key }\n`,
      {},
      'signing.certificate',
      /cannot read certs\/nope\.pem \(.*certs\/nope\.pem\): no such file/,
    ],
    ['signing.key is a folder', `${MINIMAL}signing: { certificate: certs/qseal.pem, key: certs }\n`, {}, 'signing.key', 'is a folder'],
    [
      'signing.key not PEM',
      `${MINIMAL}signing: { certificate: certs/qseal.pem, key: certs/not-pem.der }\n`,
      {},
      'signing.key',
      'is not a PEM file with a PRIVATE KEY block',
    ],
    [
      'signing.keyIdFormat unknown',
      `${MINIMAL}signing: { certificate: certs/qseal.pem, key: certs/qseal.key, keyIdFormat: adorsis }\n`,
      {},
      'signing.keyIdFormat',
      "'adorsis' is not one of bg-example, adorsys, plain-rfc2253, decimal-serial (did you mean adorsys?)",
    ],
    [
      'signing.digestAlgorithm unknown',
      `${MINIMAL}signing: { certificate: certs/qseal.pem, key: certs/qseal.key, digestAlgorithm: MD5 }\n`,
      {},
      'signing.digestAlgorithm',
      'is not one of SHA-256, SHA-512',
    ],
    [
      'signing.signDate not boolean',
      `${MINIMAL}signing: { certificate: certs/qseal.pem, key: certs/qseal.key, signDate: "no" }\n`,
      {},
      'signing.signDate',
      'must be true or false',
    ],
    ['tls.ca missing file', `${MINIMAL}tls: { ca: ca/missing.pem }\n`, {}, 'tls.ca', 'no such file'],
    ['tls.certificate without key', `${MINIMAL}tls: { certificate: certs/qseal.pem }\n`, {}, 'tls.key', 'required when tls.certificate is given'],
    ['limits.concurrency zero', `${MINIMAL}limits: { concurrency: 0 }\n`, {}, 'limits.concurrency', 'must be a whole number from 1 to 64, found 0'],
    [
      'limits.timeoutMs fraction',
      `${MINIMAL}limits: { timeoutMs: 2.5 }\n`,
      {},
      'limits.timeoutMs',
      'must be a whole number from 1000 to 600000 (milliseconds: 1 s to 10 min), found 2.5',
    ],
    ['limits.retries negative', `${MINIMAL}limits: { retries: -1 }\n`, {}, 'limits.retries', 'must be a whole number from 0 to 10, found -1'],
    [
      'limits.requestsPerSecond negative',
      `${MINIMAL}limits: { requestsPerSecond: -1 }\n`,
      {},
      'limits.requestsPerSecond',
      'must be 0 (unlimited) or a number from 0.1 to 1000, found -1',
    ],
    ['limits.maxBodyBytes a string', `${MINIMAL}limits: { maxBodyBytes: 5MB }\n`, {}, 'limits.maxBodyBytes', 'found a string'],
    [
      'limits placeholder not a number',
      `${MINIMAL}limits: { timeoutMs: "\${T}" }\n`,
      { T: 'soon' },
      'limits.timeoutMs',
      'must be a whole number from 1000 to 600000 (milliseconds: 1 s to 10 min), found a string',
    ],
    ['limits a list', `${MINIMAL}limits: [1]\n`, {}, 'limits', 'must be a mapping'],
    ['headers value a number', `${MINIMAL}headers: { x-accept-fix: 1 }\n`, {}, 'headers.x-accept-fix', 'must be a string, found a number (quote it)'],
    ['headers bad name', `${MINIMAL}headers: { "x bad": v }\n`, {}, 'headers.x bad', 'not a valid header name'],
    ['headers non-Latin-1', `${MINIMAL}headers: { x-name: "Łukasz" }\n`, {}, 'headers.x-name', 'outside Latin-1'],
    ['headers repeated', `${MINIMAL}headers: { X-A: "1", x-a: "2" }\n`, {}, 'headers.x-a', 'repeats header x-a'],
    ['unknown top-level field', MINIMAL.replace('baseUrl', 'baseURL'), {}, 'baseURL', 'unknown field (did you mean baseUrl?)'],
    [
      'unknown nested field',
      `${MINIMAL}signing: { certificate: certs/qseal.pem, key: certs/qseal.key, keyIDFormat: adorsys }\n`,
      {},
      'signing.keyIDFormat',
      'unknown field (did you mean keyIdFormat?)',
    ],
    ['unknown field, no suggestion', `${MINIMAL}colour: blue\n`, {}, 'colour', 'unknown field (known fields: id, name, profile'],
  ];

  it.each(cases)('%s', (_name, text, env, field, fragment) => {
    const { error, file } = loadError(text, env);
    expect(error.file).toBe(file);
    expect(error.field).toBe(field);
    const prefix = field ? `${file}: ${field}: ` : `${file}: `;
    expect(error.message.startsWith(prefix)).toBe(true);
    if (typeof fragment === 'string') expect(error.message).toContain(fragment);
    else expect(error.message).toMatch(fragment);
    // One line, so the command line can print it as is.
    expect(error.message).not.toContain('\n');
  });

  it('the unset-variable message reads as documented', () => {
    const dirName = join(dir, 'banks');
    mkdirSync(dirName, { recursive: true });
    writeFileSync(join(dirName, 'sr.yaml'), MINIMAL.replace('{ create: true }', '{ id: "${SRBANK_CONSENT_ID}" }'));
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(() => loadBankFile('banks/sr.yaml', {}, { profiles: PROFILES })).toThrow(
        'banks/sr.yaml: consent.id: environment variable SRBANK_CONSENT_ID is not set',
      );
    } finally {
      process.chdir(cwd);
    }
  });

  it('a missing bank file is a ConfigError', () => {
    const missing = join(dir, 'nope.yaml');
    expect(() => loadBankFile(missing, {})).toThrow(new ConfigError(missing, undefined, 'cannot read the bank file: no such file'));
  });

  it.skipIf(process.getuid?.() === 0)('an unreadable bank file is a ConfigError', () => {
    const file = bankFile(MINIMAL);
    chmodSync(file, 0o000);
    expect(() => loadBankFile(file, {})).toThrow(`${file}: cannot read the bank file: permission denied`);
  });

  it('never echoes a value that came from the environment', () => {
    const { error } = loadError(MINIMAL.replace('sr-bank', '${BANK_ID}'), { BANK_ID: 'Secret Value' });
    expect(error.field).toBe('id');
    expect(error.message).not.toContain('Secret Value');
  });
});

describe('defaultBankConfig', () => {
  it('describes the built-in reference bank', () => {
    expect(defaultBankConfig('http://127.0.0.1:4010/', 'berlin-group')).toEqual({
      id: 'reference-bank',
      name: 'Reference bank',
      profile: 'berlin-group',
      baseUrl: 'http://127.0.0.1:4010',
      consent: { create: true },
      psu: { ipAddress: '192.0.2.10' },
      limits: { ...DEFAULT_LIMITS, requestsPerSecond: 0 },
      allowedOrigins: [],
      signingRequired: true,
      headers: {},
      source: '(built-in reference bank)',
      secrets: [],
    });
  });
});
