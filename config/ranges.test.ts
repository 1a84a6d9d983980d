// The bounds the bank-file schema sets: limit ranges, string lengths, header names and values,
// allowedOrigins, and signing.keyPassphrase for encrypted keys. Each refusal is one line naming
// the file and the field.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTestPki } from '../transport/pki/generate.js';
import { loadProfile } from './profile.js';
import { signingFor } from '../app/run/signing.js';
import { verifyRequest } from '../sandbox/signature/verify-request.js';
import { loadBankFile } from './load.js';
import { ConfigError } from './types.js';

const MINIMAL = 'id: sr-bank\nprofile: bits-no\nbaseUrl: https://api.bank.example/psd2\nconsent: { create: true }\n';
const PROFILES = ['berlin-group', 'bits-no', 'handelsbanken'];

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bank-ranges-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(text: string): string {
  const file = join(dir, `bank-${++n}.yaml`);
  writeFileSync(file, text);
  return file;
}
const load = (text: string, env: NodeJS.ProcessEnv = {}) => loadBankFile(write(text), env, { profiles: PROFILES });
function refusal(text: string, env: NodeJS.ProcessEnv = {}): ConfigError {
  const file = write(text);
  try {
    loadBankFile(file, env, { profiles: PROFILES });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    const error = e as ConfigError;
    expect(error.message.startsWith(`${file}: `)).toBe(true);
    expect(error.message).not.toContain('\n');
    return error;
  }
  throw new Error('expected a ConfigError');
}

describe('limits: ranges', () => {
  // [field, lowest accepted, highest accepted, refused values, wording of the range]
  const ranges: [string, number, number, number[], string][] = [
    ['timeoutMs', 1000, 600_000, [999, 600_001, 2 ** 31, 0], 'a whole number from 1000 to 600000 (milliseconds: 1 s to 10 min)'],
    ['requestsPerSecond', 0.1, 1000, [0.0001, 0.05, 1001, -1], '0 (unlimited) or a number from 0.1 to 1000'],
    ['concurrency', 1, 64, [0, 65, 1.5], 'a whole number from 1 to 64'],
    ['retries', 0, 10, [-1, 11], 'a whole number from 0 to 10'],
    ['maxBodyBytes', 1024, 50 * 1024 * 1024, [1023, 50 * 1024 * 1024 + 1], 'a whole number from 1024 to 52428800 (bytes; 52428800 is 50 MiB)'],
    ['maxAccounts', 1, 10_000, [0, 10_001], 'a whole number from 1 to 10000'],
    ['maxPages', 1, 1000, [0, 1001], 'a whole number from 1 to 1000'],
    ['negativeRequests', 0, 1000, [-1, 1001, 2.5], 'a whole number from 0 to 1000'],
  ];

  it.each(ranges)('%s: both ends accepted, outside refused', (field, low, high, refused, wording) => {
    for (const ok of [low, high]) expect(load(`${MINIMAL}limits: { ${field}: ${ok} }\n`).limits[field as 'timeoutMs']).toBe(ok);
    for (const bad of refused) {
      const error = refusal(`${MINIMAL}limits: { ${field}: ${bad} }\n`);
      expect(error.field).toBe(`limits.${field}`);
      expect(error.message).toContain(`must be ${wording}, found ${bad}`);
    }
  });

  it('requestsPerSecond 0 means unlimited and is accepted', () => {
    expect(load(`${MINIMAL}limits: { requestsPerSecond: 0 }\n`).limits.requestsPerSecond).toBe(0);
  });

  it('a placeholder is checked after substitution', () => {
    expect(load(`${MINIMAL}limits: { timeoutMs: "\${T}" }\n`, { T: '20000' }).limits.timeoutMs).toBe(20_000);
    expect(refusal(`${MINIMAL}limits: { timeoutMs: "\${T}" }\n`, { T: '99999999' }).field).toBe('limits.timeoutMs');
  });
});

describe('string lengths', () => {
  it('a 1 MB name is refused without being echoed', () => {
    const error = refusal(`${MINIMAL}name: ${'x'.repeat(1_000_000)}\n`);
    expect(error.field).toBe('name');
    expect(error.message).toContain('is 1000000 characters long; at most 200 are allowed');
    expect(error.message.length).toBeLessThan(500);
  });

  it('id up to 64 characters', () => {
    expect(load(MINIMAL.replace('sr-bank', 'a'.repeat(64))).id).toHaveLength(64);
    expect(refusal(MINIMAL.replace('sr-bank', 'a'.repeat(65))).field).toBe('id');
  });

  it('a long wrong value is quoted cut short', () => {
    const error = refusal(MINIMAL.replace('sr-bank', `X${'a'.repeat(63)}`));
    expect(error.message).toContain("'Xaaaa");
    expect(error.message.length).toBeLessThan(300);
  });
});

