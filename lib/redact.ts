// Redaction applied to everything the tool writes (Allure attachments, findings, JUnit, logs, HAR).
// DESIGN.md: private keys, bearer tokens, the Signature value, consent ids, PSU ids and any full
// card number are never written. Every function here is idempotent: redacting twice changes nothing.
import { createHash } from 'node:crypto';
import type { Exchange, Headers, HttpRequestRecord, HttpResponseRecord } from './model.js';

export const REDACTED = '[REDACTED]';
export const REDACTED_PRIVATE_KEY = '[REDACTED PRIVATE KEY]';

export interface Redactor {
  redactText(text: string): string;
  redactHeaders(headers: Headers): Headers;
  redactRequest(request: HttpRequestRecord): HttpRequestRecord;
  redactResponse(response: HttpResponseRecord): HttpResponseRecord;
  redactExchange(exchange: Exchange): Exchange;
}

/** Secrets shorter than this are ignored: replacing "1" or "abc" everywhere would wreck the output. */
export const MIN_SECRET_LENGTH = 4;

/** Luhn check over the digits of `digits` (spaces and dashes allowed as separators). */
export function luhnValid(digits: string): boolean {
  const clean = digits.replace(/[ -]/g, '');
  if (!/^\d{2,}$/.test(clean)) return false;
  let sum = 0;
  for (let i = 0; i < clean.length; i++) {
    let d = clean.charCodeAt(clean.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** "4925000000000004" → "492500xxxxxx0004": first 6 and last 4 digits kept (PCI DSS display rule). */
export function maskPan(digits: string): string {
  const clean = digits.replace(/\D/g, '');
  const n = clean.length;
  // Too short to keep 10 digits and still hide something: keep only the last 4 (or nothing).
  if (n <= 10) return 'x'.repeat(Math.max(0, n - 4)) + clean.slice(Math.max(0, n - 4));
  return clean.slice(0, 6) + 'x'.repeat(n - 10) + clean.slice(-4);
}

// 13–19 digits, single space or dash allowed between digits, not part of a longer digit run.
const PAN_CANDIDATE = /(?<!\d[ -]?)\d(?:[ -]?\d){12,18}(?![ -]?\d)/g;

/** Masks every Luhn-valid 13–19 digit number in `text`. */
export function maskPansInText(text: string): string {
  return text.replace(PAN_CANDIDATE, (m) => {
    const clean = m.replace(/[ -]/g, '');
    return luhnValid(clean) ? maskPan(clean) : m;
  });
}

// A PEM private key block of any kind (PRIVATE KEY, RSA PRIVATE KEY, ENCRYPTED PRIVATE KEY...);
// a block cut off by a body size limit (no END line) is redacted to the end of the text.
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----|[\s\S]*$)/g;

// Output of an earlier redaction. Left untouched so that redaction is idempotent even when a secret
// happens to be a substring of a placeholder (e.g. a secret "DACT").
const PLACEHOLDER = /\[REDACTED(?: PRIVATE KEY)?\]|\[certificate sha256:[0-9a-f]{16}\]/g;

/** Applies `fn` to the text between placeholders only. */
function outsidePlaceholders(text: string, fn: (segment: string) => string): string {
  let out = '';
  let last = 0;
  for (const m of text.matchAll(PLACEHOLDER)) {
    const at = m.index ?? 0;
    out += fn(text.slice(last, at)) + m[0];
    last = at + m[0].length;
  }
  return out + fn(text.slice(last));
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The forms a secret takes on the wire: as is, percent-encoded in a URL, escaped inside a JSON string. */
function secretVariants(secret: string): string[] {
  const variants = new Set([secret]);
  variants.add(encodeURIComponent(secret));
  variants.add(JSON.stringify(secret).slice(1, -1));
  return [...variants].filter((v) => v.length >= MIN_SECRET_LENGTH);
}

export function certificateFingerprint(value: string): string {
  return `[certificate sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}]`;
}

/** "Bearer abc" → "Bearer [REDACTED]"; a value with no scheme is replaced whole. */
function redactAuthorization(value: string): string {
  const m = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+\S/.exec(value);
  return m ? `${m[1]} ${REDACTED}` : REDACTED;
}

/** Keeps keyId, algorithm and headers (useful when debugging a signature mismatch); replaces the signature. */
function redactSignature(value: string): string {
  const param = /((?:^|,)\s*signature\s*=\s*)(?:"[^"]*"|[^,]*)/i;
  return param.test(value) ? value.replace(param, `$1"${REDACTED}"`) : REDACTED;
}

const WHOLE_VALUE = new Set(['consent-id', 'psu-id', 'psu-corporate-id', 'cookie', 'set-cookie']);

export function createRedactor(secrets: string[]): Redactor {
  const variants = [...new Set(secrets.filter((s) => typeof s === 'string' && s.length >= MIN_SECRET_LENGTH).flatMap(secretVariants))]
    // Longest first, so a secret containing another is replaced whole.
    .sort((a, b) => b.length - a.length);
  const secretPattern = variants.length ? new RegExp(variants.map(escapeRegExp).join('|'), 'g') : undefined;

  const redactText = (text: string): string => {
    if (!text) return text;
    let out = text.replace(PEM_PRIVATE_KEY, REDACTED_PRIVATE_KEY);
    out = outsidePlaceholders(out, maskPansInText);
    // Secrets last: their placeholder cannot create a new card number, while masking could in theory
    // produce text equal to a secret.
    if (secretPattern) out = outsidePlaceholders(out, (s) => s.replace(secretPattern, REDACTED));
    return out;
  };

  const redactHeaderValue = (name: string, value: string): string => {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') return redactAuthorization(value);
    if (lower === 'signature') return redactText(redactSignature(value));
    if (WHOLE_VALUE.has(lower)) return REDACTED;
    if (lower === 'tpp-signature-certificate') {
      // A fingerprint still tells which certificate was sent, without writing it.
      return /^\[certificate sha256:[0-9a-f]{16}\]$/.test(value) ? value : certificateFingerprint(value);
    }
    return redactText(value);
  };

  const redactHeaders = (headers: Headers): Headers => {
    const out: Headers = {};
    for (const [name, value] of Object.entries(headers)) out[name] = redactHeaderValue(name, String(value));
    return out;
  };

  const redactRequest = (request: HttpRequestRecord): HttpRequestRecord => {
    const out: HttpRequestRecord = { ...request, url: redactText(request.url), headers: redactHeaders(request.headers) };
    if (request.body !== undefined) out.body = redactText(request.body);
    return out;
  };

  const redactResponse = (response: HttpResponseRecord): HttpResponseRecord => ({
    ...response,
    headers: redactHeaders(response.headers),
    body: redactText(response.body),
  });

  const redactExchange = (exchange: Exchange): Exchange => {
    const out: Exchange = { ...exchange, request: redactRequest(exchange.request) };
    if (exchange.response) out.response = redactResponse(exchange.response);
    if (exchange.failure) out.failure = { ...exchange.failure, message: redactText(exchange.failure.message) };
    if (exchange.context) {
      const context: Record<string, string | number | boolean> = {};
      for (const [k, v] of Object.entries(exchange.context)) {
        if (typeof v === 'boolean') context[k] = v;
        else {
          // A number can be a card number or a secret too; keep it a number when nothing changed.
          const red = redactText(String(v));
          context[k] = typeof v === 'number' && red === String(v) ? v : red;
        }
      }
      out.context = context;
    }
    return out;
  };

  return { redactText, redactHeaders, redactRequest, redactResponse, redactExchange };
}
