// A one-line curl command that reproduces a request, for failed tests in the report.
// Input is an ALREADY-REDACTED record (core/redact.ts); secret-bearing headers become shell
// variables, so the line can be run after exporting CONSENT_ID, PSU_ID, TOKEN... and holds no secret.
import type { HttpRequestRecord } from '../core/model.js';

/** Header (lower-case) → shell variable shown instead of its value. */
const HEADER_VARIABLES: Record<string, string> = {
  'consent-id': 'CONSENT_ID',
  'psu-id': 'PSU_ID',
  'psu-corporate-id': 'PSU_CORPORATE_ID',
  signature: 'SIGNATURE',
  digest: 'DIGEST',
  'tpp-signature-certificate': 'TPP_SIGNATURE_CERTIFICATE',
  cookie: 'COOKIE',
  'proxy-authorization': 'PROXY_AUTHORIZATION',
};

/** Berlin Group spelling of the headers it defines; others get Title-Case per dash segment. */
const CANONICAL_NAMES: Record<string, string> = {
  'consent-id': 'Consent-ID',
  'psu-id': 'PSU-ID',
  'psu-id-type': 'PSU-ID-Type',
  'psu-corporate-id': 'PSU-Corporate-ID',
  'psu-corporate-id-type': 'PSU-Corporate-ID-Type',
  'psu-ip-address': 'PSU-IP-Address',
  'psu-ip-port': 'PSU-IP-Port',
  'psu-user-agent': 'PSU-User-Agent',
  'psu-accept': 'PSU-Accept',
  'psu-http-method': 'PSU-Http-Method',
  'psu-device-id': 'PSU-Device-ID',
  'psu-geo-location': 'PSU-Geo-Location',
  'x-request-id': 'X-Request-ID',
  'tpp-signature-certificate': 'TPP-Signature-Certificate',
  'tpp-redirect-uri': 'TPP-Redirect-URI',
  'tpp-nok-redirect-uri': 'TPP-Nok-Redirect-URI',
  'tpp-redirect-preferred': 'TPP-Redirect-Preferred',
  'tpp-explicit-authorisation-preferred': 'TPP-Explicit-Authorisation-Preferred',
  'www-authenticate': 'WWW-Authenticate',
};

/** Headers curl derives itself; sending the recorded value would be wrong after editing the body. */
const SKIPPED = new Set(['content-length']);

