import { defineKind, perExchange } from '../kind.js';

/** The response carries back the X-Request-ID of the request (the spec makes it a required response header). */
export const xRequestId = defineKind<Record<string, never>>({
  kind: 'x-request-id',
  category: 'headers',
  severity: 'major',
  idPattern: '{operationId}:x-request-id',
  docs: { description: "The response echoes the request's X-Request-ID.", specRef: 'Berlin Group IG: X-Request-ID, a required response header' },
  needs: 'response',
  applies: {
    operation: ({ op, success, specRef }) => {
      const first = success[0];
      if (!first || !success.some((r) => r.requiredHeaders.includes('x-request-id'))) return [];
      return [
        {
          id: `${op.operationId}:x-request-id`,
          title: `${op.endpoint} echoes X-Request-ID`,
          specRef: specRef(`${op.location}/responses/${first.status}/headers`),
          params: {},
        },
      ];
    },
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      const sent = ex.request.headers['x-request-id'];
      if (!sent) return 0;
      // needs 'response': the judge hands a check only exchanges that got one.
      if (!ex.response) return 0;
      const got = ex.response.headers['x-request-id'];
      if (got === undefined) push({ message: 'X-Request-ID is not echoed in the response' });
      else if (got.trim().toLowerCase() !== sent.toLowerCase()) push({ message: `X-Request-ID echoed as '${got}', but '${sent}' was sent` });
      return 1;
    }),
});
