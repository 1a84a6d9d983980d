// The one redaction point for everything that leaves the process: findings.json, JUnit, the
// summary, the diff, Allure results and attachments, the HTML report, the console and logs.
// docs/architecture.md "Redaction": private keys, bearer tokens, Signature values, consent ids, PSU ids and any full card
// number are never written. The redactor works on FINAL text (after pretty-printing and escaping):
// it decodes JSON escapes (\uXXXX, \/), percent-encoding and XML/HTML character references into a
// canonical view, finds secrets and card numbers there, and replaces the matching stretch of the
// original text. Every function here is idempotent: redacting twice changes nothing.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Writable } from 'node:stream';
import type { Exchange, Headers, HttpRequestRecord, HttpResponseRecord } from './model.js';

export const REDACTED = '[REDACTED]';
export const REDACTED_PRIVATE_KEY = '[REDACTED PRIVATE KEY]';
/** Follows a card number this tool masked, so a reviewer never takes it for the bank's own mask. */
export const PAN_MASK_NOTE = ' [masked by card-conformance]';

/** What a secret is; the mask names it (`[REDACTED consent-id]`). */
export type SecretKind = 'consent-id' | 'psu-id' | 'token' | 'credential' | 'signature' | 'private-key' | 'secret';

export interface Secret {
  value: string;
  kind?: SecretKind;
}

export type SecretInput = string | Secret;

export interface Redactor {
  /** Any final text: secrets, private keys and full card numbers, also JSON-, URL- and XML-escaped. */
  redactText(text: string): string;
  /** A URL: a secret path segment becomes its template (`/v1/consents/{consentId}`), short secrets too. */
  redactUrl(url: string): string;
  /** Header names and values; secret-bearing headers are masked whole. */
  redactHeaders(headers: Headers): Headers;
  redactRequest(request: HttpRequestRecord): HttpRequestRecord;
  redactResponse(response: HttpResponseRecord): HttpResponseRecord;
  redactExchange(exchange: Exchange): Exchange;
  /** JSON text: every string (keys too) redacted, numbers kept as numbers; not JSON → redactText. */
  redactJsonText(text: string): string;
  /** The secrets it masks (to build a wider redactor). */
  readonly secrets: readonly Secret[];
}

/**
 * Secrets shorter than this are masked only in structured places (a whole header value, a whole
 * URL path segment or query value, a whole JSON string value): replacing "1" or "abc" everywhere in
 * free text would wreck the output without protecting anything.
 */
export const MIN_SECRET_LENGTH = 4;

/** The label a mask carries: `[REDACTED consent-id]`; a secret of unknown kind is `[REDACTED]`. */
export function maskFor(kind: SecretKind | undefined): string {
  if (kind === 'private-key') return REDACTED_PRIVATE_KEY;
  return kind && kind !== 'secret' ? `[REDACTED ${kind}]` : REDACTED;
}

/** The path template a secret id is written as when it is a URL path segment. */
const PATH_TEMPLATE: Partial<Record<SecretKind, string>> = { 'consent-id': '{consentId}', 'psu-id': '{psuId}' };

// ---------------------------------------------------------------------------------------------
// Card numbers

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

interface Range {
  start: number;
  end: number;
  replacement: string;
}

// Runs of digits with single spaces or dashes between them ("4925 0000 0000 0004", "2026 5105…").
const DIGIT_RUN = /\d(?:[ -]?\d)*/g;
// Card schemes' first digits (2 Mastercard 2-series, 3 Amex/JCB/Diners, 4 Visa, 5 Mastercard/Maestro,
// 6 Discover/Maestro/UnionPay): required of a card number found INSIDE a longer digit string, where
// any 13–19 digit window is Luhn-valid one time in ten.
const CARD_FIRST_DIGIT = /^[2-6]/;

function hasCardWindow(digits: string): boolean {
  for (let s = 0; s + 13 <= digits.length; s++) {
    if (!CARD_FIRST_DIGIT.test(digits.charAt(s))) continue;
    for (let len = 13; len <= 19 && s + len <= digits.length; len++) if (luhnValid(digits.slice(s, s + len))) return true;
  }
  return false;
}

