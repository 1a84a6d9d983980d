import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueCertificate } from './certificate-builder.js';
import { parseCertificate } from './certificate-info.js';
import { generateRsaKeyPair } from './keys.js';

const key = generateRsaKeyPair();
const subject = [
  { oid: '2.5.4.6', value: 'NO' },
  { oid: '2.5.4.10', value: 'Blåbær TPP AS' },
  { oid: '2.5.4.97', value: 'PSDNO-FSA-123456789' },
  { oid: '2.5.4.3', value: 'Blåbær TPP AS' },
];
const now = Date.now();
const base = {
  subject,
  publicKey: key.publicKey,
  issuer: { subject, privateKey: key.privateKey },
  notBefore: new Date(now - 1000),
  notAfter: new Date(now + 86_400_000),
};

describe('issueCertificate', () => {
  it('pads a high-bit serial with 00 so Node, OpenSSL-style and our parser agree', () => {
    const cert = issueCertificate({ ...base, serialHex: '8E5C660AD95E4DBF' });
    expect(cert.serialHex).toBe('8e5c660ad95e4dbf');
    const x509 = new X509Certificate(cert.pem);
    expect(x509.serialNumber.replace(/^0+/, '').toLowerCase()).toBe('8e5c660ad95e4dbf');
    expect(parseCertificate(cert.pem).serialHex).toBe('8e5c660ad95e4dbf');
  });

  it('writes non-ASCII names as UTF8String, C as PrintableString, organizationIdentifier by OID', () => {
    const info = parseCertificate(issueCertificate(base).pem);
    expect(info.subjectRdns.map((r) => [r.type, r.value, r.valueTag])).toEqual([
      ['C', 'NO', 19],
      ['O', 'Blåbær TPP AS', 12],
      ['organizationIdentifier', 'PSDNO-FSA-123456789', 12],
      ['CN', 'Blåbær TPP AS', 12],
    ]);
    expect(info.organizationIdentifier).toBe('PSDNO-FSA-123456789');
  });

  it("sets the AKI to the issuer's SKI and signs verifiably", () => {
    const caSubject = [{ oid: '2.5.4.3', value: 'Test CA' }];
    const caKey = generateRsaKeyPair();
    const ca = issueCertificate({
      ...base,
      subject: caSubject,
      publicKey: caKey.publicKey,
      issuer: { subject: caSubject, privateKey: caKey.privateKey },
      ca: true,
    });
    const leaf = issueCertificate({ ...base, issuer: { subject: caSubject, privateKey: caKey.privateKey, keyIdentifier: ca.keyIdentifier } });
    const caX = new X509Certificate(ca.pem);
    const leafX = new X509Certificate(leaf.pem);
    expect(caX.ca).toBe(true);
    expect(leafX.checkIssued(caX)).toBe(true);
    expect(leafX.verify(caX.publicKey)).toBe(true);
    // AKI = SEQ{ [0] keyIdentifier }: the context tag 80 14 followed by the CA's 20-byte SKI.
    const skiHex = ca.keyIdentifier.toString('hex');
    expect(leaf.der.toString('hex')).toContain('8014' + skiHex);
  });
});
