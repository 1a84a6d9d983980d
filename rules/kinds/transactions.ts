import type { ObservedExchange } from '../kind.js';
import { isRecord, selectAll } from '../select.js';

/** Where a transaction page keeps its entries (from the profile). */
export interface EntryPaths {
  booked: string;
  pending: string;
  entryId: string;
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
