import { defineKind } from '../kind.js';
import type { CheckOutcome } from '../../core/model.js';
import { ctx, entries, entryPaths, transactionList, type EntryPaths } from './support/transactions.js';

export type PaginationParams = EntryPaths;

/**
 * Following `next` links reaches the end of the list: no page comes back twice (a cycle),
 * and no entry appears on two pages.
 */
export const pagination = defineKind<PaginationParams>({
  kind: 'pagination',
  category: 'semantic',
  severity: 'major',
  idPattern: 'semantic:pagination-complete',
  docs: {
    description: 'next links lead to the end of the list without cycles or duplicate entries.',
    specRef: 'Berlin Group IG: _links.next of a transaction list',
  },
  needs: 'json-body',
  applies: {
    spec: (scope) => {
      const tx = transactionList(scope);
      if (!tx) return [];
      return [
        {
          id: 'semantic:pagination-complete',
          on: tx.on,
          after: tx.after,
          title: '_links.next leads to the end with no duplicate transactions',
          specRef: tx.ref('_links.next'),
          params: entryPaths(scope.profile),
        },
      ];
    },
  },
  check: ({ params, exchanges }) => {
    const out: CheckOutcome = { checked: 0, violations: [] };
    const chains = new Map<string, typeof exchanges>();
    for (const ex of exchanges) {
      const chain = ctx(ex, 'chain');
      if (chain) chains.set(chain, [...(chains.get(chain) ?? []), ex]);
    }
    for (const [chain, pages] of chains) {
      out.checked++;
      const seen = new Map<string, number>();
      for (const page of pages) {
        for (const list of [params.booked, params.pending]) {
          for (const e of entries(page, list, params.entryId)) {
            if (!e.id) continue;
            const first = seen.get(e.id);
            if (first !== undefined) {
              out.violations.push({
                exchange: page.index,
                instancePath: e.pointer,
                message: `entry ${e.id} appears again on page ${ctx(page, 'page')} of ${chain} (first on page ${first})`,
              });
            } else seen.set(e.id, Number(ctx(page, 'page') ?? 0));
          }
        }
      }
      // A chain exists only with its first page in it.
      const lastPage = pages[pages.length - 1];
      if (!lastPage) continue;
      const end = ctx(lastPage, 'chainEnd');
      if (end === 'cycle') out.violations.push({ exchange: lastPage.index, message: `the next link of ${chain} leads back to a page already fetched` });
      if (end === 'limit') out.broken = `${chain} was not followed to its end: more pages than the suite follows`;
    }
    if (out.checked === 0) out.skipped = 'no paged transaction list was requested';
    return out;
  },
});