export function canonicalHeaderName(name: string): string {
  const lower = name.toLowerCase();
  return CANONICAL_NAMES[lower] ?? lower.replace(/(^|-)([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/**
 * Quotes a string for POSIX shells. Text with newlines or control characters uses bash's $'…'
 * so that the command stays on one line.
 */
export function shellQuote(value: string): string {
  if (!/[\x00-\x1f\x7f]/.test(value)) return `'${value.replace(/'/g, `'\\''`)}'`;
  const escaped = value.replace(/[\\'\x00-\x1f\x7f]/g, (c) => {
    switch (c) {
      case '\\':
        return '\\\\';
      case "'":
        return "\\'";
      case '\n':
        return '\\n';
      case '\r':
        return '\\r';
      case '\t':
        return '\\t';
      default:
        return `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    }
  });
  return `$'${escaped}'`;
}

/** Safe to put inside double quotes: no $, `, \, " or control characters. */
function plainForDoubleQuotes(value: string): boolean {
  return !/[$`\\"\x00-\x1f\x7f!]/.test(value);
}

function authorizationHeader(value: string): string {
  const scheme = /^\s*([A-Za-z][A-Za-z0-9._~+-]*)\s+\S/.exec(value)?.[1];
  if (!scheme) return `"Authorization: $AUTHORIZATION"`;
  const variable = scheme.toLowerCase() === 'bearer' ? 'TOKEN' : 'CREDENTIALS';
  return plainForDoubleQuotes(scheme) ? `"Authorization: ${scheme} $${variable}"` : `"Authorization: $AUTHORIZATION"`;
}

function headerArgument(name: string, value: string): string {
  const lower = name.toLowerCase();
  const display = canonicalHeaderName(lower);
  if (lower === 'authorization') return `-H ${authorizationHeader(value)}`;
  // A header the redactor masked whole (an API key, a token, any secret-looking header) becomes a
  // shell variable named after it.
  const variable = HEADER_VARIABLES[lower] ?? (/^\[REDACTED(?: [A-Za-z -]+)?\]$/.test(value) ? lower.replace(/[^a-z0-9]+/g, '_').toUpperCase() : undefined);
  if (variable) return `-H "${display}: $${variable}"`;
  // "Name:" would make curl drop the header; "Name;" sends it empty.
  if (value === '') return `-H ${shellQuote(`${display};`)}`;
  return `-H ${shellQuote(`${display}: ${value}`)}`;
}

// What the redactor leaves in a URL: a mask ([REDACTED], [REDACTED psu-id]) or a path template.
const URL_PLACEHOLDER = /\[REDACTED(?: [A-Za-z -]+)?\]|\{(?:consentId|psuId)\}/g;

/**
 * The URL, with every mask or template the redactor left turned into a shell variable
 * ($CONSENT_ID for {consentId} or a mask after /consents/, $PSU_ID, $SECRET_n elsewhere) so the
 * command runs once the variables are exported.
 */
function urlArgument(url: string): string {
  const parts = url.split(URL_PLACEHOLDER);
  if (parts.length === 1) return shellQuote(url);
  const holders = url.match(URL_PLACEHOLDER) ?? [];
  let out = '';
  let n = 0;
  parts.forEach((part, i) => {
    if (part) out += shellQuote(part);
    if (i === parts.length - 1) return;
    const holder = holders[i] ?? '';
    const variable =
      holder === '{consentId}' || (holder.startsWith('[') && part.endsWith('/consents/'))
        ? 'CONSENT_ID'
        : holder === '{psuId}' || holder === '[REDACTED psu-id]'
          ? 'PSU_ID'
          : `SECRET_${++n}`;
    out += `"$${variable}"`;
  });
  return out;
}

/** `curl [-X METHOD] 'URL' -H '…' … [--data-binary '…']` on one line. */
export function toCurl(request: HttpRequestRecord): string {
  const method = (request.method || 'GET').toUpperCase();
  const args: string[] = ['curl'];
  // -X HEAD makes curl wait for a body that never comes; -I is the HEAD request.
  if (method === 'HEAD') args.push('-I');
  else if (method !== 'GET') args.push('-X', shellQuote(method));
  // Brackets and braces in a URL are curl glob syntax; the request is meant literally.
  if (/[[\]{}]/.test(request.url.replace(URL_PLACEHOLDER, ''))) args.push('--globoff');
  args.push(urlArgument(request.url));
  for (const [name, value] of Object.entries(request.headers)) {
    if (SKIPPED.has(name.toLowerCase())) continue;
    args.push(headerArgument(name, value));
  }
  if (request.body !== undefined && request.body !== '') args.push('--data-binary', shellQuote(request.body));
  return args.join(' ');
}

/** Where each shell variable of a curl line comes from. */
const VARIABLE_SOURCES: Record<string, string> = {
  CONSENT_ID: "the consent id: the bank file's consent.id, or the one the run created (card-conformance replay creates one again)",
  PSU_ID: "the bank file's psu.id",
  PSU_CORPORATE_ID: "the bank file's psu.corporateId",
  TOKEN: 'the bearer token the bank file sends (headers.authorization)',
};
const SIGNATURE_VARIABLES = new Set(['SIGNATURE', 'DIGEST', 'TPP_SIGNATURE_CERTIFICATE']);

/**
 * The curl line with what it needs said above it, as shell comments: each variable to export and
 * where its value comes from; for a signed request, that a copied signature cannot be valid and
 * `card-conformance replay` re-sends the request signed afresh.
 */
export function curlWithGuide(request: HttpRequestRecord, ruleId: string): string {
  const curl = toCurl(request);
  const variables = [...new Set([...curl.matchAll(/\$([A-Z][A-Z0-9_]*)/g)].map((m) => m[1] ?? ''))];
  const lines: string[] = [];
  if (variables.some((v) => SIGNATURE_VARIABLES.has(v))) {
    lines.push(
      '# A signed request: Digest, Signature and TPP-Signature-Certificate must be made for each sending.',
      `# Re-send it signed afresh (against a bank file run): card-conformance replay --out OUT-DIR ${shellQuote(ruleId)}`,
    );
  }
  for (const v of variables.filter((x) => !SIGNATURE_VARIABLES.has(x)))
    lines.push(`# export ${v}=…   # ${VARIABLE_SOURCES[v] ?? `the value the bank file gives for this header (${v.toLowerCase().replace(/_/g, '-')})`}`);
  return [...lines, curl].join('\n');
}
