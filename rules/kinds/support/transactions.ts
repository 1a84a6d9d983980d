import type { Profile } from '../../../config/profile.js';
import { okProbe, type ObservedExchange, type SpecScope } from '../../kind.js';
import type { OperationInfo } from '../../operations.js';
import { isRecord, selectAll } from '../../select.js';

/** Where a transaction page keeps its entries (from the profile). */
export interface EntryPaths {
  booked: string;
  pending: string;
  entryId: string;
}

/** The profile's entry paths. */
export const entryPaths = (profile: Profile): EntryPaths => {
  const t = profile.transactions;
  return { booked: t.booked, pending: t.pending, entryId: t.entryId };
};

/**
 * The transaction-list operation and what its semantic rules share: a spec reference to one of its
 * query parameters, and `after` the card-account list (the lists are read for the accounts it names).
 */
export function transactionList(scope: SpecScope): { on: OperationInfo; after: string; ref: (parameter: string) => string } | undefined {
  const on = scope.operations.find((o) => o.role === 'readTransactions');
  const list = scope.operations.find((o) => o.role === 'listCardAccounts');
  if (!on || !list) return undefined;
  return { on, after: okProbe(list.operationId), ref: (parameter) => `${scope.specRef(`${on.location}/parameters`)} (${parameter})` };
}

export interface Entry {
  pointer: string;
  value: Record<string, unknown>;
  id?: string;
}

/** The entries of one list (booked or pending) of a transaction page. */
export function entries(ex: ObservedExchange, listPath: string, entryId: string): Entry[] {
  return selectAll(ex.json, `${listPath}/*`)
    .filter((e) => isRecord(e.value))
    .map((e) => {
      const value = e.value as Record<string, unknown>;
      const id = value[entryId];
      return { pointer: e.pointer, value, id: typeof id === 'string' && id.trim() !== '' ? id : undefined };
    });
}

export const ctx = (ex: ObservedExchange, key: string): string | undefined => {
  const v = ex.context?.[key];
  return v === undefined ? undefined : String(v);
};
