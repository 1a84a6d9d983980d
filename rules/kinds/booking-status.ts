import { defineKind } from '../kind.js';
import type { CheckOutcome } from '../../core/model.js';
import { ctx, entries, entryPaths, transactionList, type EntryPaths } from './support/transactions.js';

export type BookingStatusParams = EntryPaths;

/**
 * bookingStatus is respected: `booked` returns no pending entries, `pending` no booked ones,
 * and no entry is reported as booked and as pending for the same account.
 */
export const bookingStatus = defineKind<BookingStatusParams>({
  kind: 'booking-status',
  category: 'semantic',
  severity: 'critical',
  idPattern: 'semantic:booking-status-respected',
  docs: {
    description: 'Transaction lists respect bookingStatus; booked and pending entries never overlap.',
    specRef: 'Berlin Group IG: bookingStatus query parameter',
  },
  needs: 'json-body',
  applies: {
    spec: (scope) => {
      const tx = transactionList(scope);
      if (!tx) return [];
      return [
        {
          id: 'semantic:booking-status-respected',
          on: tx.on,
          after: tx.after,
          title: 'bookingStatus=booked returns no pending entries (and pending no booked ones)',
          specRef: tx.ref('bookingStatus'),
          params: entryPaths(scope.profile),
        },
      ];
    },
  },
  check: ({ params, exchanges }) => {
    const out: CheckOutcome = { checked: 0, violations: [] };
    const bookedIds = new Map<string, Map<string, number>>(); // account → id → exchange
    const pendingIds = new Map<string, Map<string, number>>();
    for (const ex of exchanges) {
      const status = ctx(ex, 'bookingStatus');
      if (!status) continue;
      out.checked++;
      const account = ctx(ex, 'accountId') ?? '';
      const booked = entries(ex, params.booked, params.entryId);
      const pending = entries(ex, params.pending, params.entryId);
      if (status === 'booked' && pending[0]) {
        out.violations.push({
          exchange: ex.index,
          instancePath: pending[0].pointer,
          message: `${pending.length} pending entr${pending.length === 1 ? 'y' : 'ies'} returned for bookingStatus=booked`,
        });
      }
      if (status === 'pending' && booked[0]) {
        out.violations.push({
          exchange: ex.index,
          instancePath: booked[0].pointer,
          message: `${booked.length} booked entr${booked.length === 1 ? 'y' : 'ies'} returned for bookingStatus=pending`,
        });
      }
      for (const [list, seen] of [
        [booked, bookedIds],
        [pending, pendingIds],
      ] as const) {
        const ids = seen.get(account) ?? new Map<string, number>();
        seen.set(account, ids);
        for (const e of list) if (e.id) ids.set(e.id, ex.index);
      }
    }
    for (const [account, booked] of bookedIds) {
      for (const [id, index] of pendingIds.get(account) ?? []) {
        if (booked.has(id)) out.violations.push({ exchange: index, message: `entry ${id} is reported both as booked and as pending` });
      }
    }
    if (out.checked === 0) out.skipped = 'no transaction list was requested with a bookingStatus';
    return out;
  },
});
