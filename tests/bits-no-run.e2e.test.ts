// A bits-no run against the reference bank's bits-no mode, which refuses any call without one of
// the headers SR-Bank's page requires: the suite sends every one of them on every card-account
// call, and the run passes (in-process, and as `card-conformance run --profile bits-no`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBank, type RunningBank } from '../sandbox/index.js';
import { call, createConsent } from '../sandbox/test-client.js';
import { cli } from './fixtures/cli.js';
import { problems, runEngine, type EngineRun } from './fixtures/engine-run.js';

const PAGE_REQUIRED = ['x-accept-fix', 'x-request-id', 'tpp-session-id', 'tpp-redirect-uri', 'tpp-signature-certificate', 'signature', 'psu-ip-address'];
const CARD_OPERATIONS = ['getCardAccountList', 'readCardAccountDetails', 'getCardAccountBalances', 'getCardAccountTransactionList'];

describe("the reference bank's bits-no mode refuses a call without any one of the page's headers", () => {
  let bank: RunningBank;
  let consentId: string;
  const all: Record<string, string> = {
    'x-accept-fix': 'none',
    'tpp-session-id': '7b2f0a4e-55c1-4c3e-9a51-0d6f1f0b9e11',
    'tpp-redirect-uri': 'https://tpp.example/cb',
    'psu-ip-address': '192.0.2.10',
    signature: 'not verified here',
    'tpp-signature-certificate': 'not verified here',
  };
  beforeAll(async () => {
    // No signature guard: this checks the presence rule alone (the signature itself: tests/bits-no-signing.test.ts).
    bank = await startReferenceBank({ profile: 'bits-no', host: '127.0.0.1', port: 0 });
    const created = await call(bank.baseUrl, 'POST', '/v1/consents', {
      headers: { ...all, 'x-request-id': crypto.randomUUID(), 'content-type': 'application/json' },
      body: JSON.stringify({
        access: { allPsd2: 'allAccounts' },
        recurringIndicator: true,
        validUntil: '2099-01-01',
        frequencyPerDay: 4,
        combinedServiceIndicator: false,
      }),
    });
    expect(created.status, created.text).toBe(201);
    consentId = (created.json as { consentId: string }).consentId;
    await call(bank.baseUrl, 'GET', `/v1/consents/${encodeURIComponent(consentId)}/status`, { headers: { ...all, 'x-request-id': crypto.randomUUID() } });
  });
  afterAll(() => bank.close());

  const headers = (): Record<string, string> => ({ ...all, 'x-request-id': crypto.randomUUID(), 'consent-id': consentId, accept: 'application/json' });

  it('answers 200 with all of them', async () => {
    expect((await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: headers() })).status).toBe(200);
  });

  it.each(PAGE_REQUIRED)('answers 400 FORMAT_ERROR without %s', async (name) => {
    const h = headers();
    delete h[name];
    const r = await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: h });
    expect(r.status, r.text).toBe(400);
    expect((r.json as { tppMessages: { code: string }[] }).tppMessages[0]!.code).toBe('FORMAT_ERROR');
  });

  it('answers 400 FORMAT_ERROR for a TPP-Session-ID that is not a UUID or a TPP-Redirect-URI that is not absolute', async () => {
    for (const [name, value] of [
      ['tpp-session-id', 'session-1'],
      ['tpp-redirect-uri', '/callback'],
    ]) {
      const r = await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: { ...headers(), [name!]: value! } });
      expect(r.status, `${name}: ${r.text}`).toBe(400);
    }
  });

  it('the unguarded sandbox of other profiles asks for none of them', async () => {
    const bg = await startReferenceBank({ profile: 'berlin-group', host: '127.0.0.1', port: 0 });
    try {
      const id = await createConsent(bg.baseUrl);
      expect((await call(bg.baseUrl, 'GET', '/v1/card-accounts', { headers: { 'x-request-id': crypto.randomUUID(), 'consent-id': id } })).status).toBe(200);
    } finally {
      await bg.close();
    }
  });
});

describe('a bits-no run against the bits-no reference bank (signed, verified)', () => {
  let run: EngineRun;
  beforeAll(async () => {
    run = await runEngine('bits-no', { today: '2026-11-20' });
  }, 120_000);

  it('sends every required header of the page on every card-account call, and each is answered 2xx', () => {
    const calls = run.log.exchanges.filter((e) => e.probe.startsWith('ok:') && CARD_OPERATIONS.includes(e.operationId));
    expect(calls.length).toBeGreaterThan(20);
    for (const e of calls) {
      const missing = PAGE_REQUIRED.filter((h) => !e.request.headers[h]);
      expect(missing, `${e.request.method} ${e.request.url}`).toEqual([]);
      expect(e.response?.status, `${e.request.method} ${e.request.url}`).toBeLessThan(300);
    }
    // One TPP-Session-ID for the whole run.
    expect(new Set(calls.map((e) => e.request.headers['tpp-session-id'])).size).toBe(1);
  });

  it('passes: no failed and no broken rule', () => {
    expect(run.log.fatal).toBeUndefined();
    expect(problems(run.results)).toEqual([]);
  });
});

describe('card-conformance run --profile bits-no', () => {
  let out: string;
  beforeAll(() => {
    out = mkdtempSync(join(tmpdir(), 'cc-bits-run-'));
  });
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('exits 0 against the built-in reference bank in its bits-no mode', async () => {
    const r = await cli(['run', '--profile', 'bits-no', '--out', out, '--no-report'], { timeoutMs: 150_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }, 180_000);
});
