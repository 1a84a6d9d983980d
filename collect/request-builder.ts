import { randomUUID } from 'node:crypto';
import type { BankConfig } from '../config/types.js';
import type { HttpRequestRecord } from '../core/model.js';
import type { Profile } from '../config/profile.js';
import type { OperationInfo } from '../rules/operations.js';
import { profileRequestHeaders } from './request-headers.js';

export interface RequestInputs {
  bank: BankConfig;
  profile: Profile;
  consentId?: string;
  /** Values for path parameters, by name. */
  pathParams?: Record<string, string>;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | undefined>;
  body?: unknown;
}

/**
 * Headers every request carries: the profile's extra ones, the profile's request headers
 * (TPP-Session-ID, TPP-Redirect-URI, PSU-IP-Address, the PSU headers the bank file sets:
 * collect/request-headers.ts), the bank file's headers (which win), and JSON content negotiation.
 */
export function baseHeaders(bank: BankConfig, profile: Profile): Record<string, string> {
  const h: Record<string, string> = { accept: 'application/json' };
  for (const [k, v] of Object.entries(profile.requestHeaders)) h[k.toLowerCase()] = v;
  Object.assign(h, profileRequestHeaders(bank, profile));
  // The bank file's headers: are sent as written, over anything the profile fills in.
  for (const [k, v] of Object.entries(bank.headers)) h[k.toLowerCase()] = v;
  return h;
}

/**
 * A valid request for an operation: the spec's required header parameters filled
 * (X-Request-ID, Consent-ID, PSU-IP-Address; others from the bank file's headers),
 * path parameters URL-encoded (bank ids are opaque and may contain '!', '=' or '/').
 */
export function buildRequest(op: OperationInfo, inputs: RequestInputs): HttpRequestRecord {
  const { bank, profile } = inputs;
  const headers = baseHeaders(bank, profile);
  for (const p of op.parameters.filter((x) => x.in === 'header' && x.required)) {
    const name = p.name.toLowerCase();
    if (name === 'x-request-id') headers[name] = randomUUID();
    else if (name === 'consent-id' && inputs.consentId) headers[name] = inputs.consentId;
    else if (name === 'psu-ip-address') headers[name] = bank.psu.ipAddress;
  }
  headers['x-request-id'] ??= randomUUID();
  // The PSU the bank file names travels on every request (and is signed when present).
  if (bank.psu.id) headers['psu-id'] ??= bank.psu.id;
  if (bank.psu.corporateId) headers['psu-corporate-id'] ??= bank.psu.corporateId;
  const path = op.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(inputs.pathParams?.[name] ?? ''));
  const url = new URL(joinPath(bank.baseUrl, path));
  for (const [k, v] of Object.entries(inputs.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
  const request: HttpRequestRecord = { method: op.method, url: url.toString(), headers };
  if (inputs.body !== undefined) {
    request.body = JSON.stringify(inputs.body);
    headers['content-type'] = 'application/json';
  }
  return request;
}

/** A follow-up GET (a link or the next page) with fresh request headers. */
export function buildFollowRequest(url: string, inputs: Pick<RequestInputs, 'bank' | 'profile' | 'consentId'>): HttpRequestRecord {
  const headers = baseHeaders(inputs.bank, inputs.profile);
  headers['x-request-id'] = randomUUID();
  if (inputs.consentId) headers['consent-id'] = inputs.consentId;
  return { method: 'GET', url, headers };
}

/** baseUrl may carry a path prefix (https://bank/psd2); the spec paths are appended to it. */
export function joinPath(baseUrl: string, path: string): string {
  return baseUrl.replace(/\/+$/, '') + path;
}

/** Values for an operation's required query parameters: `booked` where the enum has it (every bank must support it), else the first value. */
export function requiredQuery(op: OperationInfo): Record<string, string> {
  return Object.fromEntries(
    op.parameters.filter((p) => p.in === 'query' && p.required).map((p) => [p.name, p.enum?.includes('booked') ? 'booked' : (p.enum?.[0] ?? '')]),
  );
}
