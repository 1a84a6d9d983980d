import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeCertificateInput, parseCertificate, tryParseCertificate } from './certificate-info.js';
import { generateTestPki } from './generate.js';

const pki = generateTestPki();
const der = Buffer.from(new X509Certificate(pki.qseal.certPem).raw);
const b64 = der.toString('base64');

describe('certificate input forms', () => {
  it('accepts PEM, single-line PEM, PEM with literal \\n, Base64 DER, Base64 of PEM and raw DER', () => {
    const forms: Array<string | Buffer> = [
      pki.qseal.certPem,
      pki.qseal.certPem.replace(/\n/g, ''),
      pki.qseal.certPem.replace(/\n/g, '\\n'),
      pki.qseal.certPem.replace(/\n/g, ' '),
      b64,
      ` ${b64}\n`,
      Buffer.from(pki.qseal.certPem).toString('base64'),
      der,
      Buffer.from(pki.qseal.certPem),
    ];
    for (const form of forms) expect(decodeCertificateInput(form).equals(der)).toBe(true);
  });

  it('refuses what is not a certificate, with a reason and without throwing from tryParse', () => {
    for (const bad of [
      '',
      '   ',
      'not base64!',
      '%%%%',
      b64.slice(0, 100),
      b64.slice(0, -8),
      Buffer.from('hello').toString('base64'),
      '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----',
      '-----BEGIN PRIVATE KEY-----abc-----END PRIVATE KEY-----',
      Buffer.from(pki.qseal.keyPem).toString('base64'),
      der.subarray(0, der.length - 1).toString('base64'),
      Buffer.concat([der, Buffer.from([0])]).toString('base64'),
    ]) {
      const r = tryParseCertificate(bad);
      expect(r.ok, bad.slice(0, 40)).toBe(false);
      if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
    }
  });
});

describe('parseCertificate', () => {
  it('reads the facts the verifier needs', () => {
    const c = parseCertificate(b64);
    expect(c.serialHex).toBe(pki.qseal.serialHex);
    expect(c.serialHex).toBe(new X509Certificate(der).serialNumber.toLowerCase().replace(/^0+/, ''));
    expect(c.issuerRdns.map((r) => `${r.type}=${r.value}`)).toEqual(['C=NO', 'O=Card Conformance Test QTSP', 'CN=Card Conformance Test Root CA']);
    expect(c.subjectRdns.find((r) => r.oid === '2.5.4.97')?.type).toBe('organizationIdentifier');
    expect(c.notBefore).toBeInstanceOf(Date);
    expect(c.notAfter.getTime()).toBeGreaterThan(c.notBefore.getTime());
    expect(c.notAfter.getTime()).toBe(new Date(new X509Certificate(der).validTo).getTime());
    expect(c.keyUsage?.digitalSignature).toBe(true);
    expect(c.keyUsage?.nonRepudiation).toBe(true);
    expect(c.hasQcStatements).toBe(true);
    expect(c.psd2?.roles).toEqual(['PSP_AI', 'PSP_PI']);
    expect(c.psd2?.ncaName).toBe('Finanstilsynet');
    expect(c.psd2?.ncaId).toBe('NO-FSA');
    expect(c.organizationIdentifier).toBe('PSDNO-FSA-987654321');
    expect(c.publicKey.asymmetricKeyType).toBe('rsa');
    expect(c.selfIssued).toBe(false);
    expect(c.extendedKeyUsage).toEqual([]);
  });

  it('reports absent extensions as absent', () => {
    const c = parseCertificate(pki.bad['no-qc-statements'].certPem);
    expect(c.hasQcStatements).toBe(false);
    expect(c.psd2).toBeUndefined();
    const s = parseCertificate(pki.server.certPem);
    expect(s.organizationIdentifier).toBeUndefined();
    expect(s.keyUsage).toMatchObject({ digitalSignature: true, keyEncipherment: true, nonRepudiation: false });
  });
});
