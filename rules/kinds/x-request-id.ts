import { perExchange, type RuleKind } from '../kind.js';

/** The response carries back the X-Request-ID of the request (the spec makes it a required response header). */
export const xRequestId: RuleKind<Record<string, never>> = {
  kind: 'x-request-id',
  category: 'headers',
  severity: 'major',
  description: 'The response echoes the request\'s X-Request-ID.',
  needs: 'response',
  check: (input) => perExchange(input, (ex, push) => {
    const sent = ex.request.headers['x-request-id'];
    if (!sent) return 0;
    const got = ex.response!.headers['x-request-id'];
    if (got === undefined) push({ message: 'X-Request-ID is not echoed in the response' });
    else if (got.trim().toLowerCase() !== sent.toLowerCase()) push({ message: `X-Request-ID echoed as '${got}', but '${sent}' was sent` });
    return 1;
  }),
};
