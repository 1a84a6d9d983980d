import type { Rule } from '../../core/model.js';
import type { Profile } from '../../config/profile.js';
import { KINDS } from '../registry.js';
import type { OperationInfo } from './operations.js';

/** The collector's notSent key when it could not choose a date window for the date-filtered request. */
export const DATE_WINDOW = 'date-window';

/** The probe under which the collector records GETs of the hrefs found in `_links`. */
export const LINKS_PROBE = 'follow:links';

/**
 * Hand-written rules on meaning, beyond what a schema can say. They apply when the spec has
 * the operation they are about; their ids are chosen, not generated.
 */
export function semanticRules(operations: OperationInfo[], profile: Profile, specRef: (l: string) => string): Rule[] {
  const rules: Rule[] = [];
  const make = (id: string, kind: string, op: OperationInfo, title: string, ref: string, params: unknown, probes = [`ok:${op.operationId}`]): Rule => ({
    id, kind, category: KINDS[kind]!.category, severity: KINDS[kind]!.severity, mandatory: true,
    title, specRef: ref, endpoint: op.endpoint, operationId: op.operationId, params, probes,
  });
  const tx = operations.find((o) => o.role === 'readTransactions');
  const listOp = operations.find((o) => o.role === 'listCardAccounts')!; // findOperations throws without it
  if (tx) {
    const t = profile.transactions;
    const paths = { booked: t.booked, pending: t.pending, entryId: t.entryId };
    const q = (name: string): string => specRef(`${tx.location}/parameters`) + ` (${name})`;
    // Transaction lists are read for the accounts the list names: when the list failed, these could not be judged.
    const after = { after: `ok:${listOp.operationId}` };
    rules.push({ ...make('semantic:booking-status-respected', 'booking-status', tx, 'bookingStatus=booked returns no pending entries (and pending no booked ones)', q('bookingStatus'), paths), ...after });
    // DATE_WINDOW names the collector's reason when no date window could be chosen (no exchange carries it).
    rules.push({ ...make('semantic:date-range-respected', 'date-range', tx, 'dateFrom and dateTo are respected', q('dateFrom, dateTo'), { ...paths, bookingDate: t.bookingDate, entryDate: t.entryDate }, [`ok:${tx.operationId}`, DATE_WINDOW]), ...after });
    rules.push({ ...make('semantic:pagination-complete', 'pagination', tx, '_links.next leads to the end with no duplicate transactions', q('_links.next'), paths), ...after });
  }
  const list = operations.find((o) => o.role === 'listCardAccounts')!;
  rules.push({ ...make('transport:every-request-answered', 'transport', list, 'every request gets a complete answer (no timeout, reset or cut body)', 'RFC 9110 (HTTP semantics); the run\'s limits.timeoutMs and limits.maxBodyBytes', {}, ['*']), endpoint: 'every request', operationId: '*' });
  // The id predates the `links` category and is kept stable (history, diffs and waivers key on it).
  rules.push({ ...make('semantic:links-resolve', 'links-resolve', list, 'every _links href resolves', specRef('/components/schemas/hrefType'), {}, [LINKS_PROBE]), endpoint: 'GET {_links href}', operationId: 'followLinks' });
  rules.push({ ...make('links:same-origin', 'links-origin', list, 'every link, next page and redirect stays on the bank\'s origin (or allowedOrigins); none that leaves it is followed', specRef('/components/schemas/hrefType') + ' and the origin policy (requests go only to baseUrl\'s origin and the bank file\'s allowedOrigins)', {}, ['*']), endpoint: 'every request', operationId: '*' });
  return rules;
}