/**
 * Full card numbers in `text`, as ranges to replace: a whole run of 13–19 digits that is Luhn-valid
 * (spaces or dashes allowed between digits); inside a longer run, any sequence of separated groups
 * (each at least 3 digits) adding up to 13–19 digits and Luhn-valid ("invoice 2026 5105105105105100");
 * and a group of more than 19 digits that holds a Luhn-valid card-like window is masked whole (so no
 * digit of the card number survives next to it).
 */
function panRanges(text: string): Range[] {
  const out: Range[] = [];
  const ids = /[0-9a-f]{16}|-[0-9a-f]{4}-/i.test(text) ? idRanges(text) : [];
  const insideId = (start: number, end: number): boolean => ids.some(([s, e]) => start < e && end > s);
  for (const m of text.matchAll(DIGIT_RUN)) {
    const run = m[0];
    const at = m.index ?? 0;
    const digits = run.replace(/[ -]/g, '');
    if (digits.length < 13) continue;
    if (ids.length > 0 && insideId(at, at + run.length)) continue;
    if (digits.length <= 19 && luhnValid(digits)) {
      out.push({ start: at, end: at + run.length, replacement: maskPan(digits) + PAN_MASK_NOTE });
      continue;
    }
    // Groups between separators, with their offsets in `text`.
    const groups: { start: number; end: number; digits: string }[] = [];
    for (const g of run.matchAll(/\d+/g)) groups.push({ start: at + (g.index ?? 0), end: at + (g.index ?? 0) + g[0].length, digits: g[0] });
    let i = 0;
    for (let g = groups[i]; g !== undefined; g = groups[i]) {
      if (g.digits.length > 19) {
        if (hasCardWindow(g.digits)) out.push({ start: g.start, end: g.end, replacement: maskPan(g.digits) + PAN_MASK_NOTE });
        i++;
        continue;
      }
      let found = -1;
      let foundEnd = 0;
      let joined = '';
      for (const [k, gj] of groups.slice(i).entries()) {
        // Within a run of several groups, a card number's groups have 3 digits or more (dates do not).
        if (gj.digits.length > 19 || gj.digits.length < 3) break;
        joined += gj.digits;
        if (joined.length > 19) break;
        if (joined.length >= 13 && luhnValid(joined)) {
          found = i + k;
          foundEnd = gj.end;
        }
      }
      if (found >= 0) {
        const digitsOf = groups
          .slice(i, found + 1)
          .map((x) => x.digits)
          .join('');
        out.push({ start: g.start, end: foundEnd, replacement: maskPan(digitsOf) + PAN_MASK_NOTE });
        i = found + 1;
      } else i++;
    }
  }
  return out;
}

// UUIDs anywhere (also inside a file name like "<uuid>-attachment.txt"), and hex strings of 16 or
// more characters with at least one letter (ids, digests: Allure's own files are full of them).
const NOT_CARD_NUMBERS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|(?<![0-9A-Za-z])(?=[0-9a-f]*[a-f])[0-9a-f]{16,}(?![0-9A-Za-z])/gi;

/** Stretches of `text` whose digits are no card numbers; masking them would corrupt the ids. */
function idRanges(text: string): [number, number][] {
  const out: [number, number][] = [];
  for (const m of text.matchAll(NOT_CARD_NUMBERS)) out.push([m.index ?? 0, (m.index ?? 0) + m[0].length]);
  return out;
}

/** Masks every full card number in `text` (see panRanges), marked as masked by this tool. */
export function maskPansInText(text: string): string {
  return applyRanges(text, panRanges(text));
}

// ---------------------------------------------------------------------------------------------
// The canonical view: escapes decoded, with each canonical character's span in the original text.

interface Canonical {
  text: string;
  /** Original offsets where canonical character i starts and ends; absent when nothing was decoded. */
  starts?: Int32Array;
  ends?: Int32Array;
}

const NAMED_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
const HEX4 = /^[0-9a-fA-F]{4}$/;
const HEX2 = /^[0-9a-fA-F]{2}$/;
const BACKSLASH = 92;
const PERCENT = 37;
const AMPERSAND = 38;

