import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../transport/pki/certificate-info.js';
import { BAD_CERTIFICATE_IDS, generateTestPki } from '../../transport/pki/generate.js';
import { checkCertificate } from './certificate-checks.js';
import { policyFor } from './test-support.js';

const pki = generateTestPki();
const policy = policyFor(pki);
const now = new Date();

describe('checkCertificate', () => {
  it('accepts the valid QSealC and the QWAC', () => {
    expect(checkCertificate(parseCertificate(pki.qseal.certPem), policy, now)).toBeUndefined();
    expect(checkCertificate(parseCertificate(pki.qwac.certPem), policy, now)).toBeUndefined();
  });

  it.each(BAD_CERTIFICATE_IDS)('answers %s as the PKI says', (id) => {
    const bad = pki.bad[id];
    const result = checkCertificate(parseCertificate(bad.certPem), policy, now);
    if (bad.expected === 'accepted') expect(result).toBeUndefined();
    else expect(result).toMatchObject({ ok: false, status: bad.expected.status, code: bad.expected.code });
  });

  it('refuses the root CA itself as a signing certificate (self-signed)', () => {
    expect(checkCertificate(parseCertificate(pki.rootCaPem), policy, now)).toMatchObject({
      code: 'CERTIFICATE_INVALID',
      text: expect.stringMatching(/self-signed/),
    });
  });

  it('says why a certificate is untrusted', () => {
    expect(checkCertificate(parseCertificate(pki.bad['self-signed'].certPem), policy, now)?.text).toMatch(/self-signed/);
    expect(checkCertificate(parseCertificate(pki.bad['rogue-ca'].certPem), policy, now)?.text).toMatch(/trusted CA/);
  });

  it('compares serial lists numerically (case and leading zeros do not matter)', () => {
    const revoked = parseCertificate(pki.bad.revoked.certPem);
    const upper = policyFor(pki, { revokedSerials: ['00' + pki.bad.revoked.serialHex.toUpperCase(), 'not hex'] });
    expect(checkCertificate(revoked, upper, now)).toMatchObject({ code: 'CERTIFICATE_REVOKED' });
    expect(checkCertificate(revoked, policyFor(pki, { revokedSerials: [] }), now)).toBeUndefined();
  });

  it('judges validity against the policy clock, with a small skew', () => {
    const seal = parseCertificate(pki.qseal.certPem);
    expect(checkCertificate(seal, policy, new Date(seal.notAfter.getTime() + 60_000))).toBeUndefined();
    expect(checkCertificate(seal, policy, new Date(seal.notAfter.getTime() + 3_600_000))).toMatchObject({ code: 'CERTIFICATE_EXPIRED' });
    expect(checkCertificate(seal, policy, new Date(seal.notBefore.getTime() - 3_600_000))).toMatchObject({ code: 'CERTIFICATE_INVALID' });
  });

  it('trusts nothing when the trust store is empty or broken', () => {
    const seal = parseCertificate(pki.qseal.certPem);
    expect(checkCertificate(seal, policyFor(pki, { trustedRootsPem: [] }), now)).toMatchObject({ code: 'CERTIFICATE_INVALID' });
    expect(checkCertificate(seal, policyFor(pki, { trustedRootsPem: ['garbage', pki.rogueCa.certPem] }), now)).toMatchObject({ code: 'CERTIFICATE_INVALID' });
    expect(checkCertificate(seal, policyFor(pki, { trustedRootsPem: ['garbage', pki.rootCaPem] }), now)).toBeUndefined();
  });
});
