// The signing string of draft-cavage-http-signatures-10 §2.3, and the Berlin Group's choice of
// headers to sign (draft-cavage-http-signatures-10 §2.3; docs/architecture.md "Request signing").

/** Headers that must be signed whenever the request carries them. */
export const CONDITIONAL_SIGNED_HEADERS = ['psu-id', 'psu-corporate-id', 'tpp-redirect-uri'] as const;

export interface SigningTarget {
  method: string;
  /** Path and query as sent ("/v1/card-accounts?withBalance=true"), for (request-target). */
  target: string;
  headers: Readonly<Record<string, string>>;
}

export type SigningStringResult = { ok: true; value: string } | { ok: false; missing: string };

function headerValue(headers: Readonly<Record<string, string>>, name: string): string | undefined {
  const direct = headers[name];
  if (typeof direct === 'string') return direct;
  // Callers should pass lower-case names; tolerate others rather than sign the wrong thing.
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === name && typeof value === 'string') return value;
  return undefined;
}

/**
 * One line per name: lower-case name, ": ", the value trimmed; "\n"-joined, no trailing newline.
 * `(request-target)` is "<method lower-case> <path?query>". Fails on a name the request lacks.
 */
export function buildSigningString(headerNames: readonly string[], request: SigningTarget): SigningStringResult {
  const lines: string[] = [];
  for (const raw of headerNames) {
    const name = raw.toLowerCase();
    if (name === '(request-target)') {
      lines.push(`(request-target): ${request.method.toLowerCase()} ${request.target}`);
      continue;
    }
    const value = headerValue(request.headers, name);
    if (value === undefined) return { ok: false, missing: name };
    lines.push(`${name}: ${value.replace(/^[ \t]+|[ \t]+$/g, '')}`);
  }
  return { ok: true, value: lines.join('\n') };
}

/** What decides the signed header list: the profile's lists, and the per-bank switches. */
export interface SignedHeaderOptions {
  /** Sign `date` (a bank file's signDate); added to, or taken out of, signedHeaders. */
  signDate: boolean;
  signRequestTarget: boolean;
  /** Always signed, in order (the profile's; default digest, x-request-id). */
  signedHeaders?: readonly string[];
  /** Signed whenever present (the profile's; default psu-id, psu-corporate-id, tpp-redirect-uri). */
  signedWhenPresent?: readonly string[];
}

/** The header list our signer signs, in order: (request-target)?, date?, the always-signed headers, those present of the conditional ones. */
export function defaultSignedHeaders(headers: Readonly<Record<string, string>>, options: SignedHeaderOptions): string[] {
  const names: string[] = [];
  if (options.signRequestTarget) names.push('(request-target)');
  if (options.signDate) names.push('date');
  for (const h of options.signedHeaders ?? ['digest', 'x-request-id']) {
    const name = h.toLowerCase();
    if (name === 'date' || name === '(request-target)' || names.includes(name)) continue; // decided by the switches above
    names.push(name);
  }
  for (const h of options.signedWhenPresent ?? CONDITIONAL_SIGNED_HEADERS) {
    if (headerValue(headers, h) !== undefined && !names.includes(h)) names.push(h);
  }
  return names;
}

/** Path and query of a request URL (absolute or already relative). */
export function requestTarget(url: string): string {
  if (url.startsWith('/')) return url;
  const u = new URL(url);
  return u.pathname + u.search;
}