/** The escape at `i` decoded, with its length in the original text; undefined when there is none. */
function escapeAt(text: string, i: number): { value: string; length: number } | undefined {
  const c = text.charCodeAt(i);
  if (c === BACKSLASH) {
    const n = text[i + 1];
    if (n === 'u' && HEX4.test(text.slice(i + 2, i + 6))) return { value: String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), length: 6 };
    if (n !== undefined && SIMPLE_ESCAPES[n] !== undefined) return { value: SIMPLE_ESCAPES[n], length: 2 };
  } else if (c === PERCENT) {
    if (HEX2.test(text.slice(i + 1, i + 3))) return { value: String.fromCharCode(parseInt(text.slice(i + 1, i + 3), 16)), length: 3 };
  } else if (c === AMPERSAND) {
    const m = /^&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|(amp|lt|gt|quot|apos));/.exec(text.slice(i, i + 12));
    if (m) {
      const code = m[1] ? Number(m[1]) : m[2] ? parseInt(m[2], 16) : -1;
      return { value: code >= 0 ? (code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd') : (NAMED_ENTITIES[m[3] ?? ''] ?? m[0]), length: m[0].length };
    }
  }
  return undefined;
}

/** The text with JSON escapes, percent-encoding and character references decoded (one pass, in slices). */
function canonical(text: string): Canonical {
  if (!/[\\%&]/.test(text)) return { text };
  const parts: string[] = [];
  // Every escape shortens the text, so the canonical view is never longer than the original.
  const starts = new Int32Array(text.length);
  const ends = new Int32Array(text.length);
  let n = 0;
  let plainFrom = 0;
  const flush = (upTo: number): void => {
    if (upTo <= plainFrom) return;
    parts.push(text.slice(plainFrom, upTo));
    for (let k = plainFrom; k < upTo; k++, n++) {
      starts[n] = k;
      ends[n] = k + 1;
    }
  };
  const special = /[\\%&]/g;
  for (let m = special.exec(text); m; m = special.exec(text)) {
    const i = m.index;
    const esc = escapeAt(text, i);
    if (!esc) continue;
    flush(i);
    parts.push(esc.value);
    // A code point above U+FFFF is two code units; both map to the whole escape.
    for (let u = 0; u < esc.value.length; u++, n++) {
      starts[n] = i;
      ends[n] = i + esc.length;
    }
    plainFrom = i + esc.length;
    special.lastIndex = plainFrom;
  }
  flush(text.length);
  return { text: parts.join(''), starts: starts.subarray(0, n), ends: ends.subarray(0, n) };
}

/** Maps ranges of the canonical view back to the original text. */
function toOriginal(c: Canonical, ranges: Range[]): Range[] {
  if (!c.starts || !c.ends) return ranges;
  const { starts, ends } = c;
  // Every range lies inside the canonical text, so both lookups hit; `?? r.start` only satisfies the type.
  return ranges.map((r) => ({ start: starts[r.start] ?? r.start, end: ends[r.end - 1] ?? r.end, replacement: r.replacement }));
}

/** Replaces non-overlapping ranges (the first of overlapping ones wins; later overlaps are merged in). */
function applyRanges(text: string, ranges: Range[]): string {
  if (ranges.length === 0) return text;
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  let out = '';
  let last = 0;
  let prev: Range | undefined;
  for (const r of sorted) {
    if (prev && r.start < prev.end) {
      // Overlap: widen the stretch already replaced so nothing of either survives.
      if (r.end > prev.end) last = prev.end = r.end;
      continue;
    }
    out += text.slice(last, r.start) + r.replacement;
    last = r.end;
    prev = { ...r };
  }
  return out + text.slice(last);
}

// ---------------------------------------------------------------------------------------------
// Patterns

// A PEM private key block of any kind (PRIVATE KEY, RSA PRIVATE KEY, ENCRYPTED PRIVATE KEY...);
// a block cut off by a body size limit (no END line) is redacted to the end of the text.
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----(?:[\s\S]*?-----END [A-Z0-9 ]*PRIVATE KEY-----|[\s\S]*$)/g;

