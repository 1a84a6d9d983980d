// The certificate checks on the test PKI's good certificates and its one-fault variants (transport/pki).
import { createPrivateKey } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTestPki, parseCertificate, type TestPki } from '../../transport/pki/index.js';
import { checkChain } from './chain.js';
import { checkExpiry } from './expiry.js';
import { checkKeyMatch } from './key-match.js';
import { checkKeyUsage, checkPsd2Role } from './psd2-role.js';

let pki: TestPki;
beforeAll(() => {
  pki = generateTestPki();
});
const cert = (pem: string) => parseCertificate(pem);
const FIELDS = { certificate: 'signing.certificate', key: 'signing.key' };
const DAY = 86_400_000;

describe('checkKeyMatch', () => {
  it('passes a key that belongs to its certificate and names its type and size', () => {
    expect(checkKeyMatch('signing key', cert(pki.qseal.certPem), createPrivateKey(pki.qseal.keyPem), FIELDS)).toEqual({
      status: 'pass',
      check: 'signing key',
      message: 'signing.key belongs to signing.certificate (RSA 2048)',
    });
  });
  it("fails another certificate's key, naming the key field", () => {
    expect(checkKeyMatch('signing key', cert(pki.qseal.certPem), createPrivateKey(pki.qwac.keyPem), FIELDS)).toMatchObject({
      status: 'fail',
      field: 'signing.key',
      message: 'signing.key does not belong to signing.certificate: their public keys differ',
    });
  });
});

describe('checkExpiry', () => {
  it('fails an expired and a not-yet-valid certificate', () => {
    expect(checkExpiry('c', cert(pki.bad.expired.certPem), 'signing.certificate', new Date())).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/^signing\.certificate expired on \d{4}-\d\d-\d\d$/),
    });
    expect(checkExpiry('c', cert(pki.bad['not-yet-valid'].certPem), 'signing.certificate', new Date())).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/is not valid before/),
    });
  });
  it('warns within 30 days of notAfter and passes before', () => {
    const c = cert(pki.qseal.certPem);
    const at = (daysLeft: number) => new Date(c.notAfter.getTime() - daysLeft * DAY - 1000);
    expect(checkExpiry('c', c, 'f', at(29))).toMatchObject({ status: 'warn', message: expect.stringMatching(/^f expires in 29 days \(\d{4}-/) });
    expect(checkExpiry('c', c, 'f', at(1))).toMatchObject({ status: 'warn', message: expect.stringMatching(/expires in 1 day /) });
    expect(checkExpiry('c', c, 'f', at(30))).toMatchObject({ status: 'pass', message: expect.stringMatching(/^f valid until .* \(30 days\)$/) });
  });
});

describe('checkChain', () => {
  it('passes a certificate issued by the CA in tls.ca', () => {
    expect(checkChain('chain', cert(pki.qseal.certPem), [], [cert(pki.rootCaPem)], 'signing.certificate')).toMatchObject({
      status: 'pass',
      message: 'signing.certificate chains to CN=Card Conformance Test Root CA, O=Card Conformance Test QTSP in tls.ca',
    });
  });
  it('follows intermediates from the certificate file', () => {
    // The root itself stands in as the "intermediate"; tls.ca holds only an unrelated CA, then the root.
    expect(checkChain('chain', cert(pki.qseal.certPem), [cert(pki.rootCaPem)], [cert(pki.rogueCa.certPem)], 'f')).toMatchObject({ status: 'warn' });
    expect(checkChain('chain', cert(pki.qseal.certPem), [cert(pki.rootCaPem)], [cert(pki.rogueCa.certPem), cert(pki.rootCaPem)], 'f')).toMatchObject({
      status: 'pass',
    });
  });
  it('warns on a self-signed certificate and one from another CA; skips without tls.ca', () => {
    expect(checkChain('chain', cert(pki.bad['self-signed'].certPem), [], undefined, 'f')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/^f is self-signed/),
    });
    expect(checkChain('chain', cert(pki.bad['rogue-ca'].certPem), [], [cert(pki.rootCaPem)], 'f')).toMatchObject({
      status: 'warn',
      message: expect.stringMatching(/not issued by tls\.ca \(issuer CN=Rogue Test Root CA/),
    });
    expect(checkChain('chain', cert(pki.qseal.certPem), [], undefined, 'f')).toMatchObject({
      status: 'skip',
      message: expect.stringMatching(/not verified \(no tls\.ca/),
    });
  });
});

describe('checkPsd2Role and checkKeyUsage', () => {
  it('passes the QSealC with PSP_AI', () => {
    expect(checkPsd2Role('role', cert(pki.qseal.certPem), 'f')).toEqual({
      status: 'pass',
      check: 'role',
      message: 'f has the PSD2 roles PSP_AI, PSP_PI (NCA NO-FSA, Finanstilsynet)',
    });
    expect(checkKeyUsage('ku', cert(pki.qseal.certPem), 'f')).toMatchObject({ status: 'pass', message: 'f keyUsage digitalSignature, nonRepudiation' });
  });
  const cases: [keyof TestPki['bad'], 'fail' | 'warn', RegExp][] = [
    ['no-qc-statements', 'fail', /no qcStatements extension/],
    ['no-psd2-statement', 'fail', /no PSD2 statement \(0\.4\.0\.19495\.2\)/],
    ['no-psp-ai', 'fail', /has the PSD2 role PSP_PI, not PSP_AI: card-account access needs PSP_AI/],
    ['empty-roles', 'fail', /malformed PSD2 statement: rolesOfPSP is empty/],
    ['role-name-mismatch', 'fail', /malformed PSD2 statement: role 0\.4\.0\.19495\.1\.3 is named "PSP_PI"/],
    ['malformed-nca-id', 'fail', /NCAId "Finanstilsynet" is not CC-XXXX/],
    ['qwac-as-seal', 'warn', /is a QWAC \(QcType web\)/],
  ];
  for (const [id, status, message] of cases) {
    it(`${status === 'fail' ? 'fails' : 'warns about'} ${id}`, () => {
      expect(checkPsd2Role('role', cert(pki.bad[id].certPem), 'f')).toMatchObject({ status, field: 'f', message: expect.stringMatching(message) });
    });
  }
  it('fails a keyUsage that cannot sign', () => {
    expect(checkKeyUsage('ku', cert(pki.bad['key-encipherment-only'].certPem), 'f')).toMatchObject({
      status: 'fail',
      message: expect.stringMatching(/neither digitalSignature nor nonRepudiation/),
    });
  });
});
