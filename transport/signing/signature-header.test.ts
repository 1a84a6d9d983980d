import { describe, expect, it } from 'vitest';
import { formatSignatureHeader, parseSignatureHeader } from './signature-header.js';

const KEY_ID = 'SN=9FA1,CA=CN=D-TRUST%20CA%202-1%202015,O=D-Trust%20GmbH,C=DE';
const SIG = 'c2lnbmF0dXJl';
const good = formatSignatureHeader({ keyId: KEY_ID, algorithm: 'rsa-sha256', headers: ['digest', 'x-request-id'], signature: SIG });

describe('formatSignatureHeader', () => {
  it('writes bare quoted parameters in the BG order, with no scheme prefix', () => {
    expect(good).toBe(`keyId="${KEY_ID}",algorithm="rsa-sha256",headers="digest x-request-id",signature="${SIG}"`);
  });

  it('omits parameters left undefined and escapes quotes', () => {
    expect(formatSignatureHeader({ keyId: 'a"b', signature: SIG })).toBe(`keyId="a\\"b",signature="${SIG}"`);
    expect(formatSignatureHeader({ headers: 'Digest  X-Request-ID', extra: { created: '1' } })).toBe('headers="Digest  X-Request-ID",created="1"');
  });
});

describe('parseSignatureHeader', () => {
  it('reads what the formatter writes, keyIds with commas included', () => {
    const r = parseSignatureHeader(good);
    expect(r).toEqual({
      ok: true,
      value: { keyId: KEY_ID, algorithm: 'rsa-sha256', headers: ['digest', 'x-request-id'], headersGiven: true, signature: SIG, extra: {} },
    });
  });

  it('tolerates spaces after commas, upper-case header names, unknown and numeric parameters', () => {
    const r = parseSignatureHeader(`keyId="k", algorithm="rsa-sha256",\theaders="Digest X-Request-ID",signature="${SIG}",created=1402170695,foo="bar"`);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.headers).toEqual(['digest', 'x-request-id']);
      expect(r.value.created).toBe(1402170695);
      expect(r.value.extra).toEqual({ foo: 'bar' });
    }
  });

  it('defaults headers to ["date"] as cavage says', () => {
    const r = parseSignatureHeader(`keyId="k",algorithm="rsa-sha256",signature="${SIG}"`);
    expect(r.ok && r.value.headers).toEqual(['date']);
    expect(r.ok && r.value.headersGiven).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['empty', '   '],
    ['scheme-prefix', `Signature ${good}`],
    ['unquoted', `keyId=k,algorithm="rsa-sha256",headers="digest",signature="${SIG}"`],
    ['unquoted', `keyId="k",algorithm=rsa-sha256,headers="digest",signature="${SIG}"`],
    ['duplicate', `${good},keyId="other"`],
    ['duplicate', `${good},signature="${SIG}"`],
    ['missing-param', `keyId="k",algorithm="rsa-sha256",headers="digest"`],
    ['missing-param', `algorithm="rsa-sha256",headers="digest",signature="${SIG}"`],
    ['missing-param', `keyId="k",headers="digest",signature="${SIG}"`],
    ['empty-param', `keyId="",algorithm="rsa-sha256",headers="digest",signature="${SIG}"`],
    ['empty-param', `keyId="k",algorithm="rsa-sha256",headers="",signature="${SIG}"`],
    ['bad-headers', `keyId="k",algorithm="rsa-sha256",headers="digest  x-request-id",signature="${SIG}"`],
    ['bad-headers', `keyId="k",algorithm="rsa-sha256",headers="digest digest",signature="${SIG}"`],
    ['bad-headers', `keyId="k",algorithm="rsa-sha256",headers="digest:",signature="${SIG}"`],
    ['bad-signature', `keyId="k",algorithm="rsa-sha256",headers="digest",signature="not base64!"`],
    ['bad-signature', `keyId="k",algorithm="rsa-sha256",headers="digest",signature="abc"`],
    ['syntax', `${good},`],
    ['syntax', `${good};x="y"`],
    ['syntax', `keyId="k" algorithm="rsa-sha256"`],
    ['syntax', `keyId="unterminated`],
    ['syntax', `keyId ="k",algorithm="rsa-sha256",signature="${SIG}"`],
    ['syntax', `keyId="k\u0001",algorithm="rsa-sha256",signature="${SIG}"`],
    ['syntax', `keyId="k\u2603",algorithm="rsa-sha256",signature="${SIG}"`],
    ['syntax', 'garbage'],
    ['syntax', '=""'],
    ['too-long', `keyId="${'k'.repeat(20_000)}",algorithm="rsa-sha256",signature="${SIG}"`],
  ])('rejects %s: %s', (kind, header) => {
    const r = parseSignatureHeader(header);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe(kind);
  });

  it('never throws, whatever the input (seeded fuzz, 2000 cases)', () => {
    let seed = 20261121;
    const rand = (): number => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const alphabet: readonly string[] = ['"', ',', '=', ' ', '\\', 'a', 'K', '0', '+', '/', '\t', '\u0000', 'é', '\u2603', 'keyId', 'signature', 'headers'];
    const pick = (): string => alphabet[Math.floor(rand() * alphabet.length)] ?? '';
    for (let i = 0; i < 2000; i++) {
      let text: string;
      if (i % 2 === 0) {
        text = Array.from({ length: Math.floor(rand() * 60) }, pick).join('');
      } else {
        const chars = Array.from(good);
        for (let m = 0; m < 1 + Math.floor(rand() * 4); m++) {
          const at = Math.floor(rand() * chars.length);
          const op = rand();
          if (op < 0.33) chars.splice(at, 1);
          else if (op < 0.66) chars.splice(at, 0, pick());
          else chars[at] = pick();
        }
        text = chars.join('');
      }
      const r = parseSignatureHeader(text);
      expect(typeof r.ok).toBe('boolean');
      if (r.ok) {
        expect(r.value.keyId.length).toBeGreaterThan(0);
        expect(r.value.signature).toMatch(/^[A-Za-z0-9+/]+={0,2}$/);
      }
    }
  });
});
