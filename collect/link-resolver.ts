// How a client turns a bank's href into a request: which URL (a relative href against the
// origin, or against baseUrl's path when the API lives under one) and which query parameters
// the target operation requires that the link lacks (a `transactions` link without bookingStatus).

import type { OperationInfo } from '../rules/operations.js';
import { requiredQuery } from './request-builder.js';

export type Convention = 'as given' | 'against the origin' | "against the answer's URL" | `against baseUrl's path ${string}`;

export interface LinkCandidate {
  url: string;
  convention: Convention;
}

/** baseUrl's path without a trailing slash ('' for none). */
export function basePath(baseUrl: string): string {
  return new URL(baseUrl).pathname.replace(/\/+$/, '');
}

/**
 * The URLs an href may mean, the most likely first: an absolute href as given; a relative one
 * resolved against the answer's URL (RFC 3986: a path-absolute href lands on the origin); and,
 * when baseUrl has a path the href lacks (`https://host/api` with `/v1/…`), under that path,
 * as TPP clients resolve them. `preferBasePath` puts the latter first once it has worked.
 */
export function linkCandidates(href: string, foundAt: string, baseUrl: string, preferBasePath = false): LinkCandidate[] {
  if (href.trim() === '' || /\s/.test(href)) return [];
  let resolved: URL;
  try {
    resolved = new URL(href, foundAt);
  } catch {
    return [];
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(href)) return [{ url: resolved.toString(), convention: 'as given' }];
  const pathAbsolute = href.startsWith('/') && !href.startsWith('//');
  const out: LinkCandidate[] = [{ url: resolved.toString(), convention: pathAbsolute ? 'against the origin' : "against the answer's URL" }];
  const prefix = basePath(baseUrl);
  if (pathAbsolute && prefix !== '' && resolved.pathname !== prefix && !resolved.pathname.startsWith(`${prefix}/`)) {
    const under = new URL(`${prefix}${href}`, foundAt).toString();
    const candidate: LinkCandidate = { url: under, convention: `against baseUrl's path ${prefix}` };
    if (preferBasePath) out.unshift(candidate);
    else out.push(candidate);
  }
  return out;
}

/** The GET operation whose path template matches `url` (with or without baseUrl's path). */
export function operationFor(url: string, operations: readonly OperationInfo[], baseUrl: string): OperationInfo | undefined {
  const path = new URL(url).pathname;
  const prefix = basePath(baseUrl);
  const paths = prefix !== '' && path.startsWith(`${prefix}/`) ? [path.slice(prefix.length), path] : [path];
  for (const op of operations) {
    if (op.method.toUpperCase() !== 'GET') continue;
    const pattern = new RegExp(
      `^${op.path
        .split(/\{[^}]+\}/)
        .map(escape)
        .join('[^/]+')}/?$`,
    );
    if (paths.some((p) => pattern.test(p))) return op;
  }
  return undefined;
}

/**
 * `url` with the query parameters `op` requires and the URL lacks, taking values from `carry`
 * (e.g. the chain's first request, so a pending chain stays pending) or else the defaults
 * (`booked` for bookingStatus). `added` lists what was added ("bookingStatus=booked").
 */
export function withRequiredQuery(url: string, op: OperationInfo | undefined, carry?: URLSearchParams): { url: string; added: string[] } {
  if (!op) return { url, added: [] };
  const u = new URL(url);
  const added: string[] = [];
  for (const [name, fallback] of Object.entries(requiredQuery(op))) {
    if (u.searchParams.has(name)) continue;
    const value = carry?.get(name) ?? fallback;
    u.searchParams.set(name, value);
    added.push(`${name}=${value}`);
  }
  return { url: added.length > 0 ? u.toString() : url, added };
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
