// The `negative` category of the catalogue: one rule per generated negative case that fits the
// budget (limits.negativeRequests), and the consent-lifecycle rules (a deleted consent is refused
// and reads terminatedByTpp; a consent for one card account refuses another).
import type { Rule } from '../../core/model.js';
import type { OperationRole } from '../../config/profile.js';
import { toJsonSchema } from '../../schemas/json-schema.js';
import type { SpecDocument } from '../../schemas/spec-document.js';
import type { ConsentStatusParams } from '../kinds/consent-lifecycle.js';
import type { NegativeParams } from '../kinds/negative.js';
import { KINDS } from '../registry.js';
import { NEGATIVE_SEED, negativeCasesFor, selectNegativeCases, type NegativeCase } from './negative-cases.js';
import type { OperationInfo } from './operations.js';

/** A generated negative request the collector sends: the valid request with `values` put in. */
export interface NegativeProbe {
  probe: string;
  operationId: string;
  in: NegativeCase['in'];
  /** Replacement values by parameter name as the spec spells it (header names in any case). */
  values: Record<string, string>;
}

/** What the run tells the user about the negative cases it generated and did not send. */
export interface NegativeSampling {
  generated: number;
  budget: number;
  leftOut: string[];
}

/** Probe ids of the consent lifecycle (sent only when the run created its consent). */
export const LIFECYCLE_PROBES = {
  /** A GET of a card-account operation with the consent the run deleted. */
  deleted: (operationId: string): string => `lifecycle:deleted-consent:${operationId}`,
  /** The status of the deleted consent. */
  status: 'lifecycle:consent-status',
  /** Creating, approving and deleting the consent for one card account (judged by the transport rule only). */
  scopedSetup: 'lifecycle:scoped-consent',
  /** Another card account's details read with the consent for one account. */
  outside: 'lifecycle:outside-access',
} as const;

export const negativeProbe = (c: NegativeCase): string => `negative:${c.id}`;

const CARD_ROLES: OperationRole[] = ['listCardAccounts', 'readCardAccount', 'readBalances', 'readTransactions'];

export interface NegativeRules {
  rules: Rule[];
  probes: NegativeProbe[];
  sampling: NegativeSampling;
}

/**
 * The negative rules of a spec. `budget` is limits.negativeRequests: the most informative cases
 * that fit become rules (and requests); the others are listed in `sampling.leftOut` and get no
 * rule, so a case never sent is never reported as judged.
 */
export function negativeRules(
  spec: SpecDocument, operations: OperationInfo[],
  opts: { budget: number; seed?: number; specRef: (location: string) => string; listProbe: string },
): NegativeRules {
  const rules: Rule[] = [];
  const make: Make = (op, r) => {
    const kind = KINDS[r.kind]!; // both kinds are registered
    const after = op.parameters.some((p) => p.in === 'path') && CARD_ROLES.includes(op.role) ? { after: opts.listProbe } : {};
    const meta = { category: kind.category, severity: r.severity ?? kind.severity, endpoint: op.endpoint, operationId: op.operationId };
    return { mandatory: true, ...r, ...meta, ...after };
  };
  const cardOps = operations.filter((o) => CARD_ROLES.includes(o.role));
  const all = cardOps.flatMap((op) => negativeCasesFor(spec, op));
  const { selected, leftOut } = selectNegativeCases(all, opts.budget, opts.seed ?? NEGATIVE_SEED);
  const probes: NegativeProbe[] = [];
  for (const c of selected) {
    const op = cardOps.find((o) => o.operationId === c.operationId)!; // the case came from it
    probes.push({ probe: negativeProbe(c), operationId: c.operationId, in: c.in, values: c.values });
    rules.push(make<NegativeParams>(op, {
      id: c.id, kind: 'negative', probes: [negativeProbe(c)], mandatory: c.mandatory,
      title: `${op.endpoint}: ${c.description} is refused with a 4xx and a valid error body`,
      specRef: opts.specRef(c.location),
      params: {
        fault: `a request with ${c.description}`, expected: c.expected, acceptedSeverity: 'major', bodies: errorBodies(spec, op),
        ...(c.constraint === 'accept' ? { bodiless: true } : {}),
      },
    }));
  }
  rules.push(...lifecycleRules(spec, operations, cardOps, opts.specRef, make));
  return { rules, probes, sampling: { generated: all.length, budget: opts.budget, leftOut } };
}

