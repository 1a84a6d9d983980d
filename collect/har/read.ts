// Reads a HAR 1.2 file (as browsers, proxies and `card-conformance run --har` write it) into
// request/response records, after checking its shape with ajv: a malformed file is a
// configuration error naming the entry and field (`log.entries[12].response.status`), exit 2.
import { Ajv } from 'ajv';
import type { ErrorObject } from 'ajv';
import type { Entry, Har } from 'har-format';
import { ConfigError } from '../../config/types.js';
import { BoundedReadError, readBoundedText } from '../../core/fs/read-bounded.js';
import type { Headers, HttpRequestRecord, HttpResponseRecord } from '../../core/model.js';
import { PAN_MASK_NOTE, luhnValid } from '../../core/redact.js';
import { HAR_EXTENSION, type HarEntryExtension, type HarLogExtension } from '../../core/har-extension.js';

/** A HAR of 10,000 large entries stays well below this; a bigger file is refused before it is read. */
export const MAX_HAR_BYTES = 256 * 1024 * 1024;

const HEADERS = { type: 'array', items: { type: 'object', required: ['name', 'value'], properties: { name: { type: 'string' }, value: { type: 'string' } } } };

/** The part of HAR 1.2 that judging relies on; everything else may be absent or anything. */
const HAR_SHAPE = {
  type: 'object',
  required: ['log'],
  properties: {
    log: {
      type: 'object',
      required: ['entries'],
      properties: {
        version: { type: 'string' },
        entries: {
          type: 'array',
          items: {
            type: 'object',
            required: ['request', 'response'],
            properties: {
              startedDateTime: { type: 'string' },
              time: { type: 'number' },
              request: {
                type: 'object',
                required: ['method', 'url', 'headers'],
                properties: {
                  method: { type: 'string', minLength: 1 },
                  url: { type: 'string', minLength: 1 },
                  headers: HEADERS,
                  postData: { type: 'object', properties: { text: { type: 'string' }, mimeType: { type: 'string' } } },
                },
              },
              response: {
                type: 'object',
                required: ['status', 'headers', 'content'],
                properties: {
                  status: { type: 'integer', minimum: 0, maximum: 999 },
                  headers: HEADERS,
                  content: { type: 'object', properties: { text: { type: 'string' }, encoding: { type: 'string' }, size: { type: 'number' } } },
                },
              },
              timings: { type: 'object', properties: { wait: { type: 'number' } } },
            },
          },
        },
      },
    },
  },
} as const;

let validateShape: ReturnType<Ajv['compile']> | undefined;

/** `/log/entries/12/response` + missing `status` → `log.entries[12].response.status`. */
export function harPath(error: ErrorObject): string {
  const tokens = error.instancePath
    .split('/')
    .slice(1)
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') tokens.push((error.params as { missingProperty: string }).missingProperty);
  return tokens.reduce((s, t) => (/^\d+$/.test(t) ? `${s}[${t}]` : s === '' ? t : `${s}.${t}`), '') || '(the document)';
}

function describe(error: ErrorObject): string {
  if (error.keyword === 'required') return 'is missing';
  if (error.keyword === 'type') return `must be ${(error.params as { type: string }).type}`;
  return error.message ?? error.keyword;
}

/** One entry as the rules see it, and what card-conformance recorded about it (absent in others' HARs). */
export interface HarRecord {
  index: number;
  request: HttpRequestRecord;
  /** Absent when the entry records no answer (status 0: the request failed). */
  response?: HttpResponseRecord;
  ext?: HarEntryExtension;
}

export interface HarFile {
  creator: string;
  records: HarRecord[];
  ext?: HarLogExtension;
}

