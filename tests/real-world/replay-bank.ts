// A replay bank: a real HTTP server on 127.0.0.1 that answers with a case's recorded bodies,
// chosen by method, path and query. It does only what any Berlin Group gateway does before a
// body is chosen, so that a case is about its bodies and nothing else:
//   - X-Request-ID missing or not a UUID → 400 FORMAT_ERROR; it is echoed on every answer;
//   - card paths: Consent-ID missing → 400 FORMAT_ERROR, not the case's consent → 403 CONSENT_UNKNOWN;
//   - a transactions path without bookingStatus booked|pending|both, or with a dateFrom/dateTo
//     that is no date or deltaList not a boolean → 400 FORMAT_ERROR, dateTo before dateFrom → 400 PERIOD_INVALID;
//   - an Accept without JSON → 406; PSU-IP-Address, PSU-Device-ID, PSU-Http-Method, PSU-Geo-Location
//     not in their formats → 400 FORMAT_ERROR (the spec's negative requests);
//   - consent paths of the case's consent answer a valid pre-authorised consent unless recorded;
//   - anything not recorded → 404 RESOURCE_UNKNOWN.
// `{{origin}}` and `{{base}}` in recorded bodies become the bank's origin and its base URL.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { isIP, type AddressInfo } from 'node:net';

/** One recorded answer. A request matches when method and path are equal and its query has every listed value. */
export interface Recorded {
  method?: string;
  /** Path below the base path, e.g. /v1/card-accounts/acc-1/transactions. */
  path: string;
  query?: Record<string, string>;
  status?: number;
  headers?: Record<string, string>;
  /** JSON body; `raw` sends text as it is instead. */
  body?: unknown;
  raw?: string;
}

export interface ReplayOptions {
  responses: Recorded[];
  /** The consent the bank holds as authorised (its id in Consent-ID and the consent paths). */
  consentId: string;
  /** Path prefix the API lives under (`/api`); recorded paths are below it. */
  basePath?: string;
}

