import { describe, expect, it } from 'vitest';
import { computeDigest, digestMatches, parseDigestHeader } from './digest.js';

describe('computeDigest', () => {
  it('hashes the empty byte string for a GET', () => {
    expect(computeDigest(undefined)).toBe('SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(computeDigest('')).toBe('SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
  });

  it('matches the cavage-10 example and hashes UTF-8 bytes exactly (trailing newline kept)', () => {
    expect(computeDigest('{"hello": "world"}')).toBe('SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=');
    expect(computeDigest('{"navn":"Åsane"}\n')).not.toBe(computeDigest('{"navn":"Åsane"}'));
    expect(computeDigest('ø')).toBe(computeDigest(Buffer.from('ø', 'utf8')));
  });

  it('offers SHA-512 and, for negative tests, disallowed algorithms', () => {
    expect(computeDigest('', 'SHA-512')).toMatch(/^SHA-512=z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg\/SpIdNs6c5H0NE8XYXysP\+DGNKHfuwvY7kxvUdBeoGlODJ6\+SfaPg==$/);
    expect(computeDigest('', 'MD5')).toBe('MD5=1B2M2Y8AsgTpgAmY7PhCfg==');
    expect(computeDigest('', 'SHA')).toMatch(/^SHA=/);
  });
});

describe('parseDigestHeader', () => {
  it('accepts SHA-256 / SHA-512 in either case', () => {
    for (const v of [computeDigest('x'), computeDigest('x', 'SHA-512'), computeDigest('x').replace('SHA-256', 'sha-256')]) {
      const p = parseDigestHeader(v);
      expect(p.ok, v).toBe(true);
      if (p.ok) expect(digestMatches(p, Buffer.from('x'))).toBe(true);
    }
  });

  it('refuses disallowed algorithms as such', () => {
    for (const v of [computeDigest('x', 'MD5'), computeDigest('x', 'SHA'), computeDigest('x', 'SHA-384'), computeDigest('x', 'SHA-1')]) {
      expect(parseDigestHeader(v)).toMatchObject({ ok: false, reason: 'algorithm' });
    }
  });

  it('refuses malformed values', () => {
    const good = computeDigest('x');
    for (const v of [
      '',
      'SHA-256',
      'SHA-256=',
      '=abc',
      'SHA-256=not base64!',
      good.slice(0, -4),
      good + 'AAAA',
      `${good},${computeDigest('x', 'SHA-512')}`,
      'SHA 256=abc=',
    ]) {
      expect(parseDigestHeader(v), v).toMatchObject({ ok: false });
    }
  });

  it('detects a body that differs from the digested one', () => {
    const p = parseDigestHeader(computeDigest('{"a":1}'));
    expect(p.ok && digestMatches(p, Buffer.from('{"a":1}\n'))).toBe(false);
    expect(p.ok && digestMatches(p, Buffer.from('{"a":1}'))).toBe(true);
  });
});
