// SR-Bank's page, signing: the profile decides the signed header list (date, digest,
// x-request-id, and psu-id, psu-corporate-id, tpp-redirect-uri when present) and the keyId
// (SN=<hex serial>,CA=<full DN of the issuing CA>, plain), whichever certificate signs; a bank
// file may override per bank. Checked by joyent http-signature (an independent verifier) and by
// the reference bank's bits-no mode.
import { X509Certificate } from 'node:crypto';
import httpSignature from 'http-signature';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRequest } from '../collect/request-builder.js';
import { defaultBankConfig } from '../config/load.js';
import type { BankConfig } from '../config/types.js';
import type { HttpRequestRecord } from '../core/model.js';
import { generateTestPki } from '../transport/pki/generate.js';
import { signingFor } from '../app/run/signing.js';
import { parseSignatureHeader } from '../transport/signing/signature-header.js';
import { startReferenceBank, type RunningBank } from '../sandbox/index.js';
import { signatureGuard } from '../sandbox/signature/guard.js';
import { call, consentBody } from '../sandbox/test-client.js';
import { catalogueOf } from './fixtures/engine-run.js';

const pki = generateTestPki();
const { profile: bits, catalogue } = catalogueOf('bits-no');
const listOp = catalogue.operations.find((o) => o.role === 'listCardAccounts')!;
const createOp = catalogue.operations.find((o) => o.role === 'createConsent')!;
const statusOp = catalogue.operations.find((o) => o.role === 'getConsentStatus')!;
const cert = new X509Certificate(pki.qseal.certPem);
const publicKeyPem = cert.publicKey.export({ type: 'spki', format: 'pem' }).toString();
/** The issuing CA's full DN, most specific RDN first (RFC 2253 order), written plain. */
const issuerDn = cert.issuer.split('\n').reverse().join(',');

function bank(baseUrl: string, extra: Partial<BankConfig> = {}): BankConfig {
  return { ...defaultBankConfig(baseUrl, 'bits-no'), ...extra };
}

function signedList(b: BankConfig, consentId = 'c-1', psu: Partial<BankConfig['psu']> = {}): HttpRequestRecord {
  const withPsu = { ...b, psu: { ...b.psu, ...psu } };
  return signingFor(undefined, bits, () => pki).signer(buildRequest(listOp, { bank: withPsu, profile: bits, consentId }));
}

function joyentVerifies(signed: HttpRequestRecord, required: string[]): boolean {
  const url = new URL(signed.url);
  const parsed = httpSignature.parseRequest(
    { method: signed.method, url: url.pathname + url.search, httpVersion: '1.1', headers: signed.headers },
    { headers: required, clockSkew: 300 },
  );
  return httpSignature.verifySignature(parsed, publicKeyPem);
}

