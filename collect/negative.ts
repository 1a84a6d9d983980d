// The collector's negative requests: the spec-generated cases that fit limits.negativeRequests,
// and the consent lifecycle (only for a consent the run created itself: a pre-authorised consent
// the user gave us is never deleted, reused after deletion, or doubled).
import type { Exchange, HttpRequestRecord } from '../core/model.js';
import type { OperationInfo } from '../rules/operations.js';
import type { Catalogue, NegativeProbe } from '../rules/catalogue/generate.js';
import { LIFECYCLE_PROBES } from '../rules/kinds/support/negative-rules.js';
import { isRecord, selectAll } from '../rules/select.js';
import { parseJsonBounded } from '../core/json-bounded.js';
import { buildRequest, requiredQuery, type RequestInputs } from './request-builder.js';

type Send = (probe: string, op: { operationId: string; endpoint: string }, req: HttpRequestRecord, ctx?: Exchange['context']) => Promise<Exchange>;
type Inputs = Pick<RequestInputs, 'bank' | 'profile'> & { consentId: string };

const CARD_ROLES = ['listCardAccounts', 'readCardAccount', 'readBalances', 'readTransactions'] as const;
const isCardOp = (o: OperationInfo): boolean => (CARD_ROLES as readonly string[]).includes(o.role);
const ok2xx = (ex: Exchange): boolean => ex.response !== undefined && !ex.failure && ex.response.status >= 200 && ex.response.status < 300;

/** A valid request of a card-account operation for `accountId` (where it has a path parameter). */
function validRequest(op: OperationInfo, inputs: Inputs, accountId: string): HttpRequestRecord;
function validRequest(op: OperationInfo, inputs: Inputs, accountId: string | undefined): HttpRequestRecord | undefined;
function validRequest(op: OperationInfo, inputs: Inputs, accountId: string | undefined): HttpRequestRecord | undefined {
  const pathParams: Record<string, string> = {};
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    if (accountId === undefined) return undefined;
    pathParams[p.name] = accountId;
  }
  return buildRequest(op, { ...inputs, pathParams, query: requiredQuery(op) });
}

/** Sends one generated negative request: the valid request with the case's values put in. */
export async function sendNegativeProbe(
  probe: NegativeProbe,
  catalogue: Catalogue,
  inputs: Inputs,
  accountId: string | undefined,
  send: Send,
  notSent: Record<string, string>,
): Promise<void> {
  const op = catalogue.operations.find((o) => o.operationId === probe.operationId);
  if (!op) {
    // The case was generated from this catalogue's operations, so this is a mismatched catalogue.
    notSent[probe.probe] = `the spec has no operation '${probe.operationId}' to build this request from`;
    return;
  }
  const pathParams: Record<string, string> = {};
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    if (accountId === undefined) {
      notSent[probe.probe] = 'the card-account list named no account to build this request from';
      return;
    }
    pathParams[p.name] = (probe.in === 'path' ? probe.values[p.name] : undefined) ?? accountId;
  }
  const query: Record<string, string | undefined> = { ...requiredQuery(op), ...(probe.in === 'query' ? probe.values : {}) };
  const request = buildRequest(op, { ...inputs, pathParams, query });
  if (probe.in === 'header') for (const [name, value] of Object.entries(probe.values)) request.headers[name.toLowerCase()] = value;
  await send(probe.probe, op, request, { negative: Object.keys(probe.values).join(', ') });
}

/** The sampling line: how many cases the spec gave, how many were sent, which were left out. */
export function negativeSamplingNote(catalogue: Catalogue, sent: number): string | undefined {
  const sampling = catalogue.sampling.negative;
  if (!sampling || sampling.leftOut.length === 0) return undefined;
  const { generated, budget, leftOut } = sampling;
  return (
    `${generated} negative requests were generated from the spec's parameters; ${sent} were sent ` +
    `(limits.negativeRequests ${budget}, one of each kind of fault first); left out: ${leftOut.join(', ')}`
  );
}

export interface LifecycleContext {
  catalogue: Catalogue;
  inputs: Inputs;
  send: Send;
  notSent: Record<string, string>;
  wants: (probe: string) => boolean;
  /** The account ids the list named (in the bank's order). */
  ids: string[];
  /** The card-account list's parsed body (for the accounts' maskedPans). */
  list: unknown;
  /** Polls of a new consent's status until it is valid. */
  polls: number;
  pollMs: number;
  validUntil: string;
  /** Called with the id of every further consent created (a secret, as the run's own consent id). */
  onConsent: (consentId: string) => void;
}

const role = (catalogue: Catalogue, r: OperationInfo['role']): OperationInfo | undefined => catalogue.operations.find((o) => o.role === r);

/** Every lifecycle probe this catalogue has, for the notSent reasons. */
export function lifecycleProbes(catalogue: Catalogue): string[] {
  return [...catalogue.operations.filter(isCardOp).map((o) => LIFECYCLE_PROBES.deleted(o.operationId)), LIFECYCLE_PROBES.status, LIFECYCLE_PROBES.outside];
}

/**
 * A consent for one card account (by its maskedPan), approved, then used for another account's
 * details: it must be refused. The consent is deleted afterwards. Where the bank will not create
 * or approve such a consent, the rule is not judged and says why.
 */
