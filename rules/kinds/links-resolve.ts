import { perExchange, type RuleKind } from '../kind.js';
import { pathOf } from './status.js';

/** Every href a response links to can be fetched (GET answers 2xx). */
export const linksResolve: RuleKind<Record<string, never>> = {
  kind: 'links-resolve',
  category: 'semantic',
  severity: 'major',
  description: 'Every _links href resolves: a GET on it answers 2xx.',
  needs: 'response',
  check: (input) => perExchange(input, (ex, push) => {
    const status = ex.response!.status;
    if (status < 200 || status >= 300) {
      push({ message: `link ${ex.context?.link ?? ''} → ${pathOf(ex.request.url)} (from ${ex.context?.from ?? 'a response'}) answered ${status}` });
    }
    return 1;
  }),
};
