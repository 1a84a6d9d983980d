import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { luhnValid, maskPan, PAN_MASK_NOTE } from '../../core/redact.js';
import { readHar, restorePans } from './read.js';
import { buildHar } from '../../reporters/har/write.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
const file = (content: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-har-read-'));
  dirs.push(dir);
  const path = join(dir, 'x.har');
  writeFileSync(path, content);
  return path;
};

describe('restorePans', () => {
  it('turns a card number the redactor masked back into a Luhn-valid number of the same length and ends', () => {
    const masked = `{"maskedPan":"${maskPan('4925000000000004')}${PAN_MASK_NOTE}","ref":"FX${maskPan('20261105112399')}${PAN_MASK_NOTE}"}`;
    const restored = JSON.parse(restorePans(masked)) as { maskedPan: string; ref: string };
    expect(restored.maskedPan).toMatch(/^492500\d{6}0004$/);
    expect(luhnValid(restored.maskedPan)).toBe(true);
    expect(restored.ref).toMatch(/^FX202611\d{4}2399$/);
  });
  it("leaves a bank's own masks alone", () => {
    expect(restorePans('{"maskedPan":"492500******0004","b":"4925xxxxxxxx0004"}')).toBe('{"maskedPan":"492500******0004","b":"4925xxxxxxxx0004"}');
  });
});

describe('readHar', () => {
  it("reads what buildHar writes: requests, responses, failures, and the run's fields", () => {
    const har = buildHar({
      bank: { id: 'b', profile: 'berlin-group', baseUrl: 'https://bank.example' },
      notSent: { 'ok:x': 'why' },
      exchanges: [
        {
          probe: 'ok:getCardAccountList',
          operationId: 'getCardAccountList',
          endpoint: 'GET /v1/card-accounts',
          request: { method: 'GET', url: 'https://bank.example/v1/card-accounts?x=1', headers: { 'x-request-id': 'r1' } },
          response: { status: 200, headers: { 'content-type': 'application/json' }, body: '{"cardAccounts":[]}', durationMs: 12 },
          context: { page: 1 },
        },
        {
          probe: 'ok:createConsent',
          operationId: 'createConsent',
          endpoint: 'POST /v1/consents',
          request: { method: 'POST', url: 'https://bank.example/v1/consents', headers: {}, body: '{"a":1}' },
          failure: { kind: 'timeout', message: 'no answer in 10 s' },
        },
      ],
    });
    const read = readHar(file(JSON.stringify(har)));
    expect(read.ext?.notSent).toEqual({ 'ok:x': 'why' });
    expect(read.records[0]).toMatchObject({
      request: { method: 'GET', headers: { 'x-request-id': 'r1' } },
      response: { status: 200, body: '{"cardAccounts":[]}', durationMs: 12 },
      ext: { probe: 'ok:getCardAccountList', context: { page: 1 } },
    });
    expect(read.records[1]!.response).toBeUndefined();
    expect(read.records[1]).toMatchObject({ request: { body: '{"a":1}' }, ext: { failure: { kind: 'timeout' } } });
  });
  it('joins repeated headers, lower-cases names, drops HTTP/2 pseudo-headers and decodes base64 bodies', () => {
    const entry = {
      request: {
        method: 'get',
        url: 'https://b.example/v1/card-accounts',
        headers: [
          { name: ':authority', value: 'b.example' },
          { name: 'Accept', value: 'a' },
          { name: 'accept', value: 'b' },
        ],
      },
      response: { status: 200, headers: [], content: { text: Buffer.from('{"ok":true}').toString('base64'), encoding: 'base64' } },
    };
    const [r] = readHar(file(JSON.stringify({ log: { entries: [entry] } }))).records;
    expect(r!.request).toEqual({ method: 'GET', url: 'https://b.example/v1/card-accounts', headers: { accept: 'a, b' } });
    expect(r!.response!.body).toBe('{"ok":true}');
  });
  it('names the entry and field of a malformed HAR', () => {
    const entries = [{ request: { method: 'GET', url: 'https://b.example/', headers: [{ name: 'a' }] }, response: { status: 200, headers: [], content: {} } }];
    expect(() => readHar(file(JSON.stringify({ log: { entries } })))).toThrow(/log\.entries\[0\]\.request\.headers\[0\]\.value: is missing/);
    expect(() => readHar(file('[]'))).toThrow(/\(the document\): must be object/);
  });
  it('refuses a file over the cap before parsing it', () => {
    expect(() => readHar(file(' '.repeat(2000)), 1000)).toThrow(/the limit is 1000 bytes/);
  });
});