export async function checkOutsideAccess(ctx: LifecycleContext): Promise<void> {
  const { catalogue, inputs, send, notSent } = ctx;
  const create = role(catalogue, 'createConsent');
  const details = role(catalogue, 'readCardAccount');
  const statusOp = role(catalogue, 'getConsentStatus');
  const del = role(catalogue, 'deleteConsent');
  const probe = LIFECYCLE_PROBES.outside;
  if (!create || !details || !del || !ctx.wants(probe)) return;
  const pans = maskedPans(ctx.list, inputs.profile.accountIds);
  const inside = ctx.ids.find((id) => pans.get(id) !== undefined);
  const insidePan = inside === undefined ? undefined : pans.get(inside);
  const outside = insidePan === undefined ? undefined : ctx.ids.find((id) => id !== inside && pans.get(id) !== undefined && pans.get(id) !== insidePan);
  if (insidePan === undefined || outside === undefined) {
    notSent[probe] =
      'the card-account list names no two card accounts with different maskedPans, so no consent for one of them could be tested against another';
    return;
  }
  const ref = [{ maskedPan: insidePan }];
  const { validDays: _v, ...body } = inputs.profile.consent;
  const access = { accounts: ref, balances: ref, transactions: ref };
  const created = await send(LIFECYCLE_PROBES.scopedSetup, create, buildRequest(create, { ...inputs, body: { ...body, access, validUntil: ctx.validUntil } }));
  const json = jsonOf(created);
  const scopedId = isRecord(json) && typeof json.consentId === 'string' && json.consentId !== '' ? json.consentId : undefined;
  if (!ok2xx(created) || !scopedId) {
    const answer = created.response?.status ?? created.failure?.kind;
    notSent[probe] = `the bank did not create a consent for one card account (POST answered ${answer}), so access outside a consent could not be tested`;
    return;
  }
  ctx.onConsent(scopedId);
  const scoped = { ...inputs, consentId: scopedId };
  let valid = statusOp === undefined;
  for (let i = 0; statusOp && i < ctx.polls && !valid; i++) {
    const ex = await send(LIFECYCLE_PROBES.scopedSetup, statusOp, buildRequest(statusOp, { ...scoped, pathParams: { [pathParam(statusOp)]: scopedId } }));
    const status = jsonOf(ex);
    valid = isRecord(status) && status.consentStatus === 'valid';
    if (!valid && (!ok2xx(ex) || i === ctx.polls - 1)) break;
    if (!valid) await new Promise((r) => setTimeout(r, ctx.pollMs));
  }
  if (valid) await send(probe, details, validRequest(details, scoped, outside), { accountId: outside });
  else
    notSent[probe] =
      'the consent for one card account did not become valid (the bank asks the PSU to approve it), so access outside a consent could not be tested';
  await send(LIFECYCLE_PROBES.scopedSetup, del, buildRequest(del, { ...scoped, pathParams: { [pathParam(del)]: scopedId } }));
}

/**
 * After the run's DELETE of its own consent: one GET of each card-account operation with it (each
 * must be refused), and its status (terminatedByTpp).
 */
export async function checkDeletedConsent(ctx: LifecycleContext, deleted: Exchange): Promise<void> {
  const { catalogue, inputs, send, notSent } = ctx;
  if (!ok2xx(deleted)) {
    const answer = deleted.response?.status ?? deleted.failure?.kind;
    const why = `the run's DELETE of its consent answered ${answer}, so the consent's use after deletion was not tested`;
    for (const p of lifecycleProbes(catalogue)) if (p !== LIFECYCLE_PROBES.outside) notSent[p] ??= why;
    return;
  }
  const work: Promise<unknown>[] = [];
  for (const op of catalogue.operations.filter(isCardOp)) {
    const probe = LIFECYCLE_PROBES.deleted(op.operationId);
    if (!ctx.wants(probe)) continue;
    const request = validRequest(op, inputs, ctx.ids[0]);
    if (!request) {
      notSent[probe] = 'the card-account list named no account to build this request from';
      continue;
    }
    work.push(send(probe, op, request, { consent: 'deleted' }));
  }
  await Promise.all(work);
  const statusOp = role(catalogue, 'getConsentStatus');
  if (statusOp && ctx.wants(LIFECYCLE_PROBES.status)) {
    const request = buildRequest(statusOp, { ...inputs, pathParams: { [pathParam(statusOp)]: inputs.consentId } });
    await send(LIFECYCLE_PROBES.status, statusOp, request, { consent: 'deleted' });
  }
}

const pathParam = (op: OperationInfo): string => op.parameters.find((p) => p.in === 'path')?.name ?? 'consentId';

/** Account id → maskedPan, from the list body (the items the id selector names). */
function maskedPans(list: unknown, accountIds: string): Map<string, string> {
  const itemOf = (pointer: string): string => pointer.slice(0, pointer.lastIndexOf('/'));
  const pans = new Map<string, string>();
  for (const p of selectAll(list, accountIds.replace(/\/[^/]+$/, '/maskedPan'))) if (typeof p.value === 'string') pans.set(itemOf(p.pointer), p.value);
  const out = new Map<string, string>();
  for (const id of selectAll(list, accountIds)) {
    const pan = pans.get(itemOf(id.pointer));
    if (typeof id.value === 'string' && pan !== undefined) out.set(id.value, pan);
  }
  return out;
}

function jsonOf(ex: Exchange): unknown {
  if (!ex.response || ex.response.status >= 300) return undefined;
  const parsed = parseJsonBounded(ex.response.body);
  return parsed.ok ? parsed.value : undefined;
}
