import type { CheckOutcome } from '../../core/model.js';
import { defineKind, type ObservedExchange } from '../kind.js';

/** The probe under which the collector records GETs of the hrefs found in `_links`. */
export const LINKS_PROBE = 'follow:links';

/**
 * Every `_links` href can be fetched: a GET on it answers 2xx. The collector may try a relative
 * href in more than one way (against the origin, then against baseUrl's path), each try one
 * exchange with the same `linkId`; the link resolves when one of them answers 2xx.
 */
export const linksResolve = defineKind<Record<string, never>>({
  kind: 'links-resolve',
  category: 'links',
  severity: 'major',
  // The id predates the `links` category and is kept stable (history, diffs and waivers key on it).
  idPattern: 'semantic:links-resolve',
  docs: {
    description:
      "Every _links href resolves: a GET on it (relative hrefs against the bank's origin or baseUrl's path, with the query parameters the target operation requires) answers 2xx.",
    specRef: 'Berlin Group hrefType',
  },
  needs: 'exchange',
  applies: {
    spec: ({ operations, specRef }) => {
      const list = operations.find((o) => o.role === 'listCardAccounts');
      return list
        ? [
            {
              id: 'semantic:links-resolve',
              on: list,
              endpoint: 'GET {_links href}',
              operationId: 'followLinks',
              probes: [LINKS_PROBE],
              title: 'every _links href resolves',
              specRef: specRef('/components/schemas/hrefType'),
              params: {},
            },
          ]
        : [];
    },
  },
  check: ({ exchanges }) => {
    const out: CheckOutcome = { checked: 0, violations: [] };
    const groups = new Map<string, ObservedExchange[]>();
    for (const ex of exchanges) {
      const key = String(ex.context?.linkId ?? `#${ex.index}`);
      groups.set(key, [...(groups.get(key) ?? []), ex]);
    }
    const unanswered: string[] = [];
    for (const tries of groups.values()) {
      // A group exists only with its first try in it.
      const first = tries[0];
      const last = tries[tries.length - 1];
      if (!first || !last) continue;
      const ok = tries.some((t) => t.response && !t.failure && t.response.status >= 200 && t.response.status < 300);
      if (ok) {
        out.checked++;
        continue;
      }
      const what = describeTry(first);
      // No try got an answer: the link could not be judged (the transport rule says why).
      if (tries.every((t) => !t.response || t.failure)) {
        unanswered.push(`${what}: ${tries.map(outcomeOf).join('; ')}`);
        continue;
      }
      out.checked++;
      out.violations.push({ exchange: last.index, message: `${what} does not resolve: ${tries.map(outcomeOf).join('; ')}` });
    }
    if (unanswered.length > 0 && out.violations.length === 0)
      out.broken = `${unanswered[0]}${unanswered.length > 1 ? ` (and ${unanswered.length - 1} more links got no answer)` : ''}`;
    if (groups.size === 0) out.skipped = 'no link was followed';
    return out;
  },
});

function describeTry(ex: ObservedExchange): string {
  const c = ex.context ?? {};
  const name = c.link !== undefined ? `link ${String(c.link)}` : 'link';
  const href = c.href !== undefined ? ` (${String(c.href)})` : '';
  const from = c.from !== undefined ? ` from ${String(c.from)}` : '';
  return `${name}${href}${from}`;
}

function outcomeOf(ex: ObservedExchange): string {
  const c = ex.context ?? {};
  const how = c.convention !== undefined ? ` (${String(c.convention)}${c.addedQuery ? `, added ${String(c.addedQuery)}` : ''})` : '';
  const got = ex.response ? `answered ${ex.response.status}` : (ex.failure?.kind ?? 'no answer');
  return `GET ${ex.request.url}${how} ${got}`;
}
