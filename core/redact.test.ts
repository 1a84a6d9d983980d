import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Exchange, HttpRequestRecord } from './model.js';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createRedactor,
  headerSecrets,
  luhnValid,
  maskPan,
  maskPansInText,
  PAN_MASK_NOTE,
  REDACTED,
  secretHeaderKind,
  signatureValue,
  sweepRedact,
  writeRedactedFile,
} from './redact.js';

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

const M = (digits: string): string => `${maskPan(digits)}${PAN_MASK_NOTE}`;

describe('maskPansInText', () => {
  it('masks PANs written with spaces or dashes, marked as masked by this tool', () => {
    expect(maskPansInText('card 4925 0000 0000 0004 ok')).toBe(`card ${M(PAN)} ok`);
    expect(maskPansInText('card 4925-0000-0000-0004.')).toBe(`card ${M(PAN)}.`);
    expect(M(PAN)).toBe('492500xxxxxx0004 [masked by card-conformance]');
  });
  it('leaves Luhn-invalid numbers, short numbers, dates and ids alone', () => {
    expect(maskPansInText('4925000000000005')).toBe('4925000000000005');
    expect(maskPansInText('amount 123456789012')).toBe('amount 123456789012');
    expect(maskPansInText('from 2026-10-01 to 2026-10-31')).toBe('from 2026-10-01 to 2026-10-31');
    // UUIDs and hex digests (Allure's own ids) are no card numbers even where digits add up.
    expect(maskPansInText('230ab731-5621-4376-842c-bd51feb40088')).toBe('230ab731-5621-4376-842c-bd51feb40088');
    expect(maskPansInText('5b1540154925000000000004b80a5293')).toBe('5b1540154925000000000004b80a5293');
    expect(maskPansInText('"source":"49250000-0000-0004-81f6-a3df1b60a477-attachment.txt"')).toBe(
      '"source":"49250000-0000-0004-81f6-a3df1b60a477-attachment.txt"',
    );
    expect(maskPansInText('49250000-0000-0004-81')).toContain(PAN_MASK_NOTE);
    // …but a card number is no hex id.
    expect(maskPansInText('pan-4925000000000004-x')).toBe(`pan-${M(PAN)}-x`);
  });
  it('finds a card number next to other digits', () => {
    expect(maskPansInText('invoice 2026 5105105105105100')).toBe(`invoice 2026 ${M('5105105105105100')}`);
    expect(maskPansInText('ref 4925 0000 0000 0004 0000 00')).toBe(`ref ${M(PAN)} 0000 00`);
    // Glued to other digits: the whole digit string is masked, so no digit of the card survives.
    const glued = maskPansInText('invoice 20265105105105105100');
    expect(glued).not.toContain('5105105105105100');
    expect(glued).toContain(PAN_MASK_NOTE);
    expect(maskPansInText('ref 492500000000000400000000')).toContain(PAN_MASK_NOTE);
  });
  it('does not join numbers separated by double spaces', () => {
    expect(maskPansInText('4925000000000004  1')).toBe(`${M(PAN)}  1`);
  });
});

