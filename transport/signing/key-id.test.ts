import { describe, expect, it } from 'vitest';
import type { DnAttribute } from '../pki/dn.js';
import { buildKeyId, parseKeyId } from './key-id.js';

const [c, o, cn]: [DnAttribute, DnAttribute, DnAttribute] = [
  { type: 'C', oid: '2.5.4.6', value: 'DE', valueTag: 19, rdn: 0 },
  { type: 'O', oid: '2.5.4.10', value: 'D-Trust GmbH', valueTag: 12, rdn: 1 },
  { type: 'CN', oid: '2.5.4.3', value: 'D-TRUST CA 2-1 2015', valueTag: 12, rdn: 2 },
];
const issuerRdns = [c, o, cn];
const cert = { serialHex: '009fa1', issuerRdns };

describe('buildKeyId', () => {
  it('bg-example reproduces the BG OpenAPI example', () => {
    expect(buildKeyId(cert, 'bg-example')).toBe('SN=9FA1,CA=CN=D-TRUST%20CA%202-1%202015,O=D-Trust%20GmbH,C=DE');
  });
  it('adorsys: lower-case hex, RFC 2253, %20', () => {
    expect(buildKeyId(cert, 'adorsys')).toBe('SN=9fa1,CA=CN=D-TRUST%20CA%202-1%202015,O=D-Trust%20GmbH,C=DE');
  });
  it('plain-rfc2253: upper-case hex, spaces as spaces', () => {
    expect(buildKeyId(cert, 'plain-rfc2253')).toBe('SN=9FA1,CA=CN=D-TRUST CA 2-1 2015,O=D-Trust GmbH,C=DE');
  });
  it('decimal-serial: the serial in decimal only', () => {
    expect(buildKeyId(cert, 'decimal-serial')).toBe('40865');
  });
  it('drops newlines from DN values as adorsys does', () => {
    const withNewline = { serialHex: '1', issuerRdns: [{ ...o, value: 'Trust Service Provider AG\n' }] };
    expect(buildKeyId(withNewline, 'adorsys')).not.toMatch(/[\r\n]/);
  });
});

describe('parseKeyId', () => {
  it('reads every format back to the same serial and issuer', () => {
    for (const format of ['bg-example', 'adorsys', 'plain-rfc2253'] as const) {
      const r = parseKeyId(buildKeyId(cert, format));
      expect(r.ok, format).toBe(true);
      if (r.ok) {
        expect(r.value.serialCandidates).toContain(0x9fa1n);
        expect(r.value.ca?.map((a) => a.value)).toEqual(['D-TRUST CA 2-1 2015', 'D-Trust GmbH', 'DE']);
      }
    }
    const d = parseKeyId('40865');
    expect(d.ok && d.value.serialCandidates).toEqual([40865n]);
    expect(d.ok && d.value.ca).toBeUndefined();
  });

  it('accepts SN alone, a space after the comma and decimal-looking SNs (both readings)', () => {
    expect(parseKeyId('SN=00ab').ok).toBe(true);
    const r = parseKeyId('SN=1234, CA=C=DE');
    expect(r.ok && r.value.serialCandidates).toEqual([0x1234n, 1234n]);
  });

  it('refuses what is not a keyId', () => {
    for (const k of ['', 'abc', 'SN=,CA=C=DE', 'SN=xyz', 'CA=C=DE,SN=1', 'SN=1,CA=', 'SN=1,CA=NOPE', 'SN=1;CA=C=DE']) {
      expect(parseKeyId(k).ok, k).toBe(false);
    }
  });
});