// Output of an earlier redaction, left alone so that redaction is idempotent even when a secret
// happens to be a substring of a mask (e.g. a secret "DACT"). The masked digits are bounded: an
// unbounded [0-9x]* backtracks over every digit of a multi-megabyte body at every position; the
// look-behind starts a match only where a run of digits starts.
const PLACEHOLDER =
  /\[REDACTED(?: [A-Za-z -]+)?\]|\[certificate sha256:[0-9a-f]{16}\]|(?<![0-9x])[0-9x]{0,40} ?\[masked by card-conformance\]|\{(?:consentId|psuId)\}/g;

/**
 * Finds many literal secrets in one pass: candidates are looked up by their first two characters
 * (every secret searched in text has at least MIN_SECRET_LENGTH), the longest match wins. A regular
 * expression alternating hundreds of 344-character Signature values is far slower.
 */
function secretMatcher(values: Iterable<string>): ((text: string) => { start: number; end: number; value: string }[]) | undefined {
  // Keyed by the first two code units as one number: no string is made per position scanned.
  const key = (t: string, i: number): number => (t.charCodeAt(i) << 16) | t.charCodeAt(i + 1);
  const byPrefix = new Map<number, string[]>();
  for (const v of values) {
    if (v.length < MIN_SECRET_LENGTH) continue;
    const list = byPrefix.get(key(v, 0)) ?? [];
    if (!list.includes(v)) list.push(v);
    byPrefix.set(key(v, 0), list);
  }
  if (byPrefix.size === 0) return undefined;
  // The longest match wins, so a secret containing another is replaced whole.
  for (const list of byPrefix.values()) list.sort((a, b) => b.length - a.length);
  return (text) => {
    const hits: { start: number; end: number; value: string }[] = [];
    for (let i = 0; i + MIN_SECRET_LENGTH <= text.length;) {
      const list = byPrefix.get(key(text, i));
      const hit = list?.find((v) => text.startsWith(v, i));
      if (hit) {
        hits.push({ start: i, end: i + hit.length, value: hit });
        i += hit.length;
      } else i++;
    }
    return hits;
  };
}

/** The forms a secret takes in the canonical view besides itself: percent-encoded UTF-8 decoded byte-wise, '+' for spaces. */
function secretVariants(secret: string): string[] {
  const variants = new Set([secret]);
  variants.add(Buffer.from(secret, 'utf8').toString('latin1'));
  // A secret that itself looks escaped ("a%41b") is seen decoded in the canonical view.
  variants.add(canonical(secret).text);
  if (secret.includes(' ')) variants.add(secret.replace(/ /g, '+'));
  return [...variants];
}

export function certificateFingerprint(value: string): string {
  return `[certificate sha256:${createHash('sha256').update(value).digest('hex').slice(0, 16)}]`;
}

/** Header names whose values are credentials or ids, masked whole wherever they appear. */
const SECRET_HEADER_KIND: Record<string, SecretKind> = {
  authorization: 'token',
  'proxy-authorization': 'token',
  'x-api-key': 'credential',
  cookie: 'credential',
  'set-cookie': 'credential',
  'consent-id': 'consent-id',
  'psu-id': 'psu-id',
  'psu-corporate-id': 'psu-id',
};
/** Names with key/token/secret in them that are not secret. */
const PUBLIC_HEADERS = new Set([
  'tpp-session-id',
  'idempotency-key',
  'x-idempotency-key',
  'public-key-pins',
  'public-key-pins-report-only',
  'sec-websocket-key',
  'sec-websocket-accept',
]);

/**
 * Whether a header's value is a secret: the credentials and ids above, and any name that looks
 * secret (*token*, *secret*, *key*, *password*, *auth*, *session*), except a few public ones.
 * (The bank file has no per-header "secret" marking; its headers are judged by name like this.)
 */
