import { defineKind, perExchange } from '../kind.js';
import { pathOf } from './status.js';

/**
 * Every request gets a complete HTTP answer: no timeout, connection reset, TLS failure or body
 * cut at the size limit. The rules that needed those answers are broken; this one says why, once.
 */
export const transport = defineKind<Record<string, never>>({
  kind: 'transport',
  category: 'transport',
  severity: 'major',
  idPattern: 'transport:every-request-answered',
  docs: {
    description: 'The bank answers every request completely: no timeouts, resets, TLS failures or bodies beyond the size limit.',
    specRef: 'RFC 9110 (HTTP semantics)',
  },
  needs: 'exchange',
  applies: {
    spec: ({ operations }) => {
      const list = operations.find((o) => o.role === 'listCardAccounts');
      return list
        ? [
            {
              // '*': the judge's ALL_PROBES, every exchange of the run.
              id: 'transport:every-request-answered',
              on: list,
              endpoint: 'every request',
              operationId: '*',
              probes: ['*'],
              title: 'every request gets a complete answer (no timeout, reset or cut body)',
              specRef: "RFC 9110 (HTTP semantics); the run's limits.timeoutMs and limits.maxBodyBytes",
              params: {},
            },
          ]
        : [];
    },
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      if (ex.failure) push({ message: `${ex.request.method} ${pathOf(ex.request.url)}: ${ex.failure.kind}: ${ex.failure.message}` });
      return 1;
    }),
});
