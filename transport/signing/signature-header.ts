// The `Signature` header value: bare `name="value"` pairs, no "Signature " scheme prefix
// (draft-cavage-http-signatures-10 §2.1). The parser is strict (quoted strings, duplicates, mandatory parameters) and
// returns a typed error instead of throwing, so any header a bank-side verifier receives maps to
// one 401 answer.

export interface SignatureHeaderParams {
  keyId?: string;
  algorithm?: string;
  /** Names joined with single spaces, or a pre-joined string (to send exactly-wrong lists). */
  headers?: readonly string[] | string;
  signature?: string;
  /** Further parameters, appended in this order. */
  extra?: Readonly<Record<string, string>>;
}

function quote(value: string): string {
  return `"${value.replace(/["\\]/g, (c) => '\\' + c)}"`;
}

/**
 * `keyId="…",algorithm="…",headers="…",signature="…"`; parameters left undefined are omitted, so a
 * rejection test can drop exactly one.
 */
export function formatSignatureHeader(params: SignatureHeaderParams): string {
  const parts: string[] = [];
  if (params.keyId !== undefined) parts.push(`keyId=${quote(params.keyId)}`);
  if (params.algorithm !== undefined) parts.push(`algorithm=${quote(params.algorithm)}`);
  if (params.headers !== undefined) {
    const list = typeof params.headers === 'string' ? params.headers : params.headers.join(' ');
    parts.push(`headers=${quote(list)}`);
  }
  if (params.signature !== undefined) parts.push(`signature=${quote(params.signature)}`);
  for (const [name, value] of Object.entries(params.extra ?? {})) parts.push(`${name}=${quote(value)}`);
  return parts.join(',');
}

export interface ParsedSignature {
  keyId: string;
  algorithm: string;
  /** Lower-cased names in the order given; ["date"] when the parameter is absent (cavage default). */
  headers: string[];
  /** Whether a `headers` parameter was present. */
  headersGiven: boolean;
  /** Base64 text, as sent. */
  signature: string;
  created?: number;
  expires?: number;
  /** Parameters this profile does not use, kept for diagnostics. */
  extra: Record<string, string>;
}

export type SignatureHeaderErrorKind =
  'empty' | 'too-long' | 'scheme-prefix' | 'syntax' | 'unquoted' | 'duplicate' | 'missing-param' | 'empty-param' | 'bad-headers' | 'bad-signature';

export interface SignatureHeaderError {
  kind: SignatureHeaderErrorKind;
  message: string;
  param?: string;
}

export type SignatureHeaderParseResult = { ok: true; value: ParsedSignature } | { ok: false; error: SignatureHeaderError };

