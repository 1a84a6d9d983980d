import type { ExpectedAnswer } from '../kinds/error-response.js';

/** A deliberate fault the collector puts into an otherwise valid request. */
export type Fault =
  | { type: 'unknown-path-param'; name: string }
  | { type: 'omit-header'; name: string }
  | { type: 'omit-query'; name: string }
  | { type: 'invalid-query'; name: string; value: string }
  | { type: 'unknown-consent' };

export interface ErrorCase {
  /** Suffix of the rule id and probe id. */
  slug: string;
  fault: Fault;
  title: string;
  /** For messages: "an unknown account-id". */
  description: string;
  expected: ExpectedAnswer[];
  tolerated?: ExpectedAnswer[];
}

/**
 * What the Berlin Group standard answers to each kind of fault (IG error-code table;
 * the spec's Error400/401/403/404 AIS shapes). Which faults apply to an operation is
 * decided by its parameters in the spec: a required header can be omitted, a path id
 * can be unknown, a required query parameter can be left out or given a value outside its enum.
 */
export const errorCase = {
  unknownPathParam: (name: string): ErrorCase => ({
    slug: `unknown-${name.toLowerCase()}`, fault: { type: 'unknown-path-param', name },
    title: `an unknown ${name} is answered 404 RESOURCE_UNKNOWN`, description: `a request for an unknown ${name}`,
    expected: [{ status: 404, codes: ['RESOURCE_UNKNOWN'] }],
    // Some banks answer 403 RESOURCE_UNKNOWN (seen in live traffic).
    tolerated: [{ status: 403, codes: ['RESOURCE_UNKNOWN'] }, { status: 400, codes: ['RESOURCE_UNKNOWN'] }],
  }),
  omitHeader: (name: string): ErrorCase => ({
    slug: `missing-header-${name.toLowerCase()}`, fault: { type: 'omit-header', name },
    title: `a request without ${name} is answered 400 FORMAT_ERROR`, description: `a request without the required ${name} header`,
    expected: [{ status: 400, codes: ['FORMAT_ERROR'] }],
  }),
  omitQuery: (name: string): ErrorCase => ({
    slug: `missing-query-${name}`, fault: { type: 'omit-query', name },
    title: `a request without ${name} is answered 400 FORMAT_ERROR`, description: `a request without the required query parameter ${name}`,
    expected: [{ status: 400, codes: ['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED'] }],
  }),
  invalidQuery: (name: string, value: string): ErrorCase => ({
    slug: `invalid-query-${name}`, fault: { type: 'invalid-query', name, value },
    title: `${name}=${value} (outside its enum) is answered 400`, description: `a request with ${name}=${value}, which is not one of its values`,
    expected: [{ status: 400, codes: ['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED'] }],
  }),
  unknownConsent: (): ErrorCase => ({
    slug: 'unknown-consent', fault: { type: 'unknown-consent' },
    title: 'an unknown Consent-ID is answered 401 CONSENT_INVALID or 403 CONSENT_UNKNOWN', description: 'a request with an unknown Consent-ID',
    expected: [{ status: 401, codes: ['CONSENT_INVALID', 'CONSENT_UNKNOWN'] }, { status: 403, codes: ['CONSENT_UNKNOWN', 'CONSENT_INVALID'] }],
    tolerated: [{ status: 400, codes: ['CONSENT_UNKNOWN'] }],
  }),
};
