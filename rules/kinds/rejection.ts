import type { CheckOutcome } from '../../core/model.js';
import type { CheckInput, RuleKind } from '../kind.js';
import { perExchange } from '../kind.js';
import { errorResponse, type ErrorResponseParams } from './error-response.js';

export interface RejectionParams extends ErrorResponseParams {
  /** The probe of the positive control: a correctly signed request that must have been accepted. */
  control: string;
}

/**
 * A must-reject request is refused with the expected status and code. Judged only when the
 * positive control was accepted: a bank that refuses everything proves nothing by refusing this.
 */
function judgeRejection(input: CheckInput<RejectionParams>): CheckOutcome {
  const control = input.exchanges.find((e) => e.probe === input.params.control);
  const cases = input.exchanges.filter((e) => e.probe !== input.params.control);
  if (!control) return { checked: 0, violations: [], broken: 'the positive control (a correctly signed request) was not sent' };
  const status = control.response!.status;
  if (status < 200 || status >= 300) {
    return { checked: 0, violations: [], broken: `the positive control (a correctly signed request) was answered ${status}, so a rejection here proves nothing` };
  }
  return errorResponse.check({ ...input, exchanges: cases });
}

const base = { severity: 'critical' as const, needs: 'response' as const, check: judgeRejection };

export const signatureRejection: RuleKind<RejectionParams> = {
  ...base, kind: 'signature-rejection', category: 'signature',
  description: 'A request whose signature is wrong in exactly one way is refused (2xx: critical; 5xx: failure; another 4xx or code: minor).',
};

export const certificateRejection: RuleKind<RejectionParams> = {
  ...base, kind: 'certificate-rejection', category: 'certificate',
  description: 'A request signed with a certificate that is wrong in exactly one way is refused (2xx: critical; 5xx: failure; another 4xx or code: minor).',
};

/** A correctly signed request is accepted: the positive control of the rejection suite. */
export const signatureAccepted: RuleKind<{ fault: string }> = {
  kind: 'signature-accepted', category: 'signature', severity: 'critical', needs: 'response',
  description: 'A correctly signed request is accepted; the rejection rules are judged only when it is.',
  check: (input) => perExchange(input, (ex, push) => {
    const res = ex.response!;
    if (res.status < 200 || res.status >= 300) {
      let detail = '';
      try { const b = JSON.parse(res.body) as { tppMessages?: { code?: string; text?: string }[] }; detail = b.tppMessages?.[0] ? ` (${b.tppMessages[0].code}: ${b.tppMessages[0].text ?? ''})` : ''; } catch { /* no JSON body */ }
      push({ message: `${input.params.fault}: answered ${res.status}${detail}` });
    }
    return 1;
  }),
};
