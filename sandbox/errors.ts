// Error bodies in the two shapes the Berlin Group allows: the NextGen `tppMessages` body
// (application/json, the default) and RFC 7807 problem+json, sent only when the request's
// Accept asks for exactly that media type.
import type { BankProfile } from './profiles.js';
import type { SandboxResponse } from './types.js';

export interface ErrorSpec {
  status: number;
  code: string;
  text: string;
  /** The request element at fault (header name, query parameter, body field). */
  path?: string;
}

const TITLES: Record<string, string> = {
  FORMAT_ERROR: 'Format error',
  PARAMETER_NOT_CONSISTENT: 'Parameters not consistent',
  PARAMETER_NOT_SUPPORTED: 'Parameter not supported',
  PERIOD_INVALID: 'Period invalid',
  SESSIONS_NOT_SUPPORTED: 'Sessions not supported',
  CONSENT_INVALID: 'Consent invalid',
  CONSENT_EXPIRED: 'Consent expired',
  CONSENT_UNKNOWN: 'Consent unknown',
  RESOURCE_UNKNOWN: 'Resource unknown',
  SERVICE_INVALID: 'Service invalid',
  REQUESTED_FORMATS_INVALID: 'Requested formats invalid',
};

function wantsProblemJson(accept: string | undefined): boolean {
  return accept?.trim().toLowerCase() === 'application/problem+json';
}

export function errorResponse(profile: BankProfile, error: ErrorSpec, accept: string | undefined): SandboxResponse {
  const text = error.text.slice(0, profile.maxErrorText);
  if (wantsProblemJson(accept)) {
    const type = `${profile.problemTypeBase}${error.code.toLowerCase().replaceAll('_', '-')}`.slice(0, 70);
    const title = ((Object.hasOwn(TITLES, error.code) ? TITLES[error.code] : undefined) ?? error.code).slice(0, 70);
    return {
      status: error.status,
      headers: { 'content-type': 'application/problem+json' },
      body: { type, title, detail: text, code: error.code },
    };
  }
  const message = error.path !== undefined ? { category: 'ERROR', code: error.code, path: error.path, text } : { category: 'ERROR', code: error.code, text };
  return { status: error.status, headers: { 'content-type': 'application/json' }, body: { tppMessages: [message] } };
}