export function secretHeaderKind(name: string): SecretKind | undefined {
  const lower = name.toLowerCase();
  if (SECRET_HEADER_KIND[lower]) return SECRET_HEADER_KIND[lower];
  if (PUBLIC_HEADERS.has(lower) || lower === 'www-authenticate' || lower === 'authentication-info') return undefined;
  if (/token|secret|key|password|passwd|auth|session|credential/.test(lower)) return 'credential';
  return undefined;
}

/** The secrets in a header value a bank file sets: the whole value, and the credentials after an auth scheme. */
export function headerSecrets(name: string, value: string): Secret[] {
  const kind = secretHeaderKind(name);
  if (!kind || !value) return [];
  const out: Secret[] = [{ value, kind }];
  const m = /^\s*[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*\s+(\S.*)$/.exec(value);
  if (m?.[1] && (name.toLowerCase() === 'authorization' || name.toLowerCase() === 'proxy-authorization')) out.push({ value: m[1].trim(), kind });
  return out;
}

/** The signature="…" value of a Signature header (what a bank might echo back). */
export function signatureValue(header: string): string | undefined {
  const m = /(?:^|,)\s*signature\s*=\s*"([^"]*)"/i.exec(header);
  return m?.[1] || undefined;
}

/** "Bearer abc" → "Bearer [REDACTED token]"; a value with no scheme is replaced whole. */
function redactAuthorization(value: string): string {
  const m = /^\s*([A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*)\s+\S/.exec(value);
  return m ? `${m[1]} ${maskFor('token')}` : maskFor('token');
}

/** Keeps keyId, algorithm and headers (useful when debugging a signature mismatch); replaces the signature. */
function redactSignature(value: string): string {
  const param = /((?:^|,)\s*signature\s*=\s*)(?:"[^"]*"|[^,]*)/i;
  return param.test(value) ? value.replace(param, `$1"${maskFor('signature')}"`) : maskFor('signature');
}

/** Kinds from most to least specific, so a value known as a consent id is labelled as one. */
const KIND_ORDER: SecretKind[] = ['private-key', 'consent-id', 'psu-id', 'token', 'signature', 'credential', 'secret'];

function normalise(inputs: readonly SecretInput[]): Secret[] {
  const byValue = new Map<string, Secret>();
  for (const input of inputs) {
    const s: Secret = typeof input === 'string' ? { value: input } : input;
    if (typeof s.value !== 'string' || s.value.trim() === '') continue;
    const known = byValue.get(s.value);
    const rank = (k?: SecretKind): number => (k ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);
    if (!known || rank(s.kind) < rank(known.kind)) byValue.set(s.value, s.kind ? { value: s.value, kind: s.kind } : { value: s.value });
  }
  return [...byValue.values()];
}

export function createRedactor(inputs: readonly SecretInput[]): Redactor {
  const secrets = normalise(inputs);
  const long = secrets.filter((s) => s.value.length >= MIN_SECRET_LENGTH);
  const short = new Map(secrets.filter((s) => s.value.length < MIN_SECRET_LENGTH).map((s) => [s.value, s]));
  /** The mask for a value that is a short secret as a whole, else undefined. */
  const shortMask = (value: string): string | undefined => {
    const s = short.get(value);
    return s ? maskFor(s.kind) : undefined;
  };
  const kindOf = new Map<string, SecretKind | undefined>();
  for (const s of long) for (const v of secretVariants(s.value)) if (!kindOf.has(v)) kindOf.set(v, s.kind);
  // The longest match wins, so a secret containing another is replaced whole.
  const findSecrets = secretMatcher(kindOf.keys());

  /** What replaces a secret found at [start, end) of the canonical text. */
  const replacementAt = (c: string, start: number, end: number, kind: SecretKind | undefined): string => {
    const before = c[start - 1];
    const after = c[end];
    const inPath = before === '/' && (after === undefined || /[/?#"'\s<>)\]]/.test(after));
    if (inPath) {
      const template = (kind && PATH_TEMPLATE[kind]) ?? (/\/consents\/$/i.test(c.slice(Math.max(0, start - 10), start)) ? '{consentId}' : undefined);
      if (template) return template;
    }
    return maskFor(kind);
  };

  const redactText = (text: string): string => {
    if (!text) return text;
    const c = canonical(text);
    const ranges: Range[] = [];
    const taken: Range[] = [];
    for (const m of c.text.matchAll(PLACEHOLDER)) taken.push({ start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, replacement: m[0] });
    const free = (s: number, e: number): boolean => !taken.some((t) => s < t.end && e > t.start);
    for (const m of c.text.matchAll(PEM_PRIVATE_KEY)) {
      const r = { start: m.index ?? 0, end: (m.index ?? 0) + m[0].length, replacement: REDACTED_PRIVATE_KEY };
      ranges.push(r);
      taken.push(r);
    }
    if (findSecrets) {
      for (const hit of findSecrets(c.text)) {
        if (!free(hit.start, hit.end)) continue;
        ranges.push({ start: hit.start, end: hit.end, replacement: replacementAt(c.text, hit.start, hit.end, kindOf.get(hit.value)) });
      }
    }
    // Short secrets: only as a whole JSON string value ("key": "abc").
    if (short.size > 0) {
      for (const m of c.text.matchAll(/(:\s*")([^"\\]{1,3})"/g)) {
        const [, lead = '', value = ''] = m;
        const mask = shortMask(value);
        if (mask === undefined) continue;
        const at = (m.index ?? 0) + lead.length;
        if (free(at, at + value.length)) ranges.push({ start: at, end: at + value.length, replacement: mask });
      }
    }
    // Card numbers last; a range overlapping one found above merges into it.
    for (const r of panRanges(c.text)) if (free(r.start, r.end)) ranges.push(r);
    return applyRanges(text, toOriginal(c, ranges));
  };

  const redactUrl = (url: string): string => {
    let out = redactText(url);
    if (short.size === 0) return out;
    // Short secrets as a whole path segment or query value.
    const q = out.indexOf('?');
    const path = q >= 0 ? out.slice(0, q) : out;
    const query = q >= 0 ? out.slice(q) : '';
    const segs = path.split('/').map((seg, i, all) => {
      const s = short.get(safeDecode(seg));
      if (!s || i < 3) return seg; // scheme://host are segments 0–2
      return (s.kind && PATH_TEMPLATE[s.kind]) ?? (all[i - 1]?.toLowerCase() === 'consents' ? '{consentId}' : maskFor(s.kind));
    });
    const q2 = query.replace(/([?&][^=&#]*=)([^&#]*)/g, (m, k: string, v: string) => {
      const mask = shortMask(safeDecode(v));
      return mask === undefined ? m : `${k}${mask}`;
    });
    out = segs.join('/') + q2;
    return out;
  };

  const redactHeaderValue = (name: string, value: string): string => {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'proxy-authorization') return redactAuthorization(value);
    if (lower === 'signature') return redactText(redactSignature(value));
    if (lower === 'tpp-signature-certificate') {
      // A fingerprint still tells which certificate was sent, without writing it.
      return /^\[certificate sha256:[0-9a-f]{16}\]$/.test(value) ? value : certificateFingerprint(value);
    }
    const kind = secretHeaderKind(lower);
    if (kind) return value === '' ? value : maskFor(kind);
    const s = short.get(value.trim());
    if (s) return maskFor(s.kind);
    if (lower === 'location' || lower === 'content-location' || lower === 'link') return redactUrl(value);
    return redactText(value);
  };

  const redactHeaders = (headers: Headers): Headers => {
    const out: Headers = {};
    for (const [name, value] of Object.entries(headers)) {
      // The name is output too: a bank may echo a secret or a card number as a header name.
      const safeName = redactText(name);
      out[safeName] = redactHeaderValue(name, value);
    }
    return out;
  };

  const redactRequest = (request: HttpRequestRecord): HttpRequestRecord => {
    const out: HttpRequestRecord = { ...request, url: redactUrl(request.url), headers: redactHeaders(request.headers) };
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
          const red = shortMask(String(v)) ?? redactText(String(v));
          context[k] = typeof v === 'number' && red === String(v) ? v : red;
        }
      }
      out.context = context;
    }
    return out;
  };

  const redactJsonText = (text: string): string => {
    // Fast path: nothing to mask in the text as a whole (a 13-digit timestamp can look like a card
    // number to the text pass, so anything found is checked again string by string below).
    if (redactText(text) === text) return text;
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      return redactText(text);
    }
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return shortMask(v) ?? redactText(v);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactText(k), walk(x)]));
      return v;
    };
    const red = JSON.stringify(walk(data), null, /^\s*[{[]\s*\n/.test(text) ? 2 : undefined);
    // Unchanged content keeps its original formatting byte for byte.
    return red === JSON.stringify(data, null, /^\s*[{[]\s*\n/.test(text) ? 2 : undefined) ? text : `${red}${text.endsWith('\n') ? '\n' : ''}`;
  };

  return { redactText, redactUrl, redactHeaders, redactRequest, redactResponse, redactExchange, redactJsonText, secrets };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// Writers: every byte the run writes goes through one of these.

/** Writes `text` to `path` (creating its folder) after redacting it: the one way files are written. */
export function writeRedactedFile(path: string, text: string, redactor: Redactor): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, path.endsWith('.json') ? redactor.redactJsonText(text) : redactor.redactText(text), 'utf8');
}

/**
 * A stream for third-party output (vitest's logger, a worker's console): complete lines are
 * redacted before they reach `target`; a partial line waits for its end (or for end()).
 */
export function redactingStream(target: { write(chunk: string): unknown }, redactor: () => Redactor): Writable {
  let pending = '';
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string | Buffer, _encoding, callback) {
      pending += typeof chunk === 'string' ? chunk : chunk.toString('utf8');
      const cut = pending.lastIndexOf('\n');
      if (cut >= 0) {
        target.write(redactor().redactText(pending.slice(0, cut + 1)));
        pending = pending.slice(cut + 1);
      }
      callback();
    },
    final(callback) {
      if (pending) target.write(redactor().redactText(pending));
      pending = '';
      callback();
    },
  });
  // Loggers ask a terminal's width; this is no terminal.
  Object.assign(stream, { isTTY: false, columns: 100 });
  return stream;
}

