import { describe, expect, it } from 'vitest';
import { buildSigningString, defaultSignedHeaders, requestTarget } from './signing-string.js';

const headers = {
  host: 'example.com',
  date: 'Sun, 05 Jan 2014 21:31:40 GMT',
  'content-type': 'application/json',
  digest: 'SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=',
  'content-length': '18',
};

describe('buildSigningString', () => {
  it('reproduces the cavage-10 §2.3 example', () => {
    const r = buildSigningString(['(request-target)', 'host', 'date', 'content-type', 'digest', 'content-length'], {
      method: 'POST',
      target: '/foo?param=value&pet=dog',
      headers,
    });
    expect(r).toEqual({
      ok: true,
      value: [
        '(request-target): post /foo?param=value&pet=dog',
        'host: example.com',
        'date: Sun, 05 Jan 2014 21:31:40 GMT',
        'content-type: application/json',
        'digest: SHA-256=X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=',
        'content-length: 18',
      ].join('\n'),
    });
  });

  it('lower-cases names, trims values, follows the given order, adds no trailing newline', () => {
    const r = buildSigningString(['X-Request-ID', 'Digest'], { method: 'GET', target: '/', headers: { 'x-request-id': '  abc \t', digest: 'd' } });
    expect(r).toEqual({ ok: true, value: 'x-request-id: abc\ndigest: d' });
  });

  it('reports the first header the request lacks', () => {
    expect(buildSigningString(['digest', 'psu-id'], { method: 'GET', target: '/', headers: { digest: 'd' } })).toEqual({ ok: false, missing: 'psu-id' });
  });
});

describe('defaultSignedHeaders', () => {
  it('signs digest and x-request-id, plus the PSU headers that are present, in BG order', () => {
    expect(defaultSignedHeaders({}, { signDate: false, signRequestTarget: false })).toEqual(['digest', 'x-request-id']);
    expect(defaultSignedHeaders({ 'tpp-redirect-uri': 'x', 'psu-id': 'y', 'psu-corporate-id': 'z' }, { signDate: true, signRequestTarget: true })).toEqual([
      '(request-target)',
      'date',
      'digest',
      'x-request-id',
      'psu-id',
      'psu-corporate-id',
      'tpp-redirect-uri',
    ]);
  });

  it("follows the profile's lists; signDate adds date to them or takes it out", () => {
    const bits = { signedHeaders: ['date', 'digest', 'x-request-id'], signedWhenPresent: ['psu-id', 'tpp-redirect-uri'] };
    expect(defaultSignedHeaders({ 'tpp-redirect-uri': 'x', 'psu-corporate-id': 'z' }, { signDate: true, signRequestTarget: false, ...bits })).toEqual([
      'date',
      'digest',
      'x-request-id',
      'tpp-redirect-uri',
    ]);
    expect(defaultSignedHeaders({}, { signDate: false, signRequestTarget: false, ...bits })).toEqual(['digest', 'x-request-id']);
    expect(defaultSignedHeaders({}, { signDate: false, signRequestTarget: false, signedHeaders: ['x-request-id', 'digest', 'digest'] })).toEqual([
      'x-request-id',
      'digest',
    ]);
  });
});

describe('requestTarget', () => {
  it('keeps path and query', () => {
    expect(requestTarget('https://bank.example:8443/v1/card-accounts?withBalance=true')).toBe('/v1/card-accounts?withBalance=true');
    expect(requestTarget('/v1/x?a=b')).toBe('/v1/x?a=b');
  });
});
