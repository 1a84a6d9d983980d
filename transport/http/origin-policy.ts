// The origin policy: every request of a run goes to the bank's origin (scheme, host and port of
// baseUrl) or to an origin the bank file lists in `allowedOrigins`. Requests carry the bank's
// credentials (Authorization, X-API-Key, Consent-ID, the signature), so a link or redirect that
// leaves those origins is never requested.

import type { HttpRequestRecord } from '../../core/model.js';
import type { HttpClient, SendResult } from './types.js';

export interface OriginPolicy {
  /** The allowed origins, baseUrl's first (`URL.origin` form). */
  readonly origins: readonly string[];
  /** Why `url` may not be requested, or undefined when it may. */
  refusal(url: string): string | undefined;
}

export function createOriginPolicy(baseUrl: string, allowedOrigins: readonly string[] = []): OriginPolicy {
  const origins = [...new Set([new URL(baseUrl).origin, ...allowedOrigins.map((o) => new URL(o).origin)])];
  return {
    origins,
    refusal(url) {
      let origin: string;
      try {
        origin = new URL(url).origin;
      } catch {
        return `'${url}' is not an absolute URL`;
      }
      if (origins.includes(origin)) return undefined;
      return `${origin} is not the bank's origin${origins.length > 1 ? ` nor one of allowedOrigins (${origins.slice(1).join(', ')})` : ''}`;
    },
  };
}

/** Redirect statuses that carry a Location to follow. 304 is not one. */
const REDIRECTS = new Set([301, 302, 303, 307, 308]);
/** Hops followed for one request; a longer chain is returned as the last 3xx. */
export const MAX_REDIRECTS = 5;

/**
 * The client every request of the collector goes through. It refuses a URL outside the policy
 * (nothing is sent; `refused` says why) and decides on redirects itself (the transport never
 * follows one): a GET or HEAD whose answer is a redirect to an allowed origin is followed, up to
 * MAX_REDIRECTS hops, each hop a fresh request (signed when sent) and named in `redirects`; a
 * redirect that leaves the allowed origins is not followed and is named in `redirectRefused`.
 * Other methods, a longer chain and an unusable Location get the 3xx as the bank's answer.
 */
export function guardOrigins(client: HttpClient, policy: OriginPolicy): HttpClient {
  async function send(request: HttpRequestRecord, options?: { sign?: boolean }): Promise<SendResult> {
    const refused = policy.refusal(request.url);
    if (refused) return { request, refused };
    const hops: string[] = [];
    let current = request;
    for (;;) {
      const result = await client.send(current, options);
      const res = result.response;
      const location = res && !result.failure && REDIRECTS.has(res.status) ? res.headers.location : undefined;
      if (hops.length > 0) result.redirects = [...hops];
      if (location === undefined || !['GET', 'HEAD'].includes(current.method.toUpperCase())) return result;
      let target: string;
      try {
        target = new URL(location, current.url).toString();
      } catch {
        return result; // an unusable Location: the 3xx is the bank's answer
      }
      const why = policy.refusal(target);
      if (why) return { ...result, redirectRefused: { location, reason: why } };
      if (hops.length >= MAX_REDIRECTS) return result; // a loop or a long chain: the last 3xx is the bank's answer
      hops.push(`${res?.status ?? '3xx'} ${current.url} → ${target}`);
      // The same request to the new URL; the transport signs it afresh (the signature covers the target).
      current = { ...request, url: target };
    }
  }
  return { send, close: () => client.close() };
}
