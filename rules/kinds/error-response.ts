import type { JsonSchema } from '../../schemas/json-schema.js';
import { perExchange, type RuleKind } from '../kind.js';
import { isRecord } from '../select.js';
import { mediaTypeOf } from './content-type.js';

export interface ExpectedAnswer {
  status: number;
  codes: string[];
}

export interface ErrorResponseParams {
  /** What the request does wrong, for messages ("an unknown account-id"). */
  fault: string;
  /** The answers the standard asks for. */
  expected: ExpectedAnswer[];
  /** Other answers seen in practice that are tolerated as a minor finding. */
  tolerated?: ExpectedAnswer[];
  /** Error body schemas declared by the spec: status → media type → schema. */
  bodies: Record<string, Record<string, JsonSchema>>;
}

/** The error codes in a Berlin Group error body, either shape (tppMessages, or RFC 7807 problem+json). */
export function errorCodes(body: unknown): string[] {
  if (!isRecord(body)) return [];
  const codes: string[] = [];
  if (Array.isArray(body.tppMessages)) for (const m of body.tppMessages) if (isRecord(m) && typeof m.code === 'string') codes.push(m.code);
  if (typeof body.code === 'string') codes.push(body.code);
  if (Array.isArray(body.additionalErrors)) for (const m of body.additionalErrors) if (isRecord(m) && typeof m.code === 'string') codes.push(m.code);
  return codes;
}

const describe = (answers: ExpectedAnswer[]): string => answers.map((a) => `${a.status} ${a.codes.join('/')}`).join(' or ');
const matches = (answers: ExpectedAnswer[] | undefined, status: number, codes: string[]): boolean =>
  (answers ?? []).some((a) => a.status === status && (a.codes.length === 0 || codes.some((c) => a.codes.includes(c))));

/**
 * A request with one deliberate fault is refused with the status and code the standard
 * gives, and with an error body that validates. Accepting it is critical; a 5xx is major;
 * another 4xx or code than expected is minor.
 */
export const errorResponse: RuleKind<ErrorResponseParams> = {
  kind: 'error-response',
  category: 'error-response',
  severity: 'major',
  description: 'A faulty request is refused with the expected status, code and a valid Berlin Group error body.',
  needs: 'response',
  check: (input) => perExchange(input, (ex, push) => {
    const { fault, expected, tolerated, bodies } = input.params;
    const res = ex.response!;
    const want = describe(expected);
    if (res.status < 400) {
      push({ severity: res.status < 300 ? 'critical' : 'major', message: `${fault} was answered ${res.status}; expected ${want}` });
      return 1;
    }
    if (res.status >= 500) { push({ message: `${fault} was answered ${res.status} (server error); expected ${want}` }); return 1; }
    const declared = bodies[String(res.status)];
    const media = mediaTypeOf(res.headers['content-type']);
    let codes: string[] = [];
    if (declared && Object.keys(declared).length > 0) {
      if (!media || !(media in declared)) {
        push({ message: `the ${res.status} error body is ${media ? `'${media}'` : 'sent without Content-Type'}; the spec declares ${Object.keys(declared).join(' or ')}` });
      } else if (ex.json === undefined) {
        push({ message: `the ${res.status} error body is not JSON${ex.jsonError ? `: ${ex.jsonError}` : ''}` });
      } else {
        for (const e of input.validators.validate(declared[media]!, ex.json).slice(0, 5)) {
          push({ instancePath: e.instancePath, message: `the ${res.status} error body does not match the spec: ${e.message}` });
        }
        codes = errorCodes(ex.json);
        if (codes.length === 0) push({ message: `the ${res.status} error body carries no error code (tppMessages[].code)` });
      }
    }
    const got = `${res.status}${codes.length ? ` ${codes.join('/')}` : ''}`;
    if (matches(expected, res.status, codes)) return 1;
    if (codes.length === 0 && expected.some((a) => a.status === res.status)) return 1; // the missing code is reported above
    const note = matches(tolerated, res.status, codes) ? ' (seen in practice, tolerated)' : '';
    push({ severity: 'minor', message: `${fault} was answered ${got}; expected ${want}${note}` });
    return 1;
  }),
};
