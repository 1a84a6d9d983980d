// The reference bank against the project's own OpenAPI document (specs/berlin-group.openapi.yaml):
// every body it sends, success or error, in either error shape, validates against the schema
// the spec declares for that status and media type. This is the sandbox side of "zero findings".
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBank } from './index.js';
import { call, cardHeaders, createConsent, requestId, type Reply } from './test-client.js';
import type { RunningBank } from './types.js';

type Json = Record<string, unknown>;
const SPEC_FILE = fileURLToPath(new URL('../specs/berlin-group.openapi.yaml', import.meta.url));
const spec = parseYaml(readFileSync(SPEC_FILE, 'utf8')) as Json;
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema(spec, 'spec');

const pointer = (...parts: string[]): string => parts.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
const OPERATIONS: Record<string, [string, string]> = {};
for (const [path, item] of Object.entries(spec.paths as Record<string, Json>)) {
  for (const [method, op] of Object.entries(item)) OPERATIONS[(op as Json).operationId as string] = [path, method];
}

/** The validator of a response body, following the spec's $refs to components/responses. */
function validatorFor(operationId: string, status: number, mediaType: string): ValidateFunction | undefined {
  const [path, method] = OPERATIONS[operationId]!;
  const responses = (spec.paths as Record<string, Record<string, Json>>)[path]![method]!.responses as Record<string, Json>;
  let response = responses[String(status)];
  let at = `#/${pointer('paths', path, method, 'responses', String(status))}`;
  if (!response) return undefined;
  if (typeof response.$ref === 'string') {
    at = response.$ref;
    response = (spec.components as Record<string, Record<string, Json>>).responses![response.$ref.split('/').pop()!]!;
  }
  const content = response.content as Record<string, Json> | undefined;
  if (!content?.[mediaType]) return undefined;
  return ajv.compile({ $ref: `spec${at}/${pointer('content', mediaType, 'schema')}` });
}

let bank: RunningBank;
let consentId: string;
let ids: string[];
const checked: string[] = [];

function expectValid(operationId: string, reply: Reply, sentRequestId?: string): void {
  const what = `${operationId} ${reply.status}`;
  const declared = ((spec.paths as Record<string, Record<string, Json>>)[OPERATIONS[operationId]![0]]![OPERATIONS[operationId]![1]]!.responses as Json)[
    String(reply.status)
  ];
  expect(declared, `${what} is a status the spec declares`).toBeDefined();
  if (sentRequestId) expect(reply.headers['x-request-id'], what).toBe(sentRequestId);
  if (reply.status === 204) return;
  const mediaType = reply.headers['content-type']!;
  const validate = validatorFor(operationId, reply.status, mediaType);
  expect(validate, `${what}: the spec declares a ${mediaType} body`).toBeDefined();
  const ok = validate!(reply.json);
  expect(ok ? [] : validate!.errors, `${what}: ${reply.text.slice(0, 300)}`).toEqual([]);
  checked.push(`${what} ${mediaType}`);
}

beforeAll(async () => {
  bank = await startReferenceBank({ today: '2026-11-20', seed: 3 });
  consentId = await createConsent(bank.baseUrl);
  const list = (await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: cardHeaders(consentId) })).json as { cardAccounts: { resourceId: string }[] };
  ids = list.cardAccounts.map((a) => encodeURIComponent(a.resourceId));
});
afterAll(async () => {
  await bank.close();
});

