import { defineKind, perExchange } from '../kind.js';
import { pathOf } from './status.js';

/**
 * Every link and redirect stays on the bank's origin (or an origin the bank file allows). The
 * collector does not follow one that leaves them (it would carry the bank's credentials
 * elsewhere) and records it on the exchange whose answer pointed there; this rule reports it.
 */
export const linksOrigin = defineKind<Record<string, never>>({
  kind: 'links-origin',
  category: 'links',
  severity: 'major',
  idPattern: 'links:same-origin',
  docs: {
    description:
      "Every _links href, next link and redirect stays on the bank's origin (or an origin the bank file allows); one that leaves it is not followed.",
    specRef: 'Berlin Group hrefType; RFC 6454 (origin)',
  },
  needs: 'exchange',
  applies: {
    spec: ({ operations, specRef }) => {
      const list = operations.find((o) => o.role === 'listCardAccounts');
      return list
        ? [
            {
              // '*': the judge's ALL_PROBES, every exchange of the run.
              id: 'links:same-origin',
              on: list,
              endpoint: 'every request',
              operationId: '*',
              probes: ['*'],
              title: "every link, next page and redirect stays on the bank's origin (or allowedOrigins); none that leaves it is followed",
              specRef: `${specRef('/components/schemas/hrefType')} and the origin policy (requests go only to baseUrl's origin and the bank file's allowedOrigins)`,
              params: {},
            },
          ]
        : [];
    },
  },
  check: (input) => {
    const outcome = perExchange(input, (ex, push) => {
      for (const n of ex.notFollowed ?? []) {
        push({
          instancePath: n.pointer,
          message: `link leaves the bank's origin: ${n.href} (${n.link} in the answer to ${ex.request.method} ${pathOf(ex.request.url)}); it was not followed: ${n.reason}`,
        });
      }
      // Each answer's links and Location were checked against the origin policy.
      return ex.response ? 1 : 0;
    });
    if (outcome.checked === 0 && outcome.violations.length === 0) outcome.skipped = 'no answer was received whose links could be checked';
    return outcome;
  },
});
