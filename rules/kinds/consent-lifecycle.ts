import { defineKind, perExchange } from '../kind.js';
import { terminatedStatusRules } from './support/negative-rules.js';
import { isRecord } from '../select.js';
import { errorCodes } from './error-response.js';

export interface ConsentStatusParams {
  /** The status the consent must have now ("terminatedByTpp" after the TPP's DELETE). */
  expected: string;
  /** What happened to the consent, for messages ("after the run's DELETE"). */
  after: string;
}

/**
 * After the TPP deletes its consent, the consent's status reads `terminatedByTpp` (Berlin Group:
 * consentStatus). Still `valid` is major (the bank did not end it); another status is minor; a bank
 * that forgets the consent altogether (403 CONSENT_UNKNOWN, 404) is minor, since the standard keeps
 * it readable; a 5xx is major.
 */
export const consentStatus = defineKind<ConsentStatusParams>({
  kind: 'consent-status',
  category: 'negative',
  severity: 'major',
  idPattern: '{operationId}:consent-lifecycle:terminated-by-tpp',
  docs: {
    description: 'After the TPP deletes its consent, GET /consents/{consentId}/status answers its status as terminatedByTpp.',
    specRef: 'Berlin Group consentStatus (terminatedByTpp)',
  },
  needs: 'response',
  applies: { spec: terminatedStatusRules },
  check: (input) =>
    perExchange(input, (ex, push) => {
      const { expected, after } = input.params;
      const res = ex.response;
      if (!res) return 0; // needs: 'response': the judge hands a check only exchanges that got one
      if (res.status >= 500) {
        push({ message: `the consent status ${after} was answered ${res.status} (server error)` });
        return 1;
      }
      if (res.status >= 400) {
        const codes = ex.json === undefined ? [] : errorCodes(ex.json);
        const got = `${res.status}${codes.length > 0 ? ` ${codes.join('/')}` : ''}`;
        push({
          severity: 'minor',
          message: `the consent status ${after} was answered ${got}: the bank no longer knows the consent; the standard keeps its status readable as ${expected}`,
        });
        return 1;
      }
      const status = isRecord(ex.json) ? ex.json.consentStatus : undefined;
      if (typeof status !== 'string') {
        push({ message: `the consent status ${after} was answered ${res.status} without a consentStatus` });
        return 1;
      }
      if (status === expected) return 1;
      push({ severity: status === 'valid' ? 'major' : 'minor', message: `the consent status ${after} is '${status}'; expected '${expected}'` });
      return 1;
    }),
});
