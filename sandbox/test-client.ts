// A tiny HTTP client for tests and tools that talk to the reference bank: real HTTP through
// undici, no signing, never throws on 4xx/5xx. Not part of the bank itself.
import { randomUUID } from 'node:crypto';
import { request } from 'undici';

export interface Reply {
  status: number;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  json: unknown;
}

export interface CallOptions {
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export async function call(baseUrl: string, method: string, path: string, options: CallOptions = {}): Promise<Reply> {
  const res = await request(`${baseUrl}${path}`, { method: method as 'GET', headers: options.headers, body: options.body });
  const text = await res.body.text();
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(res.headers)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers, text, json };
}

export const requestId = (): string => randomUUID();

export const consentBody = (access: Record<string, unknown> = { allPsd2: 'allAccounts' }, validUntil = '9999-12-31'): string =>
  JSON.stringify({ access, recurringIndicator: true, validUntil, frequencyPerDay: 4, combinedServiceIndicator: false });

/** Creates a consent; with `approve`, reads its status once so the bank's simulated SCA makes it valid. */
export async function createConsent(baseUrl: string, access?: Record<string, unknown>, approve = true): Promise<string> {
  const created = await call(baseUrl, 'POST', '/v1/consents', {
    headers: { 'x-request-id': requestId(), 'psu-ip-address': '192.0.2.10', 'content-type': 'application/json' },
    body: consentBody(access),
  });
  if (created.status !== 201) throw new Error(`createConsent answered ${created.status}: ${created.text}`);
  const consentId = (created.json as { consentId: string }).consentId;
  if (approve) await call(baseUrl, 'GET', `/v1/consents/${encodeURIComponent(consentId)}/status`, { headers: { 'x-request-id': requestId() } });
  return consentId;
}

/** Headers of a card-account GET. */
export const cardHeaders = (consentId: string, extra: Record<string, string> = {}): Record<string, string> => ({
  'x-request-id': requestId(),
  'consent-id': consentId,
  accept: 'application/json',
  ...extra,
});
