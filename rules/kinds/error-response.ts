import type { CheckOutcome } from '../../core/model.js';
import { toJsonSchema, type JsonSchema } from '../../schemas/json-schema.js';
import type { SpecDocument } from '../../schemas/spec-document.js';
import { defineKind, okProbe, perExchange, type CheckInput, type ObservedExchange } from '../kind.js';
import type { OperationInfo } from '../operations.js';
import { isRecord } from '../select.js';
import { mediaTypeOf } from './content-type.js';
import { errorCasesFor, type ExpectedAnswer } from './support/error-cases.js';

export type { ExpectedAnswer } from './support/error-cases.js';

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

/**
 * Codes spelled two ways: the official 1.3.12 file's AIS 401 enum spells CERTIFICATE_REVOKE, the
 * standard's prose and later sets CERTIFICATE_REVOKED. Either spelling is accepted, and the result says which was seen.
 */
const SPELLINGS: Record<string, string> = { CERTIFICATE_REVOKE: 'CERTIFICATE_REVOKED', CERTIFICATE_REVOKED: 'CERTIFICATE_REVOKE' };

/** The body with every code in its other spelling, or undefined when it has none with two spellings. */
function respelled(body: unknown): unknown {
  let changed = false;
  const swap = (m: unknown): unknown => {
    if (!isRecord(m) || typeof m.code !== 'string' || !SPELLINGS[m.code]) return m;
    changed = true;
    return { ...m, code: SPELLINGS[m.code] };
  };
  if (!isRecord(body)) return undefined;
  const out: Record<string, unknown> = swap(body) as Record<string, unknown>;
  for (const key of ['tppMessages', 'additionalErrors']) if (Array.isArray(body[key])) out[key] = (body[key] as unknown[]).map(swap);
  return changed ? out : undefined;
}

const describe = (answers: ExpectedAnswer[]): string => answers.map((a) => `${a.status} ${a.codes.join('/')}`).join(' or ');
const matches = (answers: ExpectedAnswer[] | undefined, status: number, codes: string[]): boolean =>
  (answers ?? []).some(
    (a) =>
      a.status === status && (a.codes.length === 0 || codes.some((c) => a.codes.includes(c) || (SPELLINGS[c] !== undefined && a.codes.includes(SPELLINGS[c])))),
  );

/**
 * A request with one deliberate fault is refused with the status and code the standard
 * gives, and with an error body that validates. Accepting it is critical; a 5xx is major;
 * another 4xx or code than expected is minor.
 */
export const errorResponse = defineKind<ErrorResponseParams>({
  kind: 'error-response',
  category: 'error-response',
  severity: 'major',
  idPattern: '{operationId}:error:{fault}',
  docs: {
    description: 'A faulty request is refused with the expected status, code and a valid Berlin Group error body.',
    specRef: 'Berlin Group IG: error codes per HTTP status',
  },
  needs: 'response',
  applies: {
    // Card-account reads get the error cases; consent management is exercised only as far as a run needs it.
    'operation:exit': ({ spec, op, operations, specRef }) => {
      if (!ERROR_CASE_ROLES.includes(op.role)) return [];
      const list = operations.find((o) => o.role === 'listCardAccounts');
      // A faulty request for an account is built from the list's answer: when that failed, it could not be judged.
      const after = list && op.parameters.some((p) => p.in === 'path') ? { after: okProbe(list.operationId) } : {};
      const bodies = errorBodies(spec, op);
      return errorCasesFor(op).map((c) => ({
        id: `${op.operationId}:error:${c.slug}`,
        title: `${op.endpoint}: ${c.title}`,
        specRef: specRef(`${op.location}/responses`),
        probes: [`error:${op.operationId}:${c.slug}`],
        ...after,
        fault: c.fault,
        params: { fault: c.description, expected: c.expected, tolerated: c.tolerated, bodies },
      }));
    },
  },
  check: checkErrorResponse,
});

const ERROR_CASE_ROLES: OperationInfo['role'][] = ['listCardAccounts', 'readCardAccount', 'readBalances', 'readTransactions'];

