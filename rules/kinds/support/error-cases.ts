import type { Fault } from '../../kind.js';
import type { OperationInfo } from '../../operations.js';

/** An answer the standard gives to a faulty request: its status and the error codes of its body. */
export interface ExpectedAnswer {
  status: number;
  codes: string[];
}

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
 * What the Berlin Group standard answers to each kind of fault (its error-code table). Which faults apply to an operation is
 * decided by its parameters in the spec: a required header can be omitted, a path id
 * can be unknown, a required query parameter can be left out or given a value outside its enum.
 */
export const errorCase = {
  unknownPathParam: (name: string): ErrorCase => ({
    slug: `unknown-${name.toLowerCase()}`,
    fault: { type: 'unknown-path-param', name },
    title: `an unknown ${name} is answered 404 RESOURCE_UNKNOWN`,
    description: `a request for an unknown ${name}`,
    expected: [{ status: 404, codes: ['RESOURCE_UNKNOWN'] }],
    // Some banks answer 403 RESOURCE_UNKNOWN.
    tolerated: [
      { status: 403, codes: ['RESOURCE_UNKNOWN'] },
      { status: 400, codes: ['RESOURCE_UNKNOWN'] },
    ],
  }),
  omitHeader: (name: string): ErrorCase => ({
    slug: `missing-header-${name.toLowerCase()}`,
    fault: { type: 'omit-header', name },
    title: `a request without ${name} is answered 400 FORMAT_ERROR`,
    description: `a request without the required ${name} header`,
    expected: [{ status: 400, codes: ['FORMAT_ERROR'] }],
  }),
  omitQuery: (name: string): ErrorCase => ({
    slug: `missing-query-${name}`,
    fault: { type: 'omit-query', name },
    title: `a request without ${name} is answered 400 FORMAT_ERROR`,
    description: `a request without the required query parameter ${name}`,
    expected: [{ status: 400, codes: ['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED'] }],
  }),
  invalidQuery: (name: string, value: string): ErrorCase => ({
    slug: `invalid-query-${name}`,
    fault: { type: 'invalid-query', name, value },
    title: `${name}=${value} (outside its enum) is answered 400`,
    description: `a request with ${name}=${value}, which is not one of its values`,
    expected: [{ status: 400, codes: ['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED'] }],
  }),
  unknownConsent: (): ErrorCase => ({
    slug: 'unknown-consent',
    fault: { type: 'unknown-consent' },
    title: 'an unknown Consent-ID is answered 401 CONSENT_INVALID or 403 CONSENT_UNKNOWN',
    description: 'a request with an unknown Consent-ID',
    expected: [
      { status: 401, codes: ['CONSENT_INVALID', 'CONSENT_UNKNOWN'] },
      { status: 403, codes: ['CONSENT_UNKNOWN', 'CONSENT_INVALID'] },
    ],
    tolerated: [{ status: 400, codes: ['CONSENT_UNKNOWN'] }],
  }),
};

/** The faults that apply to an operation, from its parameters: required ones can be left out, path ids unknown, enums broken. */
export function errorCasesFor(op: OperationInfo): ErrorCase[] {
  const cases: ErrorCase[] = [];
  for (const p of op.parameters.filter((x) => x.required)) {
    if (p.in === 'path') cases.push(errorCase.unknownPathParam(p.name));
    if (p.in === 'header') cases.push(errorCase.omitHeader(p.name));
    if (p.in === 'query') {
      cases.push(errorCase.omitQuery(p.name));
      if (p.enum) cases.push(errorCase.invalidQuery(p.name, 'card-conformance-invalid'));
    }
  }
  if (op.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'consent-id')) cases.push(errorCase.unknownConsent());
  return cases;
}
