import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultBankConfig } from '../../config/load.js';
import { ConfigError, type BankConfig, type SigningConfig } from '../../config/types.js';
import { generateTestPki, type TestPki } from '../../transport/pki/index.js';
import { assertLocalConfig, localChecks } from './local.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-doctor-local-'));
let pki: TestPki;
const write = (name: string, text: string): string => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
beforeAll(() => {
  pki = generateTestPki();
  write('qseal.pem', pki.qseal.certPem);
  write('qseal.key', pki.qseal.keyPem);
  write('qwac.pem', pki.qwac.certPem);
  write('qwac.key', pki.qwac.keyPem);
  write('expired.pem', pki.bad.expired.certPem);
  write('expired.key', pki.bad.expired.keyPem);
  write('root.pem', pki.rootCaPem);
  write('garbage.pem', '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n');
  write('garbage.key', '-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n');
});

const signing = (certificate: string, key: string): SigningConfig => ({
  certificate: join(dir, certificate),
  key: join(dir, key),
  keyIdFormat: 'bg-example',
  signDate: false,
  signRequestTarget: false,
  digestAlgorithm: 'SHA-256',
});
const bank = (extra: Partial<BankConfig>): BankConfig => ({ ...defaultBankConfig('https://bank.example', 'berlin-group'), source: 'bank.yaml', ...extra });

describe('assertLocalConfig (what run checks before sending anything)', () => {
  it('lets a good configuration through unchanged, and one without certificates', () => {
    const good = bank({
      signing: signing('qseal.pem', 'qseal.key'),
      tls: { certificate: join(dir, 'qwac.pem'), key: join(dir, 'qwac.key'), ca: join(dir, 'root.pem') },
    });
    expect(assertLocalConfig(good)).toBe(good);
    expect(assertLocalConfig(bank({}))).toMatchObject({ id: 'reference-bank' });
  });

  const cases: [string, Partial<BankConfig>, string][] = [
    [
      'a key that does not belong to the certificate',
      { signing: signing('qseal.pem', 'qwac.key') },
      'bank.yaml: signing.key: does not belong to signing.certificate: their public keys differ',
    ],
    ['an expired certificate', { signing: signing('expired.pem', 'expired.key') }, 'bank.yaml: signing.certificate: expired on '],
    ['a certificate that does not parse', { signing: signing('garbage.pem', 'qseal.key') }, 'bank.yaml: signing.certificate: '],
    ['a key that does not parse', { signing: signing('qseal.pem', 'garbage.key') }, 'bank.yaml: signing.key: '],
    [
      'an expired TLS client certificate',
      { tls: { certificate: join(dir, 'expired.pem'), key: join(dir, 'expired.key') } },
      'bank.yaml: tls.certificate: expired on ',
    ],
    ['a TLS CA that is not a certificate', { tls: { ca: join(dir, 'qseal.key') } }, 'bank.yaml: tls.ca: '],
  ];
  for (const [what, extra, message] of cases) {
    it(`refuses ${what} with a ConfigError naming the file and field`, () => {
      let error: unknown;
      try {
        assertLocalConfig(bank(extra));
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).message.startsWith(message), (error as Error).message).toBe(true);
      expect((error as Error).message).not.toContain('\n');
      expect((error as Error).message).not.toContain('PRIVATE KEY');
    });
  }

  it('leaves the slower profile checks (chain, PSD2 role) to the doctor', () => {
    const lines = localChecks(bank({ signing: signing('qseal.pem', 'qseal.key') }));
    expect(lines.map((l) => l.check)).toEqual(['signing key', 'signing certificate']);
    expect(localChecks(bank({ signing: signing('qseal.pem', 'qseal.key') }), { full: true }).map((l) => l.check)).toEqual([
      'signing key',
      'signing certificate',
      'signing certificate chain',
      'signing certificate PSD2 role',
      'signing certificate key usage',
      'TLS client certificate',
    ]);
  });
});