const MAX_LENGTH = 16_384;
const NAME_RE = /[A-Za-z][A-Za-z0-9_-]*/y;
const NUMERIC_PARAMS = new Set(['created', 'expires']);
const HEADER_NAME_RE = /^(\([a-z-]+\)|[!#$%&'*+.^_`|~0-9a-z-]+)$/;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

const fail = (kind: SignatureHeaderErrorKind, message: string, param?: string): SignatureHeaderParseResult => ({
  ok: false,
  error: param === undefined ? { kind, message } : { kind, message, param },
});

/** Parses a Signature header value strictly. Never throws. */
export function parseSignatureHeader(value: string): SignatureHeaderParseResult {
  if (typeof value !== 'string' || value.trim() === '') return fail('empty', 'Signature header is empty');
  if (value.length > MAX_LENGTH) return fail('too-long', `Signature header is longer than ${MAX_LENGTH} characters`);
  const text = value.trim();
  if (/^signature\s+[A-Za-z]/i.test(text) && !/^signature\s*=/i.test(text)) {
    return fail('scheme-prefix', 'Signature header starts with a "Signature " scheme prefix (that form belongs to Authorization)');
  }

  const params = new Map<string, string>();
  let i = 0;
  const n = text.length;
  const skipOws = (): void => {
    while (i < n && (text[i] === ' ' || text[i] === '\t')) i++;
  };
  for (;;) {
    NAME_RE.lastIndex = i;
    const m = NAME_RE.exec(text);
    if (!m) return fail('syntax', `expected a parameter name at position ${i}`);
    const name = m[0];
    i += name.length;
    if (text[i] !== '=') return fail('syntax', `expected "=" after ${name}`, name);
    i++;
    let paramValue = '';
    if (text[i] === '"') {
      i++;
      let closed = false;
      while (i < n) {
        const c = text.charCodeAt(i);
        if (c === 0x22) {
          closed = true;
          i++;
          break;
        }
        if (c === 0x5c) {
          const next = text.charCodeAt(i + 1);
          if (Number.isNaN(next) || (next < 0x20 && next !== 0x09) || next === 0x7f || next > 0xff) {
            return fail('syntax', `bad escape in ${name}`, name);
          }
          paramValue += text[i + 1];
          i += 2;
          continue;
        }
        if ((c < 0x20 && c !== 0x09) || c === 0x7f || c > 0xff) return fail('syntax', `control or non-Latin-1 character in ${name}`, name);
        paramValue += text[i];
        i++;
      }
      if (!closed) return fail('syntax', `unterminated quoted value for ${name}`, name);
    } else {
      const start = i;
      while (i < n && /[0-9]/.test(text.charAt(i))) i++;
      paramValue = text.slice(start, i);
      const unquoted = i < n && text[i] !== ',' && text[i] !== ' ' && text[i] !== '\t';
      if (!NUMERIC_PARAMS.has(name) || paramValue === '' || unquoted) {
        return fail('unquoted', `value of ${name} is not a quoted string`, name);
      }
    }
    if (params.has(name)) return fail('duplicate', `parameter ${name} appears twice`, name);
    params.set(name, paramValue);
    skipOws();
    if (i >= n) break;
    if (text[i] !== ',') return fail('syntax', `expected "," after ${name}`, name);
    i++;
    skipOws();
    if (i >= n) return fail('syntax', 'trailing comma');
  }

  for (const required of ['keyId', 'algorithm', 'signature'] as const) {
    const v = params.get(required);
    if (v === undefined) return fail('missing-param', `${required} is missing`, required);
    if (v.trim() === '') return fail('empty-param', `${required} is empty`, required);
  }
  const signature = params.get('signature') ?? '';
  if (!BASE64_RE.test(signature) || signature.length % 4 !== 0) return fail('bad-signature', 'signature is not Base64', 'signature');

  const headersRaw = params.get('headers');
  let headers = ['date'];
  if (headersRaw !== undefined) {
    if (headersRaw === '') return fail('empty-param', 'headers is empty', 'headers');
    headers = headersRaw.split(' ').map((h) => h.toLowerCase());
    if (headers.some((h) => h === '')) return fail('bad-headers', 'headers must be names separated by single spaces', 'headers');
    const bad = headers.find((h) => !HEADER_NAME_RE.test(h));
    if (bad !== undefined) return fail('bad-headers', `"${bad}" is not a header name`, 'headers');
    if (new Set(headers).size !== headers.length) return fail('bad-headers', 'headers lists a name twice', 'headers');
  }

  const extra: Record<string, string> = {};
  for (const [k, v] of params) if (!['keyId', 'algorithm', 'headers', 'signature', 'created', 'expires'].includes(k)) extra[k] = v;
  const result: ParsedSignature = {
    keyId: params.get('keyId') ?? '',
    algorithm: params.get('algorithm') ?? '',
    headers,
    headersGiven: headersRaw !== undefined,
    signature,
    extra,
  };
  for (const name of ['created', 'expires'] as const) {
    const v = params.get(name);
    if (v === undefined) continue;
    if (!/^[0-9]{1,15}$/.test(v)) return fail('syntax', `${name} is not an integer`, name);
    result[name] = Number(v);
  }
  return { ok: true, value: result };
}