describe('createRedactor', () => {
  const r = createRedactor([{ value: CONSENT, kind: 'consent-id' }, { value: PSU, kind: 'psu-id' }, { value: TOKEN, kind: 'token' }, 'abc', '']);

  it('masks a full PAN inside a JSON body, visibly', () => {
    const body = JSON.stringify({ cardAccount: { pan: PAN, maskedPan: '492500******0004', id: 'acc-1' } });
    const out = r.redactText(body);
    expect(out).not.toContain(PAN);
    expect(JSON.parse(out)).toEqual({ cardAccount: { pan: M(PAN), maskedPan: '492500******0004', id: 'acc-1' } });
  });

  it('masks a PAN written as a JSON number', () => {
    expect(r.redactText(`{"pan":${PAN}}`)).toBe(`{"pan":${M(PAN)}}`);
  });

  it('labels each mask with what it hides', () => {
    expect(r.redactText(`c=${CONSENT} p=${PSU} t=${TOKEN}`)).toBe('c=[REDACTED consent-id] p=[REDACTED psu-id] t=[REDACTED token]');
  });

  it('writes a secret id in a URL path as its template, a secret in the query as a mask', () => {
    expect(r.redactUrl(`https://bank.example/v1/consents/${CONSENT}/status?psu=${encodeURIComponent(PSU)}`)).toBe(
      'https://bank.example/v1/consents/{consentId}/status?psu=[REDACTED psu-id]',
    );
    // A secret of unknown kind after /consents/ is a consent id too.
    expect(createRedactor(['some-consent-1']).redactUrl('https://b/v1/consents/some-consent-1')).toBe('https://b/v1/consents/{consentId}');
  });

  it('finds secrets written with JSON escapes (\\uXXXX, \\/), percent-encoding or XML references', () => {
    const slashy = createRedactor([{ value: 'tok/en+1=', kind: 'token' }]);
    expect(slashy.redactText('{"t":"tok\\/en+1="}')).toBe('{"t":"[REDACTED token]"}');
    const esc = CONSENT.split('')
      .map((c, i) => (i % 3 === 0 ? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}` : c))
      .join('');
    expect(r.redactText(`{"id":"${esc}"}`)).toBe('{"id":"[REDACTED consent-id]"}');
    expect(r.redactText(`{"id":"\\u0063onsent-7f3a9c21-e2b4"}`)).toBe('{"id":"[REDACTED consent-id]"}');
    expect(r.redactText(`x?p=${encodeURIComponent(PSU).replace(/-/g, '%2D')}&y`)).toBe('x?p=[REDACTED psu-id]&y');
    expect(r.redactText(`<a v="&#x63;onsent-7f3a9c21-e2b4"/>`)).toBe('<a v="[REDACTED consent-id]"/>');
    const odd = createRedactor(['a b/"c"']);
    expect(odd.redactText('x/a%20b%2F%22c%22/y')).toBe(`x/${REDACTED}/y`);
    expect(odd.redactText(JSON.stringify({ v: 'a b/"c"' }))).toBe(`{"v":"${REDACTED}"}`);
  });

  it('finds card numbers written with \\u digit escapes', () => {
    const escaped = PAN.split('')
      .map((d) => `\\u00${d.charCodeAt(0).toString(16)}`)
      .join('');
    const out = r.redactText(`{"pan":"${escaped}"}`);
    expect(out).toBe(`{"pan":"${M(PAN)}"}`);
    expect(JSON.stringify(JSON.parse(out))).not.toContain(PAN);
  });

  it('replaces the longer of two overlapping secrets whole', () => {
    const nested = createRedactor(['abcd', 'abcdefgh']);
    expect(nested.redactText('xx abcdefgh yy abcd')).toBe(`xx ${REDACTED} yy ${REDACTED}`);
  });

  it('masks secrets shorter than 4 characters only in structured places', () => {
    expect(r.redactText('abc is fine')).toBe('abc is fine');
    expect(r.redactText('{"psu":"abc","x":"abcd"}')).toBe(`{"psu":"${REDACTED}","x":"abcd"}`);
    expect(r.redactUrl('https://b/v1/x/abc/y?q=abc&r=abcd')).toBe(`https://b/v1/x/${REDACTED}/y?q=${REDACTED}&r=abcd`);
    expect(r.redactHeaders({ 'x-user': 'abc', 'x-other': 'abcd' })).toEqual({ 'x-user': REDACTED, 'x-other': 'abcd' });
  });

  it('redacts PEM private keys, including a block cut off by a size limit', () => {
    expect(r.redactText(`key: ${PEM} end`)).toBe('key: [REDACTED PRIVATE KEY] end');
    const rsa = PEM.replace(/PRIVATE KEY/g, 'RSA PRIVATE KEY');
    expect(r.redactText(rsa)).toBe('[REDACTED PRIVATE KEY]');
    expect(r.redactText(JSON.stringify({ key: PEM }))).toBe('{"key":"[REDACTED PRIVATE KEY]"}');
    expect(r.redactText('x -----BEGIN EC PRIVATE KEY-----\nMHcCAQEEI')).toBe('x [REDACTED PRIVATE KEY]');
    const cert = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
    expect(r.redactText(cert)).toBe(cert);
  });

  it('redacts header values by name, and secrets and card numbers in header names', () => {
    const cert = 'MIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa';
    const out = r.redactHeaders({
      authorization: `Bearer ${TOKEN}`,
      signature: 'keyId="SN=1A2B,CA=CN=Test CA",algorithm="rsa-sha256",headers="digest x-request-id",signature="c2lnbmF0dXJl=="',
      'consent-id': 'some-consent',
      'psu-id': 'p',
      'psu-corporate-id': 'corp-1',
      cookie: 'session=abc; other=def',
      'set-cookie': 'session=abc; Path=/; HttpOnly',
      'x-api-key': 'k1',
      'x-debug-token': 'whatever',
      'idempotency-key': 'idem-1',
      'tpp-signature-certificate': cert,
      'x-request-id': '99391c7e-ad88-49ec-a2ad-99ddcb1f7721',
      location: `/v1/consents/${CONSENT}`,
      [`x-echo-${CONSENT}`]: '1',
      [`x-card-${PAN}`]: '1',
    });
    expect(out).toEqual({
      authorization: 'Bearer [REDACTED token]',
      signature: 'keyId="SN=1A2B,CA=CN=Test CA",algorithm="rsa-sha256",headers="digest x-request-id",signature="[REDACTED signature]"',
      'consent-id': '[REDACTED consent-id]',
      'psu-id': '[REDACTED psu-id]',
      'psu-corporate-id': '[REDACTED psu-id]',
      cookie: '[REDACTED credential]',
      'set-cookie': '[REDACTED credential]',
      'x-api-key': '[REDACTED credential]',
      'x-debug-token': '[REDACTED credential]',
      'idempotency-key': 'idem-1',
      'tpp-signature-certificate': `[certificate sha256:${createHash('sha256').update(cert).digest('hex').slice(0, 16)}]`,
      'x-request-id': '99391c7e-ad88-49ec-a2ad-99ddcb1f7721',
      location: '/v1/consents/{consentId}',
      'x-echo-[REDACTED consent-id]': '1',
      [`x-card-${M(PAN)}`]: '1',
    });
  });

  it('redacts an authorization value without a scheme whole, and a signature header without a signature param', () => {
    const out = r.redactHeaders({ authorization: 'opaque', signature: 'garbage' });
    expect(out).toEqual({ authorization: '[REDACTED token]', signature: '[REDACTED signature]' });
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
    expect(out.response?.body).toBe(`{"cardAccount":{"pan":"${M(PAN)}","note":"for [REDACTED psu-id]"}}`);
    expect(out.failure?.message).toBe('bad body for consent [REDACTED consent-id]');
    expect(out.context).toEqual({ accountId: 'acc-1', pan: M(PAN), limit: 10, ok: true, consent: '[REDACTED consent-id]' });
  });

  it('redacts JSON text string by string, keeping numbers (timestamps) as they are', () => {
    const text = JSON.stringify({ start: 1764500000006, name: `x ${CONSENT}`, [PAN]: 1 });
    const out = JSON.parse(r.redactJsonText(text)) as Record<string, unknown>;
    expect(out.start).toBe(1764500000006);
    expect(out.name).toBe('x [REDACTED consent-id]');
    expect(Object.keys(out)).toContain(M(PAN));
    const plain = '{\n  "a": 1\n}\n';
    expect(r.redactJsonText(plain)).toBe(plain);
  });

  it('is idempotent', () => {
    // Secrets chosen to collide with the masks and the masked PAN.
    const nasty = createRedactor([CONSENT, 'DACT', 'REDACTED', 'xxxxxx', 'sha256', '0004', 'card-conformance', 'consentId']);
    const samples = [
      `{"pan":"${PAN}","consent":"${CONSENT}","key":${JSON.stringify(PEM)}}`,
      'REDACTED DACT [REDACTED] 4925 0000 0000 0004 xxxxxx sha256',
      '[certificate sha256:1234567890123452] 378282246310005',
      `https://b/v1/consents/${CONSENT}/status`,
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

describe('secret headers and signature values', () => {
  it('judges header names', () => {
    for (const n of ['Authorization', 'x-api-key', 'cookie', 'set-cookie', 'proxy-authorization', 'x-auth-token', 'client-secret', 'apikey'])
      expect(secretHeaderKind(n), n).toBeDefined();
    for (const n of ['x-request-id', 'content-type', 'idempotency-key', 'tpp-session-id', 'www-authenticate']) expect(secretHeaderKind(n), n).toBeUndefined();
  });
  it('takes the credentials of an authorization header as a secret of their own', () => {
    expect(headerSecrets('Authorization', 'Bearer t0k3n').map((s) => s.value)).toEqual(['Bearer t0k3n', 't0k3n']);
    expect(headerSecrets('x-accept-fix', '2024-01')).toEqual([]);
  });
  it('reads the signature value of a Signature header', () => {
    expect(signatureValue('keyId="a",algorithm="rsa-sha256",headers="digest",signature="c2ln/bmF+0=="')).toBe('c2ln/bmF+0==');
    expect(signatureValue('garbage')).toBeUndefined();
  });
});

describe('writers', () => {
  it('writeRedactedFile redacts the final text; sweepRedact finds what a writer missed and keeps ids intact', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-redact-'));
    try {
      const r = createRedactor([{ value: CONSENT, kind: 'consent-id' }]);
      writeRedactedFile(join(dir, 'a', 'x.md'), `consent ${CONSENT}, card ${PAN}`, r);
      expect(readFileSync(join(dir, 'a', 'x.md'), 'utf8')).toBe(`consent [REDACTED consent-id], card ${M(PAN)}`);
      mkdirSync(join(dir, 'allure-results'));
      const result = JSON.stringify({ uuid: '230ab731-5621-4376-842c-bd51feb40088', start: 1764500000006, name: `GET /v1/consents/${CONSENT}` });
      writeFileSync(join(dir, 'allure-results', 'r-result.json'), result);
      writeFileSync(join(dir, 'allure-results', 'clean.txt'), 'nothing here 2026-10-01');
      writeFileSync(join(dir, 'index.html'), `<script>var n=4925000000000004;var c="${CONSENT}"</script>`);
      const changed = sweepRedact(dir, r)
        .map((p) => p.slice(dir.length + 1))
        .sort();
      expect(changed).toEqual(['allure-results/r-result.json', 'index.html']);
      expect(JSON.parse(readFileSync(join(dir, 'allure-results', 'r-result.json'), 'utf8'))).toEqual({
        uuid: '230ab731-5621-4376-842c-bd51feb40088',
        start: 1764500000006,
        name: 'GET /v1/consents/{consentId}',
      });
      // The report is a program: only explicit secrets are replaced there, never digit heuristics.
      expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe('<script>var n=4925000000000004;var c="[REDACTED consent-id]"</script>');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