describe("bits-no requests signed with the run's test QSealC", () => {
  it('sign date, digest, x-request-id and tpp-redirect-uri (always sent under bits-no), in that order', () => {
    const signed = signedList(bank('https://psd2.bank.example'));
    const sig = parseSignatureHeader(signed.headers.signature!);
    expect(sig.ok).toBe(true);
    if (!sig.ok) return;
    expect(sig.value.headers).toEqual(['date', 'digest', 'x-request-id', 'tpp-redirect-uri']);
    expect(sig.value.algorithm).toBe('rsa-sha256');
    expect(joyentVerifies(signed, ['date', 'digest', 'x-request-id', 'tpp-redirect-uri'])).toBe(true);
  });

  it('sign psu-id and psu-corporate-id when present, RFC 2047-encoded outside ASCII and signed as sent', () => {
    const signed = signedList(bank('https://psd2.bank.example'), 'c-1', { id: '0b8d5c6e-3f1a-4c2b-9d7e-6a5f4e3d2c1b', corporateId: 'Sandnes Sjømat AS' });
    const sig = parseSignatureHeader(signed.headers.signature!);
    if (!sig.ok) throw new Error('unparseable signature');
    expect(sig.value.headers).toEqual(['date', 'digest', 'x-request-id', 'psu-id', 'psu-corporate-id', 'tpp-redirect-uri']);
    expect(signed.headers['psu-corporate-id']).toBe(`=?utf-8?B?${Buffer.from('Sandnes Sjømat AS', 'utf8').toString('base64')}?=`);
    expect(joyentVerifies(signed, ['date', 'digest', 'x-request-id', 'psu-id', 'psu-corporate-id', 'tpp-redirect-uri'])).toBe(true);
  });

  it('write keyId as SN=<hex serial>,CA=<full DN of the issuing CA>, plain (not URL-encoded)', () => {
    const sig = parseSignatureHeader(signedList(bank('https://psd2.bank.example')).headers.signature!);
    if (!sig.ok) throw new Error('unparseable signature');
    const serial = cert.serialNumber.replace(/^0+/, '').toUpperCase();
    expect(sig.value.keyId).toBe(`SN=${serial},CA=${issuerDn}`);
    expect(sig.value.keyId).not.toContain('%20');
    expect(issuerDn).toContain(' '); // the test root's DN has spaces, so %20 would show
  });

  it('a bank file overrides the keyId format and the date per bank', () => {
    const b = bank('https://psd2.bank.example', { signingOverrides: { keyIdFormat: 'adorsys', signDate: false } });
    const signing = signingFor(b, bits, () => pki);
    expect(signing.material).toMatchObject({ keyIdFormat: 'adorsys', signDate: false });
    const sig = parseSignatureHeader(signing.signer(buildRequest(listOp, { bank: b, profile: bits, consentId: 'c-1' })).headers.signature!);
    if (!sig.ok) throw new Error('unparseable signature');
    expect(sig.value.headers).toEqual(['digest', 'x-request-id', 'tpp-redirect-uri']);
    expect(sig.value.keyId).toContain('%20');
    // The Berlin Group profile keeps its own defaults: no date, the BG example's keyId.
    expect(signingFor(undefined, catalogueOf('berlin-group').profile, () => pki).material).toMatchObject({ keyIdFormat: 'bg-example', signDate: false });
  });
});

describe("the reference bank's bits-no mode checks the page's signed header list", () => {
  let sandbox: RunningBank;
  let consentId: string;
  beforeAll(async () => {
    const guard = signatureGuard({
      requireSignature: true,
      trustedRootsPem: [pki.rootCaPem],
      revokedSerials: pki.revokedSerials,
      blockedSerials: pki.blockedSerials,
      requiredRole: 'PSP_AI',
    });
    sandbox = await startReferenceBank({ profile: 'bits-no', host: '127.0.0.1', port: 0, requestGuard: guard });
    const b = bank(sandbox.baseUrl);
    const signer = signingFor(undefined, bits, () => pki).signer;
    const created = signer(buildRequest(createOp, { bank: b, profile: bits, body: JSON.parse(consentBody()) as unknown }));
    const r = await call('', created.method.toUpperCase(), created.url, { headers: created.headers, body: created.body });
    expect(r.status, r.text).toBe(201);
    consentId = (r.json as { consentId: string }).consentId;
    const status = signer(buildRequest(statusOp, { bank: b, profile: bits, consentId, pathParams: { consentId } }));
    expect((await call('', 'GET', status.url, { headers: status.headers })).status).toBe(200);
  });
  afterAll(() => sandbox.close());

  const send = (req: HttpRequestRecord) => call('', req.method.toUpperCase(), req.url, { headers: req.headers });

  it("accepts the suite's bits-no request", async () => {
    const r = await send(signedList(bank(sandbox.baseUrl), consentId));
    expect(r.status, r.text).toBe(200);
  });

  it('refuses a valid signature that leaves date out: 401 SIGNATURE_INVALID', async () => {
    const b = bank(sandbox.baseUrl, { signingOverrides: { signDate: false } });
    const req = signingFor(b, bits, () => pki).signer(buildRequest(listOp, { bank: b, profile: bits, consentId }));
    const r = await send(req);
    expect(r.status, r.text).toBe(401);
    expect(r.text).toContain('SIGNATURE_INVALID');
    expect(r.text).toContain('date');
  });
});
