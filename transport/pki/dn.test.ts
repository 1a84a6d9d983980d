import { describe, expect, it } from 'vitest';
import { type DnAttribute, escapeDnValue, formatRfc2253, parseDn, sameDnAttributes } from './dn.js';

const UTF8 = 12;
const PRINTABLE = 19;
const a = (oid: string, type: string, value: string, rdn: number, valueTag = UTF8): DnAttribute => ({ oid, type, value, rdn, valueTag });

const dtrust: DnAttribute[] = [a('2.5.4.6', 'C', 'DE', 0, PRINTABLE), a('2.5.4.10', 'O', 'D-Trust GmbH', 1), a('2.5.4.3', 'CN', 'D-TRUST CA 2-1 2015', 2)];

describe('formatRfc2253', () => {
  it('writes the most specific RDN first, as Java getName() does', () => {
    expect(formatRfc2253(dtrust)).toBe('CN=D-TRUST CA 2-1 2015,O=D-Trust GmbH,C=DE');
  });

  it('escapes RFC 4514 specials and writes non-ASCII as UTF-8 hex pairs', () => {
    expect(escapeDnValue('a,b+c"d\\e<f>g;h')).toBe('a\\,b\\+c\\"d\\\\e\\<f\\>g\\;h');
    expect(escapeDnValue(' lead and trail ')).toBe('\\ lead and trail\\ ');
    expect(escapeDnValue('#hash')).toBe('\\#hash');
    expect(escapeDnValue('Åsane')).toBe('\\C3\\85sane');
    expect(escapeDnValue('a=b')).toBe('a=b');
  });

  it('prints attribute types RFC 2253 has no keyword for as OID=#hex', () => {
    const dn = formatRfc2253([a('2.5.4.6', 'C', 'NO', 0, PRINTABLE), a('2.5.4.97', 'organizationIdentifier', 'PSDNO-FSA-1', 1)]);
    expect(dn).toBe('2.5.4.97=#0c0b5053444e4f2d4653412d31,C=NO');
  });

  it('joins multi-valued RDNs with +', () => {
    const dn = formatRfc2253([a('2.5.4.6', 'C', 'NO', 0, PRINTABLE), a('2.5.4.10', 'O', 'X', 1), a('2.5.4.11', 'OU', 'Y', 1)]);
    expect(dn).toBe('O=X+OU=Y,C=NO');
  });
});

describe('parseDn', () => {
  it('round-trips what formatRfc2253 writes', () => {
    const tricky = [
      a('2.5.4.6', 'C', 'NO', 0, PRINTABLE),
      a('2.5.4.10', 'O', ' Åsane, "TPP" + co; <x> ', 1),
      a('2.5.4.97', 'organizationIdentifier', 'PSDNO-FSA-9', 2),
    ];
    const parsed = parseDn(formatRfc2253(tricky));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.attributes.map((x) => [x.oid, x.value])).toEqual([
        ['2.5.4.97', 'PSDNO-FSA-9'],
        ['2.5.4.10', ' Åsane, "TPP" + co; <x> '],
        ['2.5.4.6', 'NO'],
      ]);
      expect(sameDnAttributes(parsed.attributes, tricky)).toBe(true);
    }
  });

  it('accepts either RDN order, spaces around separators, keywords in any case and OID forms', () => {
    for (const text of [
      'CN=D-TRUST CA 2-1 2015,O=D-Trust GmbH,C=DE',
      'C=DE, O=D-Trust GmbH, CN=D-TRUST CA 2-1 2015',
      'cn=D-TRUST CA 2-1 2015;o=D-Trust GmbH;c=DE',
      'OID.2.5.4.3=D-TRUST CA 2-1 2015,2.5.4.10="D-Trust GmbH",C=DE',
      'CN=d-trust ca 2-1  2015,O=D-Trust GmbH,C=DE',
    ]) {
      const parsed = parseDn(text);
      expect(parsed.ok, text).toBe(true);
      if (parsed.ok) expect(sameDnAttributes(parsed.attributes, dtrust), text).toBe(true);
    }
  });

  it('tells different names apart', () => {
    for (const text of ['CN=D-TRUST CA 2-1 2015,O=D-Trust GmbH', 'CN=Other CA,O=D-Trust GmbH,C=DE', 'CN=D-TRUST CA 2-1 2015,O=D-Trust GmbH,C=DE,L=Berlin']) {
      const parsed = parseDn(text);
      expect(parsed.ok && sameDnAttributes(parsed.attributes, dtrust), text).toBe(false);
    }
  });

  it('reports malformed names without throwing', () => {
    for (const text of ['CN', 'XX=1', 'CN=a,', 'CN=a\\', 'CN="open', 'CN=a"b', 'CN=#zz', 'CN=#0c', '2.5.4.97=#0c02', '=x']) {
      const parsed = parseDn(text);
      expect(parsed.ok, text).toBe(false);
    }
  });
});
