import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { HttpRequestRecord } from '../core/model.js';
import { createRedactor } from '../core/redact.js';
import { canonicalHeaderName, shellQuote, toCurl } from './curl.js';

/** Runs the command in bash with `curl` replaced by a function that prints its arguments. */
function argv(command: string, env: Record<string, string> = {}): string[] {
  const script = `curl() { for a in "$@"; do printf '%s\\0' "$a"; done; }\n${command}`;
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', script], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

const CONSENT = 'consent-1234-abcd';
const redactor = createRedactor([CONSENT, 'PSU-777']);

describe('toCurl', () => {
  it('renders a GET without -X, with secret headers as shell variables', () => {
    const req = redactor.redactRequest({
      method: 'GET',
      url: 'https://bank.example/v1/card-accounts?withBalance=true',
      headers: {
        'consent-id': CONSENT,
        'psu-id': 'PSU-777',
        authorization: 'Bearer eyJ.secret.token',
        'x-request-id': '99391c7e-ad88-49ec-a2ad-99ddcb1f7721',
        digest: 'SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
        signature: 'keyId="SN=1,CA=x",algorithm="rsa-sha256",headers="digest",signature="abc"',
        'tpp-signature-certificate': 'MIIBsecretish',
        accept: 'application/json',
      },
    });
    const line = toCurl(req);
    expect(line).not.toContain('\n');
    expect(line).not.toContain(' -X ');
    expect(line).toContain('-H "Consent-ID: $CONSENT_ID"');
    expect(line).toContain('-H "PSU-ID: $PSU_ID"');
    expect(line).toContain('-H "Authorization: Bearer $TOKEN"');
    expect(line).toContain('-H "Signature: $SIGNATURE"');
    expect(line).toContain('-H "Digest: $DIGEST"');
    expect(line).toContain('-H "TPP-Signature-Certificate: $TPP_SIGNATURE_CERTIFICATE"');
    expect(line).not.toContain('REDACTED');
    expect(line).not.toContain('certificate sha256');
    expect(argv(line, { CONSENT_ID: 'c-1', PSU_ID: 'p-1', TOKEN: 't-1', SIGNATURE: 's', DIGEST: 'd', TPP_SIGNATURE_CERTIFICATE: 'cert' })).toEqual([
      'https://bank.example/v1/card-accounts?withBalance=true',
      '-H',
      'Consent-ID: c-1',
      '-H',
      'PSU-ID: p-1',
      '-H',
      'Authorization: Bearer t-1',
      '-H',
      'X-Request-ID: 99391c7e-ad88-49ec-a2ad-99ddcb1f7721',
      '-H',
      'Digest: d',
      '-H',
      'Signature: s',
      '-H',
      'TPP-Signature-Certificate: cert',
      '-H',
      'Accept: application/json',
    ]);
  });

  it('renders a POST with -X and --data-binary, and survives quotes, $ and newlines', () => {
    const body = `{"note":"it's $HOME \`id\` \\" ok",\n"x":"a\tb"}`;
    const req: HttpRequestRecord = {
      method: 'post',
      url: "https://bank.example/v1/consents?q=it's",
      headers: { 'content-type': 'application/json', 'content-length': '99', 'x-odd': `$(touch /tmp/pwned) 'q'` },
      body,
    };
    const line = toCurl(req);
    expect(line).not.toMatch(/[\n\r]/);
    expect(line.startsWith("curl -X 'POST' ")).toBe(true);
    expect(line).not.toMatch(/content-length/i);
    expect(argv(line, { HOME: '/nowhere' })).toEqual([
      '-X',
      'POST',
      "https://bank.example/v1/consents?q=it's",
      '-H',
      'Content-Type: application/json',
      '-H',
      `X-Odd: $(touch /tmp/pwned) 'q'`,
      '--data-binary',
      body,
    ]);
  });

  it('turns a consent id template in the path into $CONSENT_ID and other masks into $PSU_ID or $SECRET_n', () => {
    const req = redactor.redactRequest({ method: 'DELETE', url: `https://bank.example/v1/consents/${CONSENT}?psu=PSU-777`, headers: {} });
    expect(req.url).toBe('https://bank.example/v1/consents/{consentId}?psu=[REDACTED]');
    expect(toCurl({ ...req, url: 'https://b/x?p=[REDACTED psu-id]&t=[REDACTED token]' })).toBe(`curl -X 'DELETE' 'https://b/x?p='"$PSU_ID"'&t='"$SECRET_1"`);
    const line = toCurl(req);
    expect(line).toBe(`curl -X 'DELETE' 'https://bank.example/v1/consents/'"$CONSENT_ID"'?psu='"$SECRET_1"`);
    expect(argv(line, { CONSENT_ID: 'c-9', SECRET_1: 's-1' })).toEqual(['-X', 'DELETE', 'https://bank.example/v1/consents/c-9?psu=s-1']);
  });

  it('turns any header the redactor masked whole into a shell variable named after it', () => {
    const req = createRedactor([]).redactRequest({ method: 'GET', url: 'https://b/', headers: { 'x-api-key': 'k-123456', 'x-client-secret': 's-98765' } });
    const line = toCurl(req);
    expect(line).toContain('-H "X-Api-Key: $X_API_KEY"');
    expect(line).toContain('-H "X-Client-Secret: $X_CLIENT_SECRET"');
    expect(line).not.toContain('REDACTED');
  });

  it('uses -I for HEAD, --globoff for literal brackets, and sends empty headers with ";"', () => {
    const line = toCurl({ method: 'HEAD', url: 'https://bank.example/v1/x?a[0]=1', headers: { 'x-empty': '' } });
    expect(line).toBe("curl -I --globoff 'https://bank.example/v1/x?a[0]=1' -H 'X-Empty;'");
  });

  it('keeps a non-bearer scheme and falls back to $AUTHORIZATION without one', () => {
    expect(toCurl({ method: 'GET', url: 'https://b/', headers: { authorization: 'Basic [REDACTED]' } })).toContain('-H "Authorization: Basic $CREDENTIALS"');
    expect(toCurl({ method: 'GET', url: 'https://b/', headers: { authorization: '[REDACTED]' } })).toContain('-H "Authorization: $AUTHORIZATION"');
  });
});

describe('shellQuote / canonicalHeaderName', () => {
  it('quotes single quotes and control characters', () => {
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
    expect(shellQuote('a\nb\x01')).toBe(`$'a\\nb\\x01'`);
    expect(argv(`printf '%s' ${shellQuote("x'\n\\y\x01")} >/dev/null; curl ${shellQuote("x'\n\\y\x01")}`)).toEqual(["x'\n\\y\x01"]);
  });
  it('spells Berlin Group headers the way the standard does', () => {
    expect(canonicalHeaderName('psu-ip-address')).toBe('PSU-IP-Address');
    expect(canonicalHeaderName('x-request-id')).toBe('X-Request-ID');
    expect(canonicalHeaderName('content-type')).toBe('Content-Type');
  });
});

describe('curlWithGuide', () => {
  it('says where each variable comes from, and how to re-send a signed request', async () => {
    const { curlWithGuide } = await import('./curl.js');
    const text = curlWithGuide(
      {
        method: 'GET',
        url: 'https://bank.example/v1/card-accounts',
        headers: { 'consent-id': '[REDACTED consent-id]', signature: 'keyId="x"', digest: 'SHA-256=abc' },
      },
      'getCardAccountList:schema',
    );
    const lines = text.split('\n');
    expect(lines.at(-1)).toMatch(/^curl /);
    expect(text).toMatch(/^# export CONSENT_ID=… +# the consent id/m);
    expect(text).toContain("card-conformance replay --out OUT-DIR 'getCardAccountList:schema'");
    expect(text).not.toMatch(/export (SIGNATURE|DIGEST)/);
  });
  it('an unsigned request without secrets is the curl line alone', async () => {
    const { curlWithGuide } = await import('./curl.js');
    const r = { method: 'GET', url: 'https://bank.example/v1/card-accounts', headers: { accept: 'application/json' } };
    expect(curlWithGuide(r, 'x')).toBe(toCurl(r));
  });
});
