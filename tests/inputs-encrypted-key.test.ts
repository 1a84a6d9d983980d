// An encrypted QSealC key with signing.keyPassphrase goes through the checks `run` does before
// sending anything (doctor's local checks): the key opens with the passphrase and matches the
// certificate; a bank file's `run` then signs with it in memory.
import { createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultBankConfig } from '../config/load.js';
import type { BankConfig } from '../config/types.js';
import { assertLocalConfig, localChecks } from '../app/doctor/local.js';
import { generateTestPki } from '../transport/pki/generate.js';

let dir: string;
let config: BankConfig;
const PASSPHRASE = 'open sesame';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'inputs-encrypted-key-'));
  const pki = generateTestPki();
  writeFileSync(join(dir, 'qseal.pem'), pki.qseal.certPem);
  writeFileSync(
    join(dir, 'qseal.key'),
    createPrivateKey(pki.qseal.keyPem).export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE }).toString(),
  );
  config = {
    ...defaultBankConfig('https://bank.example', 'berlin-group'),
    source: 'bank.yaml',
    signing: {
      certificate: join(dir, 'qseal.pem'),
      key: join(dir, 'qseal.key'),
      keyPassphrase: PASSPHRASE,
      keyIdFormat: 'bg-example',
      signDate: false,
      signRequestTarget: false,
      digestAlgorithm: 'SHA-256',
    },
  };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('encrypted signing key', () => {
  it('passes the local checks with its passphrase (the key matches the certificate)', () => {
    expect(assertLocalConfig(config)).toBe(config);
    expect(localChecks(config, { now: new Date() }).find((l) => l.check === 'signing key')?.status).toBe('pass');
  });

  it('without the passphrase the key check fails naming signing.keyPassphrase', () => {
    const { keyPassphrase: _p, ...signing } = config.signing!;
    expect(() => assertLocalConfig({ ...config, signing })).toThrow(/bank\.yaml: signing\.keyPassphrase: .*qseal\.key is encrypted; give its passphrase/);
  });
});
