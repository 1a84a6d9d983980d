import { describe, expect, it } from 'vitest';
import { decodeHeaderValue, encodeHeaderValue, needsEncoding } from './rfc2047.js';

describe('RFC 2047', () => {
  it('leaves plain ASCII alone', () => {
    expect(needsEncoding('PSU-1234 a\tb')).toBe(false);
    expect(encodeHeaderValue('https://tpp.example/cb?x=1')).toBe('https://tpp.example/cb?x=1');
  });

  it('encodes non-ASCII as one UTF-8 B word that undici can send', () => {
    const encoded = encodeHeaderValue('Bjørn Ærø');
    expect(encoded).toBe(`=?utf-8?B?${Buffer.from('Bjørn Ærø').toString('base64')}?=`);
    expect(encoded).toMatch(/^[\x20-\x7e]+$/);
    expect(needsEncoding('line\nbreak')).toBe(true);
  });

  it('decodes B and Q words in UTF-8 and Latin-1', () => {
    expect(decodeHeaderValue(encodeHeaderValue('Bjørn 😀'))).toBe('Bjørn 😀');
    expect(decodeHeaderValue('=?ISO-8859-1?Q?Bj=F8rn_S?=')).toBe('Bjørn S');
    expect(decodeHeaderValue('=?utf-8?q?Bj=C3=B8rn?= =?utf-8?B?IMOG?=')).toBe('Bjørn Æ');
    expect(decodeHeaderValue('plain')).toBe('plain');
    expect(decodeHeaderValue('=?koi8-r?B?abcd?=')).toBe('=?koi8-r?B?abcd?=');
  });
});
