import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Exchange, HttpRequestRecord } from './model.js';
import { createRedactor, luhnValid, maskPan, maskPansInText, REDACTED } from './redact.js';

const CONSENT = 'consent-7f3a9c21-e2b4';
const PSU = 'PSU-4711-xyz';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.payload.sig';
const PAN = '4925000000000004'; // Visa test PAN, Luhn-valid

const PEM = [
  '-----BEGIN PRIVATE KEY-----',
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7',
  'abcdefghijklmnopqrstuvwxyz0123456789+/==',
  '-----END PRIVATE KEY-----',
].join('\n');

describe('luhnValid / maskPan', () => {
  it('accepts known test PANs and rejects a changed digit', () => {
    expect(luhnValid(PAN)).toBe(true);
    expect(luhnValid('5555555555554444')).toBe(true);
    expect(luhnValid('378282246310005')).toBe(true);
    expect(luhnValid('4925000000000005')).toBe(false);
    expect(luhnValid('4925 0000 0000 0004')).toBe(true);
  });
  it('rejects non-digits and empty input', () => {
    expect(luhnValid('')).toBe(false);
    expect(luhnValid('49250000000000a4')).toBe(false);
  });
  it('keeps the first 6 and the last 4 digits', () => {
    expect(maskPan(PAN)).toBe('492500xxxxxx0004');
    expect(maskPan('4925 0000 0000 0004')).toBe('492500xxxxxx0004');
    expect(maskPan('4925000000000000004')).toBe('492500xxxxxxxxx0004');
    expect(maskPan('378282246310005')).toBe('378282xxxxx0005');
    expect(maskPan('1234567890')).toBe('xxxxxx7890');
  });
});

describe('maskPansInText', () => {
  it('masks PANs written with spaces or dashes', () => {
    expect(maskPansInText('card 4925 0000 0000 0004 ok')).toBe('card 492500xxxxxx0004 ok');
    expect(maskPansInText('card 4925-0000-0000-0004.')).toBe('card 492500xxxxxx0004.');
  });
  it('leaves Luhn-invalid numbers, short numbers and longer digit runs alone', () => {
    expect(maskPansInText('4925000000000005')).toBe('4925000000000005');
    expect(maskPansInText('amount 123456789012')).toBe('amount 123456789012');
    // 24 digits: not a card number, and no 16-digit slice of it is one either.
    expect(maskPansInText('ref 492500000000000400000000')).toBe('ref 492500000000000400000000');
    expect(maskPansInText('ref 4925 0000 0000 0004 0000 00')).toBe('ref 4925 0000 0000 0004 0000 00');
  });
  it('does not join numbers separated by double spaces', () => {
    expect(maskPansInText('4925000000000004  1')).toBe('492500xxxxxx0004  1');
  });
});

