import { perExchange, type RuleKind } from '../kind.js';
import { pathOf } from './status.js';

/**
 * Every request gets a complete HTTP answer: no timeout, connection reset, TLS failure or body
 * cut at the size limit. The rules that needed those answers are broken; this one says why, once.
 */
export const transport: RuleKind<Record<string, never>> = {
  kind: 'transport',
  category: 'transport',
  severity: 'major',
  description: 'The bank answers every request completely: no timeouts, resets, TLS failures or bodies beyond the size limit.',
  needs: 'exchange',
  check: (input) => perExchange(input, (ex, push) => {
    if (ex.failure) push({ message: `${ex.request.method} ${pathOf(ex.request.url)}: ${ex.failure.kind}: ${ex.failure.message}` });
    return 1;
  }),
};
