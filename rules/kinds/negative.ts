import type { Severity } from '../../core/model.js';
import type { JsonSchema } from '../../schemas/json-schema.js';
import { defineKind, perExchange, type CheckInput, type ObservedExchange } from '../kind.js';
import { lifecycleRules, negativeCaseRules } from './support/negative-rules.js';
import { mediaTypeOf } from './content-type.js';
import { errorCodes, type ExpectedAnswer } from './error-response.js';

export interface NegativeParams {
  /** What the request does wrong, for messages ("dateFrom: 2026-13-45 (not a calendar date)"). */
  fault: string;
  /** The answers the standard gives. */
  expected: ExpectedAnswer[];
  /**
   * Whether another 4xx than `expected` is a (minor) finding. Off for parameter cases: any refusal
   * with a valid error body passes, and the result notes the answer. On where the code is the point
   * (a deleted consent must be refused as a consent problem).
   */
  strict?: boolean;
  /** Severity of a 2xx: the request was served (major for a bad parameter, critical for a deleted consent). */
  acceptedSeverity: Severity;
  /** A refusal may come without a body (406: the client accepts none of the bank's media types). */
  bodiless?: boolean;
  /** Error body schemas declared by the spec for the operation: status → media type → schema. */
  bodies: Record<string, Record<string, JsonSchema>>;
}

const describe = (answers: ExpectedAnswer[]): string => answers.map((a) => `${a.status} ${a.codes.join('/')}`).join(' or ');
const matches = (answers: ExpectedAnswer[], status: number, codes: string[]): boolean =>
  answers.some((a) => a.status === status && (a.codes.length === 0 || codes.some((c) => a.codes.includes(c))));

/**
 * A request that breaks one constraint is refused: a 4xx with an error body the spec declares for
 * that status. A 5xx is critical (the bank crashed on input it should have checked), a 2xx is the
 * rule's `acceptedSeverity` (the value was accepted and, at best, ignored); a refusal whose status
 * the operation does not declare, whose body does not match the spec (a code outside its list
 * included) or carries no code is minor. Which 4xx and code, beyond that, is the error-response
 * category's concern: here it is noted, unless the rule is strict.
 */
export const negative = defineKind<NegativeParams>({
  kind: 'negative',
  category: 'negative',
  severity: 'major',
  // `{in}.{name}:negative-{constraint}` for a generated case, `consent-lifecycle:{check}` for the consent lifecycle.
  idPattern: '{operationId}:{parameter or consent-lifecycle}:{constraint or check}',
  docs: {
    description:
      'A request that breaks one constraint of the spec (a malformed parameter, a deleted consent) is refused with a 4xx ' +
      'and a valid Berlin Group error body: never a 5xx, never served.',
    specRef: "the operation's parameters and error responses in the spec; Berlin Group consent lifecycle (terminatedByTpp)",
  },
  needs: 'response',
  // At `spec`: the budget (limits.negativeRequests) is shared by every operation, so the cases are chosen across them.
  applies: { spec: (scope) => [...negativeCaseRules(scope), ...lifecycleRules(scope)] },
  check: (input) => {
    const notes = new Set<string>();
    const outcome = perExchange(input, (ex, push) => judgeOne(input, ex, push, notes));
    return notes.size > 0 ? { ...outcome, notes: [...notes] } : outcome;
  },
});

type Push = Parameters<Parameters<typeof perExchange>[1]>[1];

function judgeOne(input: CheckInput<NegativeParams>, ex: ObservedExchange, push: Push, notes: Set<string>): number {
  const { fault, expected, strict, acceptedSeverity, bodiless, bodies } = input.params;
  const res = ex.response;
  if (!res) return 0; // needs: 'response': the judge hands a check only exchanges that got one
  const want = describe(expected);
  if (res.status >= 500) {
    push({ severity: 'critical', message: `${fault} was answered ${res.status} (server error); expected ${want}` });
    return 1;
  }
  if (res.status < 400) {
    const served = res.status < 300;
    const how = served ? ' (served, not refused)' : '';
    push({ severity: served ? acceptedSeverity : 'major', message: `${fault} was answered ${res.status}${how}; expected ${want}` });
    return 1;
  }
  const declared = bodies[String(res.status)];
  if (!declared) {
    push({ severity: 'minor', message: `${fault} was answered ${res.status}, a status the operation does not declare; expected ${want}` });
    return 1;
  }
  let codes: string[] = [];
  const media = mediaTypeOf(res.headers['content-type']);
  const empty = res.body.trim() === '';
  if (empty && bodiless) {
    notes.add(`answered ${res.status} without a body`);
  } else if (Object.keys(declared).length > 0) {
    if (!media || !(media in declared)) {
      const sent = media ? `'${media}'` : 'sent without Content-Type';
      push({ severity: 'minor', message: `the ${res.status} error body is ${sent}; the spec declares ${Object.keys(declared).join(' or ')}` });
    } else if (ex.json === undefined) {
      push({ severity: 'minor', message: `the ${res.status} error body is not JSON${ex.jsonError ? `: ${ex.jsonError}` : ''}` });
    } else {
      codes = errorCodes(ex.json);
      // oxlint-disable-next-line typescript/no-non-null-assertion -- `media in declared` was tested above
      for (const e of input.validators.validate(declared[media]!, ex.json).slice(0, 3)) {
        push({ severity: 'minor', instancePath: e.instancePath, message: `the ${res.status} error body does not match the spec: ${e.message}` });
      }
      if (codes.length === 0) push({ severity: 'minor', message: `the ${res.status} error body carries no error code (tppMessages[].code)` });
    }
  }
  const got = `${res.status}${codes.length > 0 ? ` ${codes.join('/')}` : ''}`;
  if (matches(expected, res.status, codes) || (codes.length === 0 && expected.some((a) => a.status === res.status))) return 1;
  if (strict) push({ severity: 'minor', message: `${fault} was answered ${got}; expected ${want}` });
  else notes.add(`refused with ${got} (the standard's answer is ${want})`);
  return 1;
}
