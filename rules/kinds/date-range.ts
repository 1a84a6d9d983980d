import { defineKind, okProbe } from '../kind.js';
import type { CheckOutcome } from '../../core/model.js';
import { ctx, entries, entryPaths, transactionList } from './support/transactions.js';

/** The collector's notSent key when it could not choose a date window for the date-filtered request. */
export const DATE_WINDOW = 'date-window';

export interface DateRangeParams {
  booked: string;
  pending: string;
  entryId: string;
  /** Booked entries are filtered on this date, pending ones on the other (BG dateFrom description). */
  bookingDate: string;
  entryDate: string;
}

/** dateFrom and dateTo are respected (inclusive): booked entries by booking date, pending ones by entry date. */
export const dateRange = defineKind<DateRangeParams>({
  kind: 'date-range',
  category: 'semantic',
  severity: 'major',
  idPattern: 'semantic:date-range-respected',
  docs: { description: 'Transactions outside dateFrom..dateTo are not returned.', specRef: 'Berlin Group IG: dateFrom and dateTo query parameters' },
  needs: 'json-body',
  applies: {
    spec: (scope) => {
      const tx = transactionList(scope);
      if (!tx) return [];
      const { bookingDate, entryDate } = scope.profile.transactions;
      return [
        {
          // DATE_WINDOW names the collector's reason when no date window could be chosen (no exchange carries it).
          id: 'semantic:date-range-respected',
          on: tx.on,
          after: tx.after,
          probes: [okProbe(tx.on.operationId), DATE_WINDOW],
          title: 'dateFrom and dateTo are respected',
          specRef: tx.ref('dateFrom, dateTo'),
          params: { ...entryPaths(scope.profile), bookingDate, entryDate },
        },
      ];
    },
  },
  check: ({ params, exchanges }) => {
    const out: CheckOutcome = { checked: 0, violations: [] };
    for (const ex of exchanges) {
      const from = ctx(ex, 'dateFrom');
      const to = ctx(ex, 'dateTo');
      if (!from && !to) continue;
      for (const [list, field] of [
        [params.booked, params.bookingDate],
        [params.pending, params.entryDate],
      ] as const) {
        for (const e of entries(ex, list, params.entryId)) {
          const date = e.value[field];
          if (typeof date !== 'string') continue;
          out.checked++;
          const day = date.slice(0, 10);
          if ((from && day < from) || (to && day > to)) {
            out.violations.push({
              exchange: ex.index,
              instancePath: `${e.pointer}/${field}`,
              message: `${field} ${date} at ${e.pointer} is outside the requested ${from ?? '…'}..${to ?? '…'}`,
            });
          }
        }
      }
    }
    if (out.checked === 0) out.skipped = 'no dated entry was returned for a date-filtered request';
    return out;
  },
});