export interface ReplayBank {
  origin: string;
  /** origin + basePath: what a bank file's baseUrl would say. */
  baseUrl: string;
  /** Every request received, as "METHOD path?query". */
  requests: string[];
  close(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BOOKING_STATUSES = ['booked', 'pending', 'both'];
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
/** Formats of the optional PSU headers, as a gateway checks them. */
const PSU_HEADERS: Record<string, (v: string) => boolean> = {
  'psu-ip-address': (v) => isIP(v) !== 0,
  'psu-device-id': (v) => UUID.test(v),
  'psu-http-method': (v) => ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].includes(v),
  'psu-geo-location': (v) => /^GEO:-?[0-9]{1,2}\.[0-9]{6};-?[0-9]{1,3}\.[0-9]{6}$/.test(v),
};

export async function startReplayBank(options: ReplayOptions): Promise<ReplayBank> {
  const requests: string[] = [];
  let origin = '';
  const basePath = options.basePath ?? '';
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    // The body of a POST is not needed: read and drop it, so the socket stays usable.
    req.resume();
    req.on('end', () => answer(req, res, options, origin, basePath));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    baseUrl: `${origin}${basePath}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function answer(req: IncomingMessage, res: ServerResponse, options: ReplayOptions, origin: string, basePath: string): void {
  const url = new URL(req.url ?? '/', origin);
  const requestId = header(req, 'x-request-id');
  const send = (status: number, body: unknown, headers: Record<string, string> = {}, raw?: string): void => {
    res.statusCode = status;
    if (requestId !== undefined) res.setHeader('X-Request-ID', requestId);
    const text = raw ?? (body === undefined ? undefined : JSON.stringify(body));
    if (text !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) res.setHeader('Content-Type', 'application/json');
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.end(text === undefined ? undefined : text.replaceAll('{{base}}', `${origin}${basePath}`).replaceAll('{{origin}}', origin));
  };
  const error = (status: number, code: string, text: string): void => send(status, { tppMessages: [{ category: 'ERROR', code, text }] });

  if (requestId === undefined || !UUID.test(requestId)) return error(400, 'FORMAT_ERROR', 'X-Request-ID is missing or not a UUID');
  const accept = header(req, 'accept');
  if (accept !== undefined && !/json|\*\/\*|application\/\*/i.test(accept)) return error(406, 'REQUESTED_FORMATS_INVALID', 'This bank answers JSON only');
  for (const [name, fits] of Object.entries(PSU_HEADERS)) {
    const value = header(req, name);
    if (value !== undefined && !fits(value)) return error(400, 'FORMAT_ERROR', `${name} is not in its format`);
  }
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    return error(404, 'RESOURCE_UNKNOWN', 'No such resource');
  }
  if (!path.startsWith(`${basePath}/`)) return error(404, 'RESOURCE_UNKNOWN', 'No such resource');
  path = path.slice(basePath.length);
  const method = req.method ?? 'GET';

  const consentPath = `/v1/consents/${options.consentId}`;
  const isConsentPath = path === '/v1/consents' || path.startsWith('/v1/consents/');
  if (!isConsentPath) {
    const consent = header(req, 'consent-id');
    if (consent === undefined || consent === '') return error(400, 'FORMAT_ERROR', 'Consent-ID is missing');
    if (consent !== options.consentId) return error(403, 'CONSENT_UNKNOWN', 'No such consent');
    if (path.endsWith('/transactions') && !BOOKING_STATUSES.includes(url.searchParams.get('bookingStatus') ?? '')) {
      return error(400, 'FORMAT_ERROR', 'bookingStatus must be booked, pending or both');
    }
    const [from, to, delta] = [url.searchParams.get('dateFrom'), url.searchParams.get('dateTo'), url.searchParams.get('deltaList')] as const;
    if ([from, to].some((d) => d !== null && !DATE.test(d))) return error(400, 'FORMAT_ERROR', 'dateFrom and dateTo are dates (YYYY-MM-DD)');
    if (from !== null && to !== null && from > to) return error(400, 'PERIOD_INVALID', 'dateTo lies before dateFrom');
    if (delta !== null && delta !== 'true' && delta !== 'false') return error(400, 'FORMAT_ERROR', 'deltaList is true or false');
  }

  const recorded = bestMatch(options.responses, method, path, url.searchParams);
  if (recorded) return send(recorded.status ?? 200, recorded.body, recorded.headers, recorded.raw);

  // Consent defaults: the case's consent is authorised already.
  if (method === 'POST' && path === '/v1/consents') {
    return send(
      201,
      {
        consentStatus: 'received',
        consentId: options.consentId,
        _links: { self: { href: `${basePath}${consentPath}` }, status: { href: `${basePath}${consentPath}/status` } },
      },
      { Location: `${basePath}${consentPath}` },
    );
  }
  if (path === `${consentPath}/status` && method === 'GET') return send(200, { consentStatus: 'valid' });
  if (path === consentPath && method === 'GET') {
    return send(200, {
      access: { allPsd2: 'allAccounts' },
      recurringIndicator: true,
      validUntil: '2027-12-31',
      frequencyPerDay: 4,
      lastActionDate: '2026-11-02',
      consentStatus: 'valid',
    });
  }
  if (path === consentPath && method === 'DELETE') return send(204, undefined);
  return error(404, 'RESOURCE_UNKNOWN', `No resource at ${path}`);
}

/** The recorded answer whose query names the most of the request's values (ties: the first). */
function bestMatch(responses: Recorded[], method: string, path: string, query: URLSearchParams): Recorded | undefined {
  let best: Recorded | undefined;
  let bestScore = -1;
  for (const r of responses) {
    if ((r.method ?? 'GET') !== method || r.path !== path) continue;
    const wanted = Object.entries(r.query ?? {});
    if (!wanted.every(([k, v]) => query.get(k) === v)) continue;
    if (wanted.length > bestScore) {
      best = r;
      bestScore = wanted.length;
    }
  }
  return best;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(', ') : v;
}
