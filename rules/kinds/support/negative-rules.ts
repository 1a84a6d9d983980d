// The `negative` category of the catalogue: one rule per generated negative case that fits the
// budget (limits.negativeRequests), and the consent-lifecycle rules (a deleted consent is refused
// and reads terminatedByTpp; a consent for one card account refuses another).
import type { OperationRole } from '../../../config/profile.js';
import { toJsonSchema } from '../../../schemas/json-schema.js';
import type { SpecDocument } from '../../../schemas/spec-document.js';
import type { KindRule, SpecScope } from '../../kind.js';
import type { OperationInfo } from '../../operations.js';
import type { ConsentStatusParams } from '../consent-lifecycle.js';
import type { NegativeParams } from '../negative.js';
import { NEGATIVE_SEED, negativeCasesFor, selectNegativeCases, type NegativeCase } from './negative-cases.js';

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
const cardOperations = (scope: SpecScope): OperationInfo[] => scope.operations.filter((o) => CARD_ROLES.includes(o.role));

/**
 * The generated negative rules of a spec. `limits.negativeRequests` is the budget: the most informative
 * cases that fit become rules (and requests); the others are reported through `sampled` and get no rule,
 * so a case never sent is never reported as judged.
 */
export function negativeCaseRules(scope: SpecScope, seed = NEGATIVE_SEED): KindRule<NegativeParams>[] {
  const { spec, specRef, limits } = scope;
  const cardOps = cardOperations(scope);
  const all = cardOps.flatMap((op) => negativeCasesFor(spec, op));
  const { selected, leftOut } = selectNegativeCases(all, limits.negativeRequests, seed);
  scope.sampled({ generated: all.length, budget: limits.negativeRequests, leftOut });
  return selected.flatMap((c) => {
    const op = cardOps.find((o) => o.operationId === c.operationId);
    if (!op) return []; // cannot happen: the case came from one of these operations
    return [
      {
        id: c.id,
        on: op,
        probes: [negativeProbe(c)],
        mandatory: c.mandatory,
        fault: { type: 'replace-params', in: c.in, values: c.values },
        title: `${op.endpoint}: ${c.description} is refused with a 4xx and a valid error body`,
        specRef: specRef(c.location),
        params: {
          fault: `a request with ${c.description}`,
          expected: c.expected,
          acceptedSeverity: 'major',
          bodies: errorBodies(spec, op),
          ...(c.constraint === 'accept' ? { bodiless: true } : {}),
        },
      },
    ];
  });
}

const lifecycleOps = (scope: SpecScope): { create: OperationInfo; del: OperationInfo } | undefined => {
  const create = scope.operations.find((o) => o.role === 'createConsent');
  const del = scope.operations.find((o) => o.role === 'deleteConsent');
  return create && del ? { create, del } : undefined;
};
const deletedRef = (scope: SpecScope, del: OperationInfo): string =>
  `${scope.specRef(del.location)} (a consent the TPP deleted is terminatedByTpp and gives no further access)`;

/** The lifecycle rules judged by the `negative` kind, where the spec can create and delete a consent. */
export function lifecycleRules(scope: SpecScope): KindRule<NegativeParams>[] {
  const ops = lifecycleOps(scope);
  if (!ops) return [];
  const { spec } = scope;
  const rules: KindRule<NegativeParams>[] = cardOperations(scope).map((op) => ({
    id: `${op.operationId}:consent-lifecycle:deleted-consent-refused`,
    on: op,
    severity: 'critical',
    probes: [LIFECYCLE_PROBES.deleted(op.operationId)],
    title: `${op.endpoint}: the consent the run deleted is refused (401 CONSENT_INVALID or 403 CONSENT_UNKNOWN)`,
    specRef: deletedRef(scope, ops.del),
    params: {
      fault: 'a request with the consent the run had deleted',
      strict: true,
      acceptedSeverity: 'critical',
      bodies: errorBodies(spec, op),
      expected: [
        { status: 401, codes: ['CONSENT_INVALID'] },
        { status: 403, codes: ['CONSENT_UNKNOWN'] },
      ],
    },
  }));
  const details = scope.operations.find((o) => o.role === 'readCardAccount');
  if (details) {
    rules.push({
      id: `${details.operationId}:consent-lifecycle:outside-access`,
      on: details,
      severity: 'critical',
      probes: [LIFECYCLE_PROBES.outside],
      title: `${details.endpoint}: a consent for one card account refuses another (401 CONSENT_INVALID)`,
      specRef: `${scope.specRef(ops.create.location)} (access.accounts/balances/transactions name the card accounts a consent reaches)`,
      params: {
        fault: "a request for a card account outside the consent's access",
        strict: true,
        acceptedSeverity: 'critical',
        bodies: errorBodies(spec, details),
        expected: [
          { status: 401, codes: ['CONSENT_INVALID'] },
          { status: 403, codes: ['RESOURCE_UNKNOWN', 'CONSENT_UNKNOWN'] },
          { status: 404, codes: ['RESOURCE_UNKNOWN'] },
        ],
      },
    });
  }
  return rules;
}

/** The status read after the run's DELETE, judged by the `consent-status` kind. */
export function terminatedStatusRules(scope: SpecScope): KindRule<ConsentStatusParams>[] {
  const ops = lifecycleOps(scope);
  const status = scope.operations.find((o) => o.role === 'getConsentStatus');
  if (!ops || !status) return [];
  return [
    {
      id: `${status.operationId}:consent-lifecycle:terminated-by-tpp`,
      on: status,
      probes: [LIFECYCLE_PROBES.status],
      title: `${status.endpoint}: a consent the TPP deleted reads terminatedByTpp`,
      specRef: deletedRef(scope, ops.del),
      params: { expected: 'terminatedByTpp', after: "after the run's DELETE" },
    },
  ];
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