/** Files above this size are not read by the sweep; their writers redact them at source. */
const SWEEP_MAX_BYTES = 64 * 1024 * 1024;

/**
 * The belt-and-braces check after a run: every file under `dir` is redacted again and rewritten
 * if anything changed. JSON keeps its numbers (Allure timestamps are 13-digit numbers); the HTML
 * report is a program, so only explicit secrets are replaced there, never digit heuristics.
 * Returns the files that changed (each one a leak a writer missed).
 */
export function sweepRedact(dir: string, redactor: Redactor): string[] {
  const changed: string[] = [];
  const secretsOnly = createSecretsOnlyRedactor(redactor);
  const visit = (path: string): void => {
    let st;
    try {
      st = statSync(path);
    } catch {
      return;
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(path)) visit(join(path, name));
      return;
    }
    if (!st.isFile() || st.size > SWEEP_MAX_BYTES) return;
    const buf = readFileSync(path);
    if (buf.includes(0)) return; // binary
    const text = buf.toString('utf8');
    const red = /\.json$/i.test(path) ? redactor.redactJsonText(text) : /\.html?$/i.test(path) ? secretsOnly(text) : redactor.redactText(text);
    if (red !== text) {
      writeFileSync(path, red, 'utf8');
      changed.push(path);
    }
  };
  visit(dir);
  return changed;
}

/** Replaces the explicit secrets only (no card-number or key heuristics): for program text. */
function createSecretsOnlyRedactor(redactor: Redactor): (text: string) => string {
  const kinds = new Map<string, SecretKind | undefined>();
  for (const s of redactor.secrets) for (const v of secretVariants(s.value)) if (!kinds.has(v)) kinds.set(v, s.kind);
  const find = secretMatcher(kinds.keys());
  if (!find) return (t) => t;
  return (text) =>
    applyRanges(
      text,
      find(text).map((h) => ({ start: h.start, end: h.end, replacement: maskFor(kinds.get(h.value)) })),
    );
}