type RuleInput<P> = Pick<Rule, 'id' | 'kind' | 'title' | 'specRef' | 'probes'> & { params: P; mandatory?: boolean; severity?: Rule['severity'] };
type Make = <P>(op: OperationInfo, r: RuleInput<P>) => Rule;

/** The lifecycle rules, where the spec can create and delete a consent. */
function lifecycleRules(spec: SpecDocument, operations: OperationInfo[], cardOps: OperationInfo[], specRef: (l: string) => string, make: Make): Rule[] {
  const role = (r: OperationRole): OperationInfo | undefined => operations.find((o) => o.role === r);
  const create = role('createConsent');
  const del = role('deleteConsent');
  if (!create || !del) return [];
  const rules: Rule[] = [];
  const deleted = `${specRef(del.location)} (a consent the TPP deleted is terminatedByTpp and gives no further access)`;
  for (const op of cardOps) {
    rules.push(make<NegativeParams>(op, {
      id: `${op.operationId}:consent-lifecycle:deleted-consent-refused`, kind: 'negative', severity: 'critical',
      probes: [LIFECYCLE_PROBES.deleted(op.operationId)],
      title: `${op.endpoint}: the consent the run deleted is refused (401 CONSENT_INVALID or 403 CONSENT_UNKNOWN)`, specRef: deleted,
      params: {
        fault: 'a request with the consent the run had deleted', strict: true, acceptedSeverity: 'critical', bodies: errorBodies(spec, op),
        expected: [{ status: 401, codes: ['CONSENT_INVALID'] }, { status: 403, codes: ['CONSENT_UNKNOWN'] }],
      },
    }));
  }
  const status = role('getConsentStatus');
  if (status) {
    rules.push(make<ConsentStatusParams>(status, {
      id: `${status.operationId}:consent-lifecycle:terminated-by-tpp`, kind: 'consent-status', probes: [LIFECYCLE_PROBES.status],
      title: `${status.endpoint}: a consent the TPP deleted reads terminatedByTpp`, specRef: deleted,
      params: { expected: 'terminatedByTpp', after: 'after the run\'s DELETE' },
    }));
  }
  const details = role('readCardAccount');
  if (details) {
    rules.push(make<NegativeParams>(details, {
      id: `${details.operationId}:consent-lifecycle:outside-access`, kind: 'negative', severity: 'critical', probes: [LIFECYCLE_PROBES.outside],
      title: `${details.endpoint}: a consent for one card account refuses another (401 CONSENT_INVALID)`,
      specRef: `${specRef(create.location)} (access.accounts/balances/transactions name the card accounts a consent reaches)`,
      params: {
        fault: 'a request for a card account outside the consent\'s access', strict: true, acceptedSeverity: 'critical', bodies: errorBodies(spec, details),
        expected: [
          { status: 401, codes: ['CONSENT_INVALID'] }, { status: 403, codes: ['RESOURCE_UNKNOWN', 'CONSENT_UNKNOWN'] },
          { status: 404, codes: ['RESOURCE_UNKNOWN'] },
        ],
      },
    }));
  }
  return rules;
}

/** The error body schemas the spec declares for the operation, translated: status → media type → schema. */
function errorBodies(spec: SpecDocument, op: OperationInfo): NegativeParams['bodies'] {
  const bodies: NegativeParams['bodies'] = {};
  for (const r of op.responses) {
    if (!/^4\d\d$/.test(r.status)) continue;
    bodies[r.status] = Object.fromEntries(Object.entries(r.content).map(([media, c]) => [media, toJsonSchema(c.schema, spec.dialect)]));
  }
  return bodies;
}
