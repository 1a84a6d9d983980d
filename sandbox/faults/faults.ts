// Transport-level faults a real bank shows: no answer, 5xx, a reset connection, broken or
// truncated JSON, an HTML error page, a huge body, a body trickled byte by byte. Unlike
// defects (ResponseMutation), some of these take over the socket, so they run after the
// response pipeline, in place of the normal write.
import type { ServerResponse } from 'node:http';
import type { RawResponse } from '../types.js';

/** What a fault gets: the response the bank would have sent, and the way it is normally written. */
export interface FaultDelivery {
  res: ServerResponse;
  raw: RawResponse;
  /** Writes a RawResponse as the server always does (Content-Length from the body). */
  write: (raw: RawResponse) => void;
}

export interface FaultDefinition {
  id: string;
  /** One line for --help and the README. */
  summary: string;
  deliver(d: FaultDelivery): void;
}

/** A `timeout` connection is held at most this long, in case the client never gives up. */
export const HOLD_MAX_MS = 5 * 60_000;
/** Size of the `huge-body` response: far past any sane maxBodyBytes (default 5 MiB). */
export const HUGE_BODY_BYTES = 50 * 1024 * 1024;
/** `slow-drip` sends one body byte per interval: a 1 KiB body takes minutes, past any timeout. */
export const DRIP_INTERVAL_MS = 200;

const HUGE_CHUNK = Buffer.alloc(64 * 1024, 'x');

const json = (status: number, headers: Record<string, string>, body: unknown): RawResponse => ({
  status,
  headers: { ...headers, 'content-type': 'application/json' },
  bodyText: JSON.stringify(body),
});

const keepRequestId = (raw: RawResponse): Record<string, string> =>
  raw.headers['x-request-id'] === undefined ? {} : { 'x-request-id': raw.headers['x-request-id'] };

/** Runs `stop` once, when the client goes away or the server closes the connection. */
function onGone(res: ServerResponse, stop: () => void): void {
  let done = false;
  const once = (): void => {
    if (!done) {
      done = true;
      stop();
    }
  };
  res.once('close', once);
  res.socket?.once('close', once);
}

function writeHead(res: ServerResponse, raw: RawResponse, contentLength: number): void {
  const headers: Record<string, string | number> = { 'Content-Length': contentLength };
  for (const [name, value] of Object.entries(raw.headers)) if (name !== 'content-length') headers[name] = value;
  res.writeHead(raw.status, headers);
}

const HTML_502 = `<!DOCTYPE html>
<html><head><title>502 Bad Gateway</title></head>
<body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>
`;

const HTML_200 = `<!DOCTYPE html>
<html><head><title>Scheduled maintenance</title></head>
<body><h1>We'll be back soon</h1><p>Online banking is unavailable during scheduled maintenance.</p></body></html>
`;

export const FAULTS: readonly FaultDefinition[] = [
  {
    id: 'timeout',
    summary: "never answers (the client's timeoutMs ends the request)",
    deliver({ res }) {
      // Hold the socket open without a byte; bounded in case the client waits forever.
      const timer = setTimeout(() => res.destroy(), HOLD_MAX_MS);
      timer.unref();
      onGone(res, () => clearTimeout(timer));
    },
  },
  {
    id: 'http-500',
    summary: '500 Internal Server Error with a tppMessages body',
    deliver({ raw, write }) {
      write(json(500, keepRequestId(raw), { tppMessages: [{ category: 'ERROR', code: 'INTERNAL_SERVER_ERROR', text: 'An unexpected error occurred' }] }));
    },
  },
  {
    id: 'http-503',
    summary: '503 Service Unavailable with Retry-After: 120',
    deliver({ raw, write }) {
      write(
        json(
          503,
          { ...keepRequestId(raw), 'retry-after': '120' },
          { tppMessages: [{ category: 'ERROR', code: 'SERVICE_UNAVAILABLE', text: 'The service is temporarily unavailable' }] },
        ),
      );
    },
  },
  {
    id: 'connection-reset',
    summary: 'sends the headers and half the body, then resets the connection (TCP RST)',
    deliver({ res, raw }) {
      const body = Buffer.from(raw.bodyText, 'utf8');
      writeHead(res, raw, body.length);
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => {
        // A short pause lets the client read the status and headers first, as with a real mid-body reset.
        const timer = setTimeout(() => {
          const socket = res.socket;
          if (socket && typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
          else res.destroy();
        }, 50);
        timer.unref();
      });
    },
  },
  {
    id: 'malformed-json',
    summary: '200 application/json whose body is not valid JSON (a trailing comma)',
    deliver({ raw, write }) {
      const text = raw.bodyText.trimEnd();
      write({ ...raw, bodyText: text.endsWith('}') ? `${text.slice(0, -1)},}` : `${text},` });
    },
  },
  {
    id: 'truncated-json',
    summary: '200 application/json with only the first half of the body (a complete HTTP message)',
    deliver({ raw, write }) {
      write({ ...raw, bodyText: raw.bodyText.slice(0, Math.floor(raw.bodyText.length / 2)) });
    },
  },
  {
    id: 'html-error-page',
    summary: '502 Bad Gateway with a text/html page, as a proxy in front of the API sends',
    deliver({ raw, write }) {
      write({ status: 502, headers: { ...keepRequestId(raw), 'content-type': 'text/html; charset=utf-8' }, bodyText: HTML_502 });
    },
  },
  {
    id: 'html-200',
    summary: '200 with a text/html maintenance page instead of JSON',
    deliver({ raw, write }) {
      write({ status: 200, headers: { ...keepRequestId(raw), 'content-type': 'text/html; charset=utf-8' }, bodyText: HTML_200 });
    },
  },
  {
    id: 'huge-body',
    summary: `a ${HUGE_BODY_BYTES / 1024 / 1024} MiB JSON body, streamed (the client cuts it at maxBodyBytes)`,
    deliver({ res, raw }) {
      // The real body with a long padding member, streamed chunk by chunk under backpressure,
      // so the 50 MiB never exist in memory at once.
      const text = raw.bodyText.trimEnd();
      const head = Buffer.from(text.endsWith('}') ? `${text.slice(0, -1)},"padding":"` : `{"padding":"`, 'utf8');
      const tail = Buffer.from('"}', 'utf8');
      let left = Math.max(0, HUGE_BODY_BYTES - head.length - tail.length);
      writeHead(res, raw, head.length + left + tail.length);
      let gone = false;
      onGone(res, () => {
        gone = true;
      });
      const pump = (): void => {
        // Bounded: each turn writes at least one chunk, and `left` only shrinks.
        while (!gone && left > 0) {
          const n = Math.min(left, HUGE_CHUNK.length);
          left -= n;
          if (!res.write(n === HUGE_CHUNK.length ? HUGE_CHUNK : HUGE_CHUNK.subarray(0, n))) {
            res.once('drain', pump);
            return;
          }
        }
        if (!gone) res.end(tail);
      };
      res.write(head);
      pump();
    },
  },
  {
    id: 'slow-drip',
    summary: `sends the headers, then the body one byte every ${DRIP_INTERVAL_MS} ms (slower than any timeout)`,
    deliver({ res, raw }) {
      const body = Buffer.from(raw.bodyText, 'utf8');
      writeHead(res, raw, body.length);
      res.flushHeaders();
      let sent = 0;
      // Bounded by the body length; stops as soon as the client gives up.
      const timer = setInterval(() => {
        if (sent >= body.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(body.subarray(sent, sent + 1));
        sent += 1;
      }, DRIP_INTERVAL_MS);
      timer.unref();
      onGone(res, () => clearInterval(timer));
    },
  },
];