describe('headers', () => {
  it('values up to 4096 characters, Latin-1, no line breaks', () => {
    expect(load(`${MINIMAL}headers: { x-a: "${'v'.repeat(4096)}" }\n`).headers['x-a']).toHaveLength(4096);
    const long = refusal(`${MINIMAL}headers: { x-a: "${'v'.repeat(4097)}" }\n`);
    expect(long.field).toBe('headers.x-a');
    expect(long.message).toContain('at most 4096');
    expect(refusal(`${MINIMAL}headers: { x-a: "a\\r\\nx-injected: 1" }\n`).message).toContain('headers.x-a: must not contain line breaks or NUL');
    expect(refusal(`${MINIMAL}headers: { x-a: "a\\nb" }\n`).message).toContain('must not contain line breaks or NUL');
    expect(refusal(`${MINIMAL}headers: { x-a: "snowman ☃" }\n`).message).toContain('outside Latin-1');
    expect(load(`${MINIMAL}headers: { x-a: "Åsane" }\n`).headers['x-a']).toBe('Åsane');
  });

  it('names are tokens of at most 256 characters, and at most 64 headers', () => {
    expect(refusal(`${MINIMAL}headers: { "x-a:b": v }\n`).field).toBe('headers.x-a:b');
    const longName = 'x'.repeat(257);
    const error = refusal(`${MINIMAL}headers: { ${longName}: v }\n`);
    expect(error.field).toBe(`headers.${longName}`);
    expect(error.message).toContain('too long for a header name');
    const many = Array.from({ length: 65 }, (_, i) => `x-h${i}: v`).join(', ');
    expect(refusal(`${MINIMAL}headers: { ${many} }\n`).message).toContain('headers: has more than 64 entries');
  });
});

describe('allowedOrigins', () => {
  it('origins are normalised; paths, credentials and non-lists are refused', () => {
    expect(load(`${MINIMAL}allowedOrigins: [ "https://auth.bank.example:8443/", "http://127.0.0.1:9000" ]\n`).allowedOrigins).toEqual([
      'https://auth.bank.example:8443',
      'http://127.0.0.1:9000',
    ]);
    const withPath = refusal(`${MINIMAL}allowedOrigins: [ "https://auth.bank.example/x" ]\n`);
    expect(withPath.field).toBe('allowedOrigins[0]');
    expect(withPath.message).toContain('must be an origin only');
    expect(refusal(`${MINIMAL}allowedOrigins: [ "https://u:p@auth.bank.example" ]\n`).message).toContain('must be an origin only');
    expect(refusal(`${MINIMAL}allowedOrigins: https://auth.bank.example\n`).message).toContain('allowedOrigins: must be a list of origins');
  });
});

describe('signing.keyPassphrase', () => {
  const pki = generateTestPki();
  const passphrase = 'correct horse battery staple';
  let bank: string;

  beforeAll(() => {
    // The QSealC's own key, encrypted (PKCS#8, AES-256-CBC) the way openssl pkcs8 -topk8 -v2 aes256 writes it.
    const encrypted = createPrivateKey(pki.qseal.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase }).toString();
    writeFileSync(join(dir, 'qseal.pem'), pki.qseal.certPem);
    writeFileSync(join(dir, 'qseal-encrypted.key'), encrypted);
    bank = `${MINIMAL}signing: { certificate: qseal.pem, key: qseal-encrypted.key, keyPassphrase: "\${QSEAL_PASSPHRASE}" }\n`;
  });

  it('decrypts the key with the passphrase from the environment, which becomes a secret', () => {
    const config = load(bank, { QSEAL_PASSPHRASE: passphrase });
    expect(config.signing?.keyPassphrase).toBe(passphrase);
    expect(config.secrets).toContain(passphrase);
    expect(readFileSync(config.signing!.key, 'utf8')).toContain('ENCRYPTED PRIVATE KEY');
  });

  it('the run signs with the decrypted key, and the reference bank accepts the signature', () => {
    const config = load(bank, { QSEAL_PASSPHRASE: passphrase });
    const signing = signingFor(config, loadProfile('bits-no'), () => pki);
    expect(signing.material.keyPem).not.toContain('ENCRYPTED');
    const signed = signing.signer({
      method: 'GET',
      url: 'https://bank.example/v1/card-accounts',
      headers: { 'x-request-id': '99391c7e-ad88-49ec-a2ad-99ddcb1f7721' },
    });
    const result = verifyRequest(
      { method: 'GET', path: '/v1/card-accounts', headers: signed.headers, body: Buffer.alloc(0) },
      {
        requireSignature: true,
        trustedRootsPem: [pki.rootCaPem],
        requiredRole: 'PSP_AI',
        revokedSerials: [],
        blockedSerials: [],
      },
    );
    expect(result.ok).toBe(true);
  });

  it('a wrong passphrase names signing.keyPassphrase, without OpenSSL text', () => {
    const error = refusal(bank, { QSEAL_PASSPHRASE: 'wrong' });
    expect(error.field).toBe('signing.keyPassphrase');
    expect(error.message).toContain('does not decrypt qseal-encrypted.key (wrong passphrase)');
    expect(error.message).not.toMatch(/error:[0-9A-Fa-f]{8}|bad decrypt|openssl/i);
  });

  it('an encrypted key without a passphrase names signing.keyPassphrase', () => {
    const error = refusal(`${MINIMAL}signing: { certificate: qseal.pem, key: qseal-encrypted.key }\n`);
    expect(error.field).toBe('signing.keyPassphrase');
    expect(error.message).toContain('qseal-encrypted.key is encrypted; give its passphrase as signing.keyPassphrase');
  });

  it('a passphrase written in the file is refused', () => {
    const error = refusal(`${MINIMAL}signing: { certificate: qseal.pem, key: qseal-encrypted.key, keyPassphrase: "${passphrase}" }\n`);
    expect(error.field).toBe('signing.keyPassphrase');
    expect(error.message).toContain('must be a ${VARIABLE} placeholder');
    expect(error.message).not.toContain(passphrase);
  });

  it('a passphrase given for an unencrypted key is harmless', () => {
    const plain = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    writeFileSync(join(dir, 'plain.key'), plain);
    const config = load(`${MINIMAL}signing: { certificate: qseal.pem, key: plain.key, keyPassphrase: "\${P}" }\n`, { P: 'x' });
    expect(config.signing?.key).toBe(join(dir, 'plain.key'));
  });
});