/** Reads, parses and shape-checks `path`. Throws ConfigError (exit 2) naming the file and field. */
export function readHar(path: string, maxBytes = MAX_HAR_BYTES): HarFile {
  let text: string;
  try {
    text = readBoundedText(path, maxBytes);
  } catch (e) {
    if (e instanceof BoundedReadError) throw new ConfigError('--har', undefined, `cannot read ${path}: ${e.detail}`);
    throw e;
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ConfigError(path, undefined, `not a HAR file: the JSON does not parse (${(e as Error).message})`);
  }
  validateShape ??= new Ajv({ allErrors: false, strict: false }).compile(HAR_SHAPE);
  if (!validateShape(data)) {
    const error = validateShape.errors?.[0];
    throw error ? new ConfigError(path, harPath(error), `${describe(error)} (HAR 1.2)`) : new ConfigError(path, undefined, 'not a HAR 1.2 file');
  }
  const har = data as Har;
  const logExt = (har.log as unknown as Record<string, unknown>)[HAR_EXTENSION] as HarLogExtension | undefined;
  const records = har.log.entries.map((entry, index) => toRecord(path, entry, index));
  return { creator: `${har.log.creator?.name ?? 'unknown'} ${har.log.creator?.version ?? ''}`.trim(), records, ...(isObject(logExt) ? { ext: logExt } : {}) };
}

const isObject = (v: unknown): v is Record<string, never> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Header names lower-case; repeated headers joined with ", "; HTTP/2 pseudo-headers dropped. */
function headersOf(list: { name: string; value: string }[]): Headers {
  const out: Headers = {};
  for (const { name, value } of list) {
    if (name.startsWith(':')) continue;
    const key = name.toLowerCase();
    out[key] = out[key] !== undefined ? `${out[key]}, ${value}` : value;
  }
  return out;
}

function toRecord(path: string, entry: Entry, index: number): HarRecord {
  const ext = (entry as unknown as Record<string, unknown>)[HAR_EXTENSION] as HarEntryExtension | undefined;
  try {
    new URL(entry.request.url);
  } catch {
    throw new ConfigError(path, `log.entries[${index}].request.url`, `is not an absolute URL: '${entry.request.url.slice(0, 80)}'`);
  }
  const reqHeaders = headersOf(entry.request.headers);
  const request: HttpRequestRecord = { method: entry.request.method.toUpperCase(), url: entry.request.url, headers: reqHeaders };
  if (entry.request.postData?.text !== undefined) request.body = entry.request.postData.text;
  const record: HarRecord = { index, request, ...(isObject(ext) ? { ext } : {}) };
  const res = entry.response;
  if (res.status === 0) return record; // a request that got no answer, as browsers record it
  let body = res.content.text ?? '';
  if (res.content.encoding === 'base64') body = Buffer.from(body, 'base64').toString('utf8');
  record.response = {
    status: res.status,
    headers: headersOf(res.headers),
    body: restorePans(body),
    durationMs: typeof entry.timings?.wait === 'number' && entry.timings.wait >= 0 ? entry.timings.wait : Math.max(0, entry.time ?? 0),
    ...(ext?.truncated ? { truncated: true } : {}),
  };
  return record;
}

const MASKED_PAN = new RegExp(`(?<!\\d)(\\d{6})(x{3,9})(\\d{4})${PAN_MASK_NOTE.replace(/[[\]]/g, '\\$&')}`, 'g');

/**
 * A full card number the redactor masked when the HAR was written (`492500xxxxxx0004 [masked by
 * card-conformance]`) was a full card number in the bank's answer: it comes back as a Luhn-valid
 * number of the same length, first 6 and last 4 digits, so the masking rules judge what the bank
 * sent (the outputs mask it again), and the note does not count against a field's length.
 */
export function restorePans(text: string): string {
  if (!text.includes(PAN_MASK_NOTE)) return text;
  return text.replace(MASKED_PAN, (_m, first: string, hidden: string, last: string) => {
    for (let d = 0; d <= 9; d++) {
      const candidate = `${first}${String(d)}${'0'.repeat(hidden.length - 1)}${last}`;
      if (luhnValid(candidate)) return candidate;
    }
    return `${first}${'0'.repeat(hidden.length)}${last}`; // unreachable: one of ten check values fits
  });
}
