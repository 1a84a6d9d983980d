// The base URL answers HTTP at all (any status counts: the root of an API is rarely a resource).
import type { Limits } from '../../config/types.js';
import { createHttpClient, type HttpClientOptions } from '../../transport/http/client.js';
import { fail, pass, type CheckLine } from './types.js';

export async function checkReachable(baseUrl: string, limits: Limits, tls: HttpClientOptions['tls']): Promise<{ line: CheckLine; ok: boolean }> {
  // One attempt: the doctor reports, it does not insist.
  const client = createHttpClient({ limits: { ...limits, retries: 0, requestsPerSecond: 0, concurrency: 1 }, tls });
  try {
    const sent = await client.send({ method: 'GET', url: baseUrl, headers: { accept: 'application/json' } }, { sign: false });
    if (sent.response) return { line: pass('base URL', `${baseUrl} answered HTTP ${sent.response.status} in ${sent.response.durationMs} ms`), ok: true };
    const f = sent.failure;
    return { line: fail('base URL', `${baseUrl} is not reachable: ${f ? `${f.kind}: ${f.message}` : 'no answer'}`, 'baseUrl'), ok: false };
  } finally {
    await client.close();
  }
}
