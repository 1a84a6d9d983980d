import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../transport/pki/certificate-info.js';
import { generateTestPki } from '../../transport/pki/generate.js';
import { buildKeyId } from '../../transport/signing/key-id.js';
import { matchKeyId } from './key-id-match.js';

const pki = generateTestPki();
const cert = parseCertificate(pki.qseal.certPem);
const hex = cert.serialHex;
const dnRfc = 'CN=Card Conformance Test Root CA,O=Card Conformance Test QTSP,C=NO';
const dnCertOrder = 'C=NO,O=Card Conformance Test QTSP,CN=Card Conformance Test Root CA';

describe('matchKeyId', () => {
  it('accepts every preset our signer builds', () => {
    for (const f of ['bg-example', 'adorsys', 'plain-rfc2253', 'decimal-serial'] as const) {
      expect(matchKeyId(buildKeyId(cert, f), cert), f).toEqual({ ok: true });
    }
  });

  it('accepts correct values in other spellings (S22)', () => {
    for (const keyId of [
      `SN=${hex.toUpperCase()},CA=${dnRfc}`,
      `SN=${hex},CA=${dnRfc.replace(/ /g, '%20')}`,
      `SN=0000${hex},CA=${dnRfc}`,
      `SN=${hex},CA=${dnCertOrder}`,
      `SN=${hex}, CA=${dnCertOrder.replace(/,/g, ', ')}`,
      `SN=${hex},CA=${dnRfc.toLowerCase()}`,
      `SN=${hex}`,
      `SN=${BigInt('0x' + hex).toString(10)},CA=${dnRfc}`,
      BigInt('0x' + hex).toString(10),
    ]) {
      expect(matchKeyId(keyId, cert), keyId).toEqual({ ok: true });
    }
  });

  it('round-trips issuers with non-ASCII values and attribute types RFC 2253 has no keyword for', () => {
    // The self-signed TPP certificate's issuer carries "Åsane" and organizationIdentifier.
    const selfSigned = parseCertificate(pki.bad['self-signed'].certPem);
    for (const f of ['bg-example', 'adorsys', 'plain-rfc2253'] as const) {
      const keyId = buildKeyId(selfSigned, f);
      expect(keyId).toMatch(/^[\x20-\x7e]+$/);
      expect(keyId).toContain('2.5.4.97=#0c');
      expect(matchKeyId(keyId, selfSigned), keyId).toEqual({ ok: true });
      expect(matchKeyId(keyId, cert).ok).toBe(false);
    }
  });

  it('refuses another serial (S20) or another issuer (S21)', () => {
    expect(matchKeyId(`SN=${pki.qwac.serialHex},CA=${dnRfc}`, cert).ok).toBe(false);
    expect(matchKeyId(`SN=${hex},CA=CN=Rogue Test Root CA,O=Rogue Test QTSP,C=NO`, cert).ok).toBe(false);
    expect(matchKeyId(`SN=${hex},CA=CN=Card Conformance Test Root CA,O=Card Conformance Test QTSP`, cert).ok).toBe(false);
    expect(matchKeyId(`SN=${hex},CA=CN=Card Conformance Test Root CA,O=Card Conformance Test QTSP,C=NO,L=Oslo`, cert).ok).toBe(false);
    expect(matchKeyId('12', cert).ok).toBe(false);
    expect(matchKeyId('', cert).ok).toBe(false);
    expect(matchKeyId('CA=C=NO', cert).ok).toBe(false);
  });
});
