import { perExchange, type RuleKind } from '../kind.js';
import { pathOf } from './status.js';

/**
 * Every link and redirect stays on the bank's origin (or an origin the bank file allows). The
 * collector does not follow one that leaves them (it would carry the bank's credentials
 * elsewhere) and records it on the exchange whose answer pointed there; this rule reports it.
 */
export const linksOrigin: RuleKind<Record<string, never>> = {
  kind: 'links-origin',
  category: 'links',
  severity: 'major',
  description: 'Every _links href, next link and redirect stays on the bank\'s origin (or an origin the bank file allows); one that leaves it is not followed.',
  needs: 'exchange',
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
};