describe('createRedactor', () => {
  const r = createRedactor([CONSENT, PSU, TOKEN, 'abc', '']);

  it('masks a known PAN inside a JSON body', () => {
    const body = JSON.stringify({ cardAccount: { pan: PAN, maskedPan: '492500******0004', id: 'acc-1' } });
    const out = r.redactText(body);
    expect(out).not.toContain(PAN);
    expect(JSON.parse(out)).toEqual({ cardAccount: { pan: '492500xxxxxx0004', maskedPan: '492500******0004', id: 'acc-1' } });
  });

  it('masks a PAN written as a JSON number', () => {
    expect(r.redactText(`{"pan":${PAN}}`)).toBe('{"pan":492500xxxxxx0004}');
  });

  it('replaces secrets inside URLs (consent id in the path, PSU id in the query)', () => {
    const req: HttpRequestRecord = {
      method: 'GET',
      url: `https://bank.example/v1/consents/${CONSENT}/status?psu=${encodeURIComponent(PSU)}`,
      headers: {},
    };
    expect(r.redactRequest(req).url).toBe(`https://bank.example/v1/consents/${REDACTED}/status?psu=${REDACTED}`);
  });

  it('replaces percent-encoded and JSON-escaped forms of a secret', () => {
    const odd = createRedactor(['a b/"c"']);
    expect(odd.redactText('x/a%20b%2F%22c%22/y')).toBe(`x/${REDACTED}/y`);
    expect(odd.redactText(JSON.stringify({ v: 'a b/"c"' }))).toBe(`{"v":"${REDACTED}"}`);
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    const nested = createRedactor(['abcd', 'abcdefgh']);
    expect(nested.redactText('xx abcdefgh yy abcd')).toBe(`xx ${REDACTED} yy ${REDACTED}`);
  });

  it('ignores secrets shorter than 4 characters', () => {
    expect(r.redactText('abc is fine')).toBe('abc is fine');
  });

  it('redacts PEM private keys, including a block cut off by a size limit', () => {
    expect(r.redactText(`key: ${PEM} end`)).toBe('key: [REDACTED PRIVATE KEY] end');
    const rsa = PEM.replace(/PRIVATE KEY/g, 'RSA PRIVATE KEY');
    expect(r.redactText(rsa)).toBe('[REDACTED PRIVATE KEY]');
    expect(r.redactText(JSON.stringify({ key: PEM }))).toBe('{"key":"[REDACTED PRIVATE KEY]"}');
    expect(r.redactText('x -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI')).toBe('x [REDACTED PRIVATE KEY]');
    // Certificates are public and stay.
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(r.redactText(cert)).toBe(cert);
  });

  it('redacts header values by name', () => {
    const cert = 'MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa';
    const out = r.redactHeaders({
      authorization: `Bearer ${TOKEN}`,
      signature: 'keyId="SN=1A2B,CA=CN=Test CA",algorithm="rsa-sha256",headers="digest x-request-id",signature="c2lnbmF0dXJl=="',
      'consent-id': 'some-consent',
      'psu-id': 'p',
      'psu-corporate-id': 'corp-1',
      cookie: 'session=abc; other=def',
      'set-cookie': 'session=abc; Path=/; HttpOnly',
      'tpp-signature-certificate': cert,
      'x-request-id': '99391c7e-ad88-49ec-a2ad-99ddcb1f7721',
      location: `/v1/consents/${CONSENT}`,
    });
    expect(out).toEqual({
      authorization: 'Bearer [REDACTED]',
      signature: 'keyId="SN=1A2B,CA=CN=Test CA",algorithm="rsa-sha256",headers="digest x-request-id",signature="[REDACTED]"',
      'consent-id': REDACTED,
      'psu-id': REDACTED,
      'psu-corporate-id': REDACTED,
      cookie: REDACTED,
      'set-cookie': REDACTED,
      'tpp-signature-certificate': `[certificate sha256:${createHash('sha256').update(cert).digest('hex').slice(0, 16)}]`,
      'x-request-id': '99391c7e-ad88-49ec-a2ad-99ddcb1f7721',
      location: `/v1/consents/${REDACTED}`,
    });
  });

  it('redacts an authorization value without a scheme whole, and a signature header without a signature param', () => {
    const out = r.redactHeaders({ authorization: 'opaque', signature: 'garbage' });
    expect(out).toEqual({ authorization: REDACTED, signature: REDACTED });
  });

  it('redacts a whole exchange and leaves the input untouched', () => {
    const ex: Exchange = {
      probe: 'details',
      operationId: 'readCardAccountDetails',
      endpoint: 'GET /v1/card-accounts/{account-id}',
      request: {
        method: 'GET',
        url: `https://bank.example/v1/card-accounts/acc-1?c=${CONSENT}`,
        headers: { 'consent-id': CONSENT, 'psu-id': PSU, 'x-request-id': 'r1' },
      },
      response: {
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ cardAccount: { pan: PAN, note: `for ${PSU}` } }),
        durationMs: 12,
      },
      failure: { kind: 'protocol', message: `bad body for consent ${CONSENT}` },
      context: { accountId: 'acc-1', pan: Number(PAN), limit: 10, ok: true, consent: CONSENT },
    };
    const copy = structuredClone(ex);
    const out = r.redactExchange(ex);
    expect(ex).toEqual(copy);
    const text = JSON.stringify(out);
    for (const secret of [CONSENT, PSU, PAN]) expect(text).not.toContain(secret);
    expect(out.response?.body).toBe('{"cardAccount":{"pan":"492500xxxxxx0004","note":"for [REDACTED]"}}');
    expect(out.failure?.message).toBe('bad body for consent [REDACTED]');
    expect(out.context).toEqual({ accountId: 'acc-1', pan: '492500xxxxxx0004', limit: 10, ok: true, consent: REDACTED });
  });

  it('is idempotent', () => {
    // Secrets chosen to collide with the placeholders and the masked PAN.
    const nasty = createRedactor([CONSENT, 'DACT', 'REDACTED', 'xxxxxx', 'sha256', '0004']);
    const samples = [
      `{"pan":"${PAN}","consent":"${CONSENT}","key":${JSON.stringify(PEM)}}`,
      'REDACTED DACT [REDACTED] 4925 0000 0000 0004 xxxxxx sha256',
      '[certificate sha256:1234567890123452] 378282246310005',
      '',
    ];
    for (const s of samples) {
      const once = nasty.redactText(s);
      expect(nasty.redactText(once)).toBe(once);
      expect(r.redactText(r.redactText(s))).toBe(r.redactText(s));
    }
    const req: HttpRequestRecord = {
      method: 'POST',
      url: `https://bank.example/v1/consents/${CONSENT}`,
      headers: { authorization: `Bearer ${TOKEN}`, 'tpp-signature-certificate': 'MIIB', signature: 'keyId="k",signature="s"' },
      body: `{"pan":"${PAN}"}`,
    };
    const once = r.redactRequest(req);
    expect(r.redactRequest(once)).toEqual(once);
  });
});
