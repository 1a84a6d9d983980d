// A HAR 1.2 log of every exchange of a run, for the certification bundle. Each exchange is
// redacted through the run's redactor before it becomes an entry, so the HAR holds no more than the
// other outputs do.
import type { Entry, Har, Header, QueryString } from 'har-format';
import type { Exchange } from '../../lib/model.js';
import type { Redactor } from '../../lib/redact.js';

function headers(h: Record<string, string>): Header[] {
  return Object.entries(h).map(([name, value]) => ({ name, value }));
}

function query(url: string): QueryString[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function entry(bankId: string, ex: Exchange, startedAt: string): Entry {
  const req = ex.request;
  const res = ex.response;
  const wait = res?.durationMs ?? 0;
  const e: Entry = {
    startedDateTime: startedAt,
    time: wait,
    request: {
      method: req.method, url: req.url, httpVersion: 'HTTP/1.1', cookies: [], headers: headers(req.headers), queryString: query(req.url),
      headersSize: -1, bodySize: req.body === undefined ? 0 : Buffer.byteLength(req.body),
      ...(req.body !== undefined ? { postData: { mimeType: req.headers['content-type'] ?? 'application/json', text: req.body } } : {}),
    },
    response: res
      ? {
        status: res.status, statusText: '', httpVersion: 'HTTP/1.1', cookies: [], headers: headers(res.headers), redirectURL: res.headers.location ?? '',
        content: { size: Buffer.byteLength(res.body), mimeType: res.headers['content-type'] ?? '', text: res.body, ...(res.truncated ? { comment: 'cut at the size limit' } : {}) },
        headersSize: -1, bodySize: Buffer.byteLength(res.body),
      }
      // HAR has no place for "no answer": status 0 and the transport failure in the comment.
      : { status: 0, statusText: '', httpVersion: '', cookies: [], headers: [], redirectURL: '', content: { size: 0, mimeType: '' }, headersSize: -1, bodySize: -1, comment: ex.failure ? `${ex.failure.kind}: ${ex.failure.message}` : 'no answer' },
    cache: {},
    timings: { send: 0, wait, receive: 0 },
    comment: `${bankId} ${ex.probe} (${ex.endpoint})`,
  };
  return e;
}

/** Every bank's exchanges as one HAR 1.2 log, redacted. `startedAt` dates the entries (exchanges carry no clock time). */
export function buildHar(banks: Array<{ id: string; exchanges: Exchange[] }>, redactor: Redactor, tool: { name: string; version: string }, startedAt: string): Har {
  return {
    log: {
      version: '1.2',
      creator: { name: tool.name, version: tool.version },
      entries: banks.flatMap((b) => b.exchanges.map((ex) => entry(b.id, redactor.redactExchange(ex), startedAt))),
    },
  };
}