/** Judges refused requests; the rejection kinds judge theirs the same way. */
export function checkErrorResponse(input: CheckInput<ErrorResponseParams>): CheckOutcome {
  const notes = new Set<string>();
  const outcome = perExchange(input, (ex, push) => judgeOne(input, ex, push, notes));
  return notes.size > 0 ? { ...outcome, notes: [...notes] } : outcome;
}

/** The error body schemas the spec declares for the operation, translated: status → media type → schema. */
export function errorBodies(spec: SpecDocument, op: OperationInfo): ErrorResponseParams['bodies'] {
  const bodies: ErrorResponseParams['bodies'] = {};
  for (const r of op.responses) {
    if (!/^4\d\d$/.test(r.status)) continue;
    bodies[r.status] = Object.fromEntries(Object.entries(r.content).map(([media, c]) => [media, toJsonSchema(c.schema, spec.dialect)]));
  }
  return bodies;
}

type Push = Parameters<Parameters<typeof perExchange>[1]>[1];

/** Judges one refused request; returns 1 (one instance judged). */
function judgeOne(input: CheckInput<ErrorResponseParams>, ex: ObservedExchange, push: Push, notes: Set<string>): number {
  const { fault, expected, tolerated, bodies } = input.params;
  // needs 'response': the judge hands a check only exchanges that got one.
  const res = ex.response;
  if (!res) return 0;
  const want = describe(expected);
  if (res.status < 400) {
    push({ severity: res.status < 300 ? 'critical' : 'major', message: `${fault} was answered ${res.status}; expected ${want}` });
    return 1;
  }
  if (res.status >= 500) {
    push({ message: `${fault} was answered ${res.status} (server error); expected ${want}` });
    return 1;
  }
  const declared = bodies[String(res.status)];
  const media = mediaTypeOf(res.headers['content-type']);
  let codes: string[] = [];
  if (declared && Object.keys(declared).length > 0) {
    if (!media || !(media in declared)) {
      push({
        message: `the ${res.status} error body is ${media ? `'${media}'` : 'sent without Content-Type'}; the spec declares ${Object.keys(declared).join(' or ')}`,
      });
    } else if (ex.json === undefined) {
      push({ message: `the ${res.status} error body is not JSON${ex.jsonError ? `: ${ex.jsonError}` : ''}` });
    } else {
      codes = errorCodes(ex.json);
      // `media in declared` was tested above.
      // oxlint-disable-next-line typescript/no-non-null-assertion -- `media in declared` was tested above
      let errors = input.validators.validate(declared[media]!, ex.json);
      const other = errors.length > 0 ? respelled(ex.json) : undefined;
      const twoWays = codes.filter((c) => SPELLINGS[c]);
      // oxlint-disable-next-line typescript/no-non-null-assertion -- `media in declared` was tested above
      if (other !== undefined && input.validators.validate(declared[media]!, other).length === 0) {
        // Valid but for the spelling of a code the standard spells two ways: accepted, and said.
        errors = [];
        notes.add(
          `the bank answered ${twoWays.join('/')}; the spec's enum spells it ${twoWays.map((c) => SPELLINGS[c]).join('/')}; both spellings are accepted`,
        );
      } else if (twoWays.length > 0) {
        notes.add(
          `the bank answered ${twoWays.join('/')} (spelled ${twoWays.map((c) => SPELLINGS[c]).join('/')} elsewhere in the standard; both spellings are accepted)`,
        );
      }
      for (const e of errors.slice(0, 5)) {
        push({ instancePath: e.instancePath, message: `the ${res.status} error body does not match the spec: ${e.message}` });
      }
      if (codes.length === 0) push({ message: `the ${res.status} error body carries no error code (tppMessages[].code)` });
    }
  }
  const got = `${res.status}${codes.length ? ` ${codes.join('/')}` : ''}`;
  if (matches(expected, res.status, codes)) return 1;
  if (codes.length === 0 && expected.some((a) => a.status === res.status)) return 1; // the missing code is reported above
  const note = matches(tolerated, res.status, codes) ? ' (seen in practice, tolerated)' : '';
  push({ severity: 'minor', message: `${fault} was answered ${got}; expected ${want}${note}` });
  return 1;
}
