import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type CertificateInfo, parseCertificate } from './certificate-info.js';
import { BAD_CERTIFICATE_IDS, type BadCertificateId, generateTestPki } from './generate.js';
import { OID } from './oids.js';

const now = new Date();
const started = performance.now();
const cpuBefore = process.cpuUsage();
const pki = generateTestPki({ now });
const cpu = process.cpuUsage(cpuBefore);
const generationMs = performance.now() - started;
// CPU time, not wall time: other test files generating keys at the same moment must not make this flaky.
const generationCpuMs = (cpu.user + cpu.system) / 1000;
const root = new X509Certificate(pki.rootCaPem);
const info = (pem: string): CertificateInfo => parseCertificate(pem);
const issuedByRoot = (pem: string): boolean => {
  const x = new X509Certificate(pem);
  return x.checkIssued(root) && x.verify(root.publicKey);
};

describe('generateTestPki', () => {
  it('generates the whole set in well under 3 s', () => {
    console.log(`test PKI generated in ${generationMs.toFixed(0)} ms wall, ${generationCpuMs.toFixed(0)} ms CPU`);
    expect(generationCpuMs).toBeLessThan(3000);
  });

  it('makes a proper root CA', () => {
    const r = info(pki.rootCaPem);
    expect(root.ca).toBe(true);
    expect(r.selfIssued).toBe(true);
    expect(r.keyUsage).toMatchObject({ keyCertSign: true, cRLSign: true, digitalSignature: false });
    // basicConstraints (2.5.29.19) and keyUsage (2.5.29.15) critical: 0101ff after the OID.
    const hex = r.der.toString('hex');
    expect(hex).toContain('0603551d130101ff');
    expect(hex).toContain('0603551d0f0101ff');
    expect(hex).toContain('0603551d0e'); // SKI
  });

  it('makes a QSealC per the PSD2 profile', () => {
    const q = info(pki.qseal.certPem);
    expect(issuedByRoot(pki.qseal.certPem)).toBe(true);
    expect(q.subjectRdns.map((r) => r.type)).toEqual(['C', 'O', 'organizationIdentifier', 'CN']);
    expect(q.subjectRdns[1]).toMatchObject({ value: 'Testbank Åsane TPP AS', valueTag: 12 });
    expect(q.organizationIdentifier).toMatch(/^PSDNO-FSA-[0-9]+$/);
    expect(q.keyUsage).toMatchObject({ digitalSignature: true, nonRepudiation: true, keyEncipherment: false });
    expect(q.qcStatements?.compliance).toBe(true);
    expect(q.qcStatements?.qcTypes).toEqual([OID.qcTypeEseal]);
    expect(q.psd2).toMatchObject({ roles: ['PSP_AI', 'PSP_PI'], ncaName: 'Finanstilsynet', ncaId: 'NO-FSA' });
    // keyUsage critical; qcStatements present without the critical flag.
    const hex = q.der.toString('hex');
    expect(hex).toContain('0603551d0f0101ff');
    expect(hex).toContain('06082b0601050507010304'); // the OID followed directly by the OCTET STRING: no critical flag
    expect(hex).toContain('0603551d23'); // AKI
    expect(q.serialHex).toBe(pki.qseal.serialHex);
  });

  it('makes a QWAC and a server certificate for TLS on localhost', () => {
    const w = new X509Certificate(pki.qwac.certPem);
    expect(issuedByRoot(pki.qwac.certPem)).toBe(true);
    expect(w.keyUsage).toEqual(expect.arrayContaining([OID.serverAuth, OID.clientAuth]));
    expect(w.subjectAltName).toContain('DNS:localhost');
    expect(w.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(w.checkHost('localhost')).toBe('localhost');
    expect(w.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(info(pki.qwac.certPem).qcStatements?.qcTypes).toEqual([OID.qcTypeWeb]);
    const s = new X509Certificate(pki.server.certPem);
    expect(issuedByRoot(pki.server.certPem)).toBe(true);
    expect(s.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(s.checkHost('localhost')).toBe('localhost');
  });

  it('gives every certificate a distinct serial, and keys that match', () => {
    const entries = [pki.root, pki.rogueCa, pki.qseal, pki.qwac, pki.server, ...Object.values(pki.bad)];
    expect(new Set(entries.map((e) => e.serialHex)).size).toBe(entries.length);
    for (const e of entries) {
      expect(e.serialHex).toMatch(/^[1-9a-f][0-9a-f]*$/);
      const x = new X509Certificate(e.certPem);
      expect(x.checkPrivateKey(createPrivateKey(e.keyPem))).toBe(true);
    }
  });

  it('lists the revoked and blocked serials in lower-case hex', () => {
    expect(pki.revokedSerials).toEqual([pki.bad.revoked.serialHex]);
    expect(pki.blockedSerials).toEqual([pki.bad.blocked.serialHex]);
  });

  it('builds each bad certificate with exactly its fault', () => {
    const good = info(pki.qseal.certPem);
    const bad = (id: BadCertificateId): CertificateInfo => info(pki.bad[id].certPem);
    expect(bad('expired').notAfter.getTime()).toBeLessThan(now.getTime());
    expect(bad('not-yet-valid').notBefore.getTime()).toBeGreaterThan(now.getTime());
    expect(bad('self-signed').selfIssued).toBe(true);
    expect(issuedByRoot(pki.bad['self-signed'].certPem)).toBe(false);
    expect(issuedByRoot(pki.bad['rogue-ca'].certPem)).toBe(false);
    expect(bad('rogue-ca').issuerRdns.find((r) => r.type === 'CN')?.value).toBe('Rogue Test Root CA');
    expect(bad('no-qc-statements').hasQcStatements).toBe(false);
    expect(bad('no-psd2-statement').hasQcStatements).toBe(true);
    expect(bad('no-psd2-statement').psd2).toBeUndefined();
    expect(bad('no-psp-ai').psd2?.roles).toEqual(['PSP_PI']);
    expect(bad('key-encipherment-only').keyUsage).toMatchObject({ keyEncipherment: true, digitalSignature: false, nonRepudiation: false });
    expect(bad('no-organization-identifier').organizationIdentifier).toBeUndefined();
    expect(bad('qwac-as-seal').qcStatements?.qcTypes).toEqual([OID.qcTypeWeb]);
    expect(bad('qwac-as-seal').extendedKeyUsage).toContain(OID.serverAuth);
    expect(bad('role-name-mismatch').psd2?.roleEntries).toEqual([{ oid: '0.4.0.19495.1.3', name: 'PSP_PI' }]);
    expect(bad('empty-roles').psd2?.roles).toEqual([]);
    expect(bad('malformed-nca-id').psd2?.ncaId).toBe('Finanstilsynet');

    // Everything not named as the fault is as in the good QSealC.
    const chainFaults = new Set(['self-signed', 'rogue-ca']);
    for (const id of BAD_CERTIFICATE_IDS) {
      const b = bad(id);
      if (!chainFaults.has(id)) expect(issuedByRoot(pki.bad[id].certPem), id).toBe(true);
      if (!['expired', 'not-yet-valid'].includes(id)) expect(b.notAfter.getTime(), id).toBeGreaterThan(now.getTime());
      if (!['no-organization-identifier', 'qwac-as-seal'].includes(id)) expect(b.subjectRdns, id).toEqual(good.subjectRdns);
      if (['expired', 'not-yet-valid', 'self-signed', 'rogue-ca', 'revoked', 'blocked', 'no-organization-identifier'].includes(id)) {
        expect(b.psd2, id).toEqual(good.psd2);
        expect(b.keyUsage, id).toEqual(good.keyUsage);
      }
    }
  });

  it('honours the options', () => {
    const other = generateTestPki({ now: new Date('2030-01-01T00:00:00Z'), tppName: 'Ørsta Fintech AS', orgId: 'PSDNO-FSA-111' });
    const q = info(other.qseal.certPem);
    expect(q.subjectRdns[1]?.value).toBe('Ørsta Fintech AS');
    expect(q.organizationIdentifier).toBe('PSDNO-FSA-111');
    expect(q.notBefore.toISOString()).toBe('2029-12-31T23:00:00.000Z');
  });
});
