// Writes a run's recorded exchanges as HAR 1.2 (the format browsers and proxies export), so the
// traffic can be judged again offline (`card-conformance validate --har`). The file leaves the
// process through the run's redactor like every other output: consent ids, credentials, Signature
// values and full card numbers are masked; collect/har/read.ts knows those masks.
import type { Entry, Har, Header, QueryString } from 'har-format';
import type { Exchange } from '../../core/model.js';
import { writeRedactedFile, type Redactor } from '../../core/redact.js';
import { TOOL } from '../../core/paths.js';
import { HAR_EXTENSION, type HarEntryExtension, type HarLogExtension } from '../../core/har-extension.js';

export interface HarSource {
  exchanges: readonly Exchange[];
  bank: HarLogExtension['bank'];
  notSent?: Record<string, string>;
  sampling?: string[];
  /** When the first request was sent (default: now); entries are spaced by their durations. */
  startedAt?: Date;
}

const headerList = (headers: Record<string, string>): Header[] => Object.entries(headers).map(([name, value]) => ({ name, value }));

function queryOf(url: string): QueryString[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** One exchange as a HAR entry; an exchange without a response has status 0, as browsers write it. */
export function harEntry(ex: Exchange, started: Date): Entry {
  const req = ex.request;
  const res = ex.response;
  const reqType = req.headers['content-type'] ?? 'application/json';
  const resType = res?.headers['content-type'] ?? '';
  const ext: HarEntryExtension = {
    probe: ex.probe,
    operationId: ex.operationId,
    endpoint: ex.endpoint,
    ...(ex.context ? { context: ex.context } : {}),
    ...(ex.failure ? { failure: ex.failure } : {}),
    ...(ex.notFollowed ? { notFollowed: ex.notFollowed } : {}),
    ...(res?.truncated ? { truncated: true } : {}),
  };
  const wait = res?.durationMs ?? 0;
  return {
    startedDateTime: started.toISOString(),
    time: wait,
    request: {
      method: req.method.toUpperCase(),
      url: req.url,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(req.headers),
      queryString: queryOf(req.url),
      ...(req.body !== undefined ? { postData: { mimeType: reqType, text: req.body } } : {}),
      headersSize: -1,
      bodySize: req.body !== undefined ? Buffer.byteLength(req.body) : 0,
    },
    response: {
      status: res?.status ?? 0,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: headerList(res?.headers ?? {}),
      content: { size: res ? Buffer.byteLength(res.body) : 0, mimeType: resType, text: res?.body ?? '' },
      redirectURL: res?.headers.location ?? '',
      headersSize: -1,
      bodySize: res ? Buffer.byteLength(res.body) : -1,
      ...(ex.failure && !res ? { _error: `${ex.failure.kind}: ${ex.failure.message}` } : {}),
    },
    cache: {},
    timings: { send: 0, wait, receive: 0 },
    [HAR_EXTENSION]: ext,
  };
}

/** The exchanges as a HAR 1.2 document (not yet redacted). */
export function buildHar(source: HarSource): Har {
  let at = (source.startedAt ?? new Date()).getTime();
  const entries = source.exchanges.map((ex) => {
    const entry = harEntry(ex, new Date(at));
    at += Math.max(0, Math.round(ex.response?.durationMs ?? 0));
    return entry;
  });
  const ext: HarLogExtension = { bank: source.bank, notSent: source.notSent ?? {}, ...(source.sampling?.length ? { sampling: source.sampling } : {}) };
  // why the cast: @types/har-format has no index signature for the `_cardConformance` extension field
  return { log: { version: '1.2', creator: { name: TOOL.name, version: TOOL.version }, entries, [HAR_EXTENSION]: ext } as Har['log'] };
}

/**
 * Writes the exchanges to `path` as HAR 1.2 through `redactor` (the one redaction point): the
 * API the run's `--har` and the certification bundle share.
 */
export function writeHar(path: string, source: HarSource, redactor: Redactor): void {
  writeRedactedFile(path, JSON.stringify(buildHar(source), null, 1), redactor);
}
