import type { CheckOutcome } from '../../core/model.js';
import { defineKind, perExchange, type CheckInput, type KindRule, type SpecScope } from '../kind.js';
import { checkErrorResponse, errorBodies, type ErrorResponseParams } from './error-response.js';
import { SIGNATURE_CASES, signatureProbe, type SignatureCase } from './support/signature-cases.js';

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
  // The control is one of the exchanges handed over, so it got a response (needs 'response').
  if (!control.response) return { checked: 0, violations: [], broken: 'the positive control (a correctly signed request) got no response' };
  const status = control.response.status;
  if (status < 200 || status >= 300) {
    return {
      checked: 0,
      violations: [],
      broken: `the positive control (a correctly signed request) was answered ${status}, so a rejection here proves nothing`,
    };
  }
  return checkErrorResponse({ ...input, exchanges: cases });
}

/**
 * The rejection suite's rules: ids chosen (the case ids), each a signed GET of the card-account list with
 * exactly one fault, judged against the first positive control.
 */
function rulesOf<P>(
  scope: SpecScope,
  which: (c: SignatureCase) => boolean,
  params: (c: SignatureCase, control: string, bodies: ErrorResponseParams['bodies']) => P,
  probes: (c: SignatureCase, control: string) => string[],
): KindRule<P>[] {
  const list = scope.operations.find((o) => o.role === 'listCardAccounts');
  const positive = SIGNATURE_CASES.find((c) => c.positive);
  if (!list || !positive) return [];
  const control = signatureProbe(positive);
  const bodies = errorBodies(scope.spec, list);
  return SIGNATURE_CASES.filter(which).map((c) => ({
    id: c.id,
    on: list,
    title: c.title,
    mandatory: c.mandatory,
    probes: probes(c, control),
    params: params(c, control, bodies),
    specRef: `${scope.specRef('/components/parameters/Signature')} (Berlin Group IG §12 application-level signature; reference case ${c.ref})`,
  }));
}

const rejections = (category: SignatureCase['category']) => ({
  spec: (scope: SpecScope) =>
    rulesOf<RejectionParams>(
      scope,
      (c) => !c.positive && c.category === category,
      (c, control, bodies) => ({ fault: c.title.replace(/ is rejected.*$/, ''), expected: c.expected ?? [], tolerated: c.tolerated, bodies, control }),
      (c, control) => [signatureProbe(c), control],
    ),
});

export const signatureRejection = defineKind<RejectionParams>({
  kind: 'signature-rejection',
  category: 'signature',
  severity: 'critical',
  needs: 'response',
  idPattern: 'signature:{case}',
  docs: {
    description: 'A request whose signature is wrong in exactly one way is refused (2xx: critical; 5xx: failure; another 4xx or code: minor).',
    specRef: 'Berlin Group IG §12 (application-level signature); draft-cavage-http-signatures-10',
  },
  applies: rejections('signature'),
  check: judgeRejection,
});

export const certificateRejection = defineKind<RejectionParams>({
  kind: 'certificate-rejection',
  category: 'certificate',
  severity: 'critical',
  needs: 'response',
  idPattern: 'certificate:{case}',
  docs: {
    description: 'A request signed with a certificate that is wrong in exactly one way is refused (2xx: critical; 5xx: failure; another 4xx or code: minor).',
    specRef: 'Berlin Group IG §12 (TPP-Signature-Certificate); ETSI TS 119 495 (PSD2 QWAC/QSealC)',
  },
  applies: rejections('certificate'),
  check: judgeRejection,
});

/** A correctly signed request is accepted: the positive control of the rejection suite. */
export const signatureAccepted = defineKind<{ fault: string }>({
  kind: 'signature-accepted',
  category: 'signature',
  severity: 'critical',
  needs: 'response',
  idPattern: 'signature:{case}',
  docs: {
    description: 'A correctly signed request is accepted; the rejection rules are judged only when it is.',
    specRef: 'Berlin Group IG §12 (application-level signature)',
  },
  applies: {
    spec: (scope) =>
      rulesOf(
        scope,
        (c) => c.positive === true,
        (c) => ({ fault: c.title.replace(/ is accepted$/, '') }),
        (c) => [signatureProbe(c)],
      ),
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      // needs 'response': the judge hands a check only exchanges that got one.
      const res = ex.response;
      if (!res) return 0;
      if (res.status < 200 || res.status >= 300) {
        let detail = '';
        try {
          const b = JSON.parse(res.body) as { tppMessages?: { code?: string; text?: string }[] };
          detail = b.tppMessages?.[0] ? ` (${b.tppMessages[0].code}: ${b.tppMessages[0].text ?? ''})` : '';
        } catch {
          /* no JSON body */
        }
        push({ message: `${input.params.fault}: answered ${res.status}${detail}` });
      }
      return 1;
    }),
});