describe('responses validate against specs/berlin-group.openapi.yaml', () => {
  it('the validators are not vacuous', () => {
    const list = validatorFor('getCardAccountList', 200, 'application/json')!;
    expect(list({ cardAccounts: [] })).toBe(true);
    expect(list({ cardAccounts: [{ currency: 'EUR' }] })).toBe(false);
    expect(list({ cardAccounts: [{ maskedPan: 'x', currency: 'EUR', creditLimit: { currency: 'EUR', amount: 5 } }] })).toBe(false);
    const tx = validatorFor('getCardAccountTransactionList', 200, 'application/json')!;
    expect(
      tx({
        cardTransactions: { _links: {}, booked: [{ transactionAmount: { currency: 'EUR', amount: '1' }, acceptorTransactionDateTime: '2026-01-01T10:00:00' }] },
      }),
    ).toBe(false);
    const e404 = validatorFor('readCardAccountDetails', 404, 'application/json')!;
    expect(e404({ tppMessages: [{ category: 'ERROR', code: 'CONSENT_UNKNOWN' }] })).toBe(false);
  });

  it('success bodies of every operation', async () => {
    const get = async (operationId: string, path: string): Promise<Reply> => {
      const headers = cardHeaders(consentId);
      const reply = await call(bank.baseUrl, 'GET', path, { headers });
      expect(reply.status, path).toBe(200);
      expectValid(operationId, reply, headers['x-request-id']);
      return reply;
    };
    await get('getCardAccountList', '/v1/card-accounts');
    for (const id of ids) {
      await get('readCardAccountDetails', `/v1/card-accounts/${id}`);
      await get('getCardAccountBalances', `/v1/card-accounts/${id}/balances`);
      for (const status of ['booked', 'pending', 'both']) {
        let next: string | undefined = `/v1/card-accounts/${id}/transactions?bookingStatus=${status}`;
        while (next) {
          const page = await get('getCardAccountTransactionList', next);
          next = (page.json as { cardTransactions: { _links: { next?: { href: string } } } }).cardTransactions._links.next?.href;
        }
      }
    }
    const rid = requestId();
    const created = await call(bank.baseUrl, 'POST', '/v1/consents', {
      headers: { 'x-request-id': rid, 'psu-ip-address': '192.0.2.10', 'content-type': 'application/json' },
      body: JSON.stringify({
        access: { accounts: [], balances: [], transactions: [] },
        recurringIndicator: false,
        validUntil: '2026-12-31',
        frequencyPerDay: 1,
        combinedServiceIndicator: false,
      }),
    });
    expect(created.status).toBe(201);
    expectValid('createConsent', created, rid);
    expect(created.headers.location).toMatch(/^\/v1\/consents\/[A-Za-z0-9_-]+$/);
    const id = (created.json as { consentId: string }).consentId;
    for (const [operationId, path] of [
      ['getConsentStatus', `/v1/consents/${id}/status`],
      ['getConsentInformation', `/v1/consents/${id}`],
    ] as const) {
      const r = requestId();
      expectValid(operationId, await call(bank.baseUrl, 'GET', path, { headers: { 'x-request-id': r } }), r);
    }
    const r = requestId();
    const deleted = await call(bank.baseUrl, 'DELETE', `/v1/consents/${id}`, { headers: { 'x-request-id': r } });
    expect(deleted.status).toBe(204);
    expectValid('deleteConsent', deleted, r);
    const after = requestId();
    expectValid('getConsentInformation', await call(bank.baseUrl, 'GET', `/v1/consents/${id}`, { headers: { 'x-request-id': after } }), after);
  });

  it.each(['application/json', 'application/problem+json'])('error bodies (%s)', async (accept) => {
    const received = await createConsent(bank.baseUrl, undefined, false);
    const h = (extra: Record<string, string> = {}): Record<string, string> => ({ ...cardHeaders(consentId), accept, ...extra });
    const cases: [string, string, string, Record<string, string>, string?][] = [
      ['getCardAccountList', 'GET', '/v1/card-accounts', h({ 'x-request-id': 'not-a-uuid' })],
      ['getCardAccountList', 'GET', '/v1/card-accounts', h({ 'consent-id': received })],
      ['getCardAccountList', 'GET', '/v1/card-accounts', h({ 'consent-id': 'unknown' })],
      ['getCardAccountList', 'POST', '/v1/card-accounts', h()],
      ['readCardAccountDetails', 'GET', '/v1/card-accounts/unknown', h()],
      ['getCardAccountBalances', 'GET', `/v1/card-accounts/${ids[0]}/balances`, { ...h(), accept: 'text/xml' }],
      ['getCardAccountTransactionList', 'GET', `/v1/card-accounts/${ids[0]}/transactions`, h()],
      ['getCardAccountTransactionList', 'GET', `/v1/card-accounts/${ids[0]}/transactions?bookingStatus=both&dateFrom=2026-11-02&dateTo=2026-11-01`, h()],
      ['getCardAccountTransactionList', 'GET', `/v1/card-accounts/${ids[0]}/transactions?bookingStatus=booked&deltaList=true`, h()],
      ['createConsent', 'POST', '/v1/consents', { 'x-request-id': requestId(), 'psu-ip-address': '192.0.2.1', accept }, '{"access":{}}'],
      [
        'createConsent',
        'POST',
        '/v1/consents',
        { 'x-request-id': requestId(), 'psu-ip-address': '192.0.2.1', accept },
        '{"access":{},"recurringIndicator":true,"validUntil":"2027-01-01","frequencyPerDay":1,"combinedServiceIndicator":true}',
      ],
      ['getConsentStatus', 'GET', '/v1/consents/unknown/status', { 'x-request-id': requestId(), accept }],
      ['deleteConsent', 'DELETE', '/v1/consents/unknown', { 'x-request-id': requestId(), accept }],
    ];
    const statuses = new Set<number>();
    for (const [operationId, method, path, headers, body] of cases) {
      const reply = await call(bank.baseUrl, method, path, { headers, body });
      expect(reply.status, `${method} ${path}`).toBeGreaterThanOrEqual(400);
      if (headers.accept === 'application/problem+json') expect(reply.headers['content-type']).toBe('application/problem+json');
      expectValid(operationId, reply, headers['x-request-id']);
      statuses.add(reply.status);
    }
    expect([...statuses].sort((a, b) => a - b)).toEqual([400, 401, 403, 404, 405, 406]);
  });

  it('checked a fair sample', () => {
    expect(checked.length).toBeGreaterThan(60);
  });
});
