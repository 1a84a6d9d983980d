import { defineKind, perExchange } from '../kind.js';

export interface StatusParams {
  /** The success statuses the spec declares for the operation. */
  expected: number[];
}

/** The bank answers a valid request with the success status the spec declares. */
export const status = defineKind<StatusParams>({
  kind: 'status',
  category: 'status-code',
  severity: 'critical',
  idPattern: '{operationId}:status-code',
  docs: { description: 'A valid request is answered with the success status the spec declares.', specRef: 'OpenAPI Operation Object: responses' },
  needs: 'response',
  applies: {
    operation: ({ op, specRef }) => [
      {
        id: `${op.operationId}:status-code`,
        title: `${op.endpoint} answers ${op.successStatuses.join('/')}`,
        specRef: specRef(`${op.location}/responses`),
        params: { expected: op.successStatuses },
      },
    ],
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      // needs 'response': the judge hands a check only exchanges that got one.
      if (!ex.response) return 0;
      const got = ex.response.status;
      if (!input.params.expected.includes(got)) {
        push({ message: `${ex.request.method} ${pathOf(ex.request.url)} answered ${got}; the spec expects ${input.params.expected.join(' or ')}` });
      }
      return 1;
    }),
});

export function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}
