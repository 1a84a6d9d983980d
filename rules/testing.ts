// Builders for the rule kinds' unit cases: an exchange from a body, and a check run on it.
import type { CheckOutcome, Exchange } from '../core/model.js';
import { loadProfile, type Profile } from '../config/profile.js';
import { SchemaValidators } from '../schemas/validators.js';
import { observe } from './judge.js';
import type { Kind } from './kind.js';

let profile: Profile | undefined;
export const testProfile = (): Profile => (profile ??= loadProfile('berlin-group'));

export function exchange(body: unknown, opts: Partial<Pick<Exchange, 'probe' | 'context'>> & { status?: number; headers?: Record<string, string>; requestHeaders?: Record<string, string>; url?: string } = {}): Exchange {
  return {
    probe: opts.probe ?? 'ok:test',
    operationId: 'test',
    endpoint: 'GET /test',
    request: { method: 'GET', url: opts.url ?? 'http://127.0.0.1/test', headers: opts.requestHeaders ?? { 'x-request-id': '2f3c9ab0-1111-4222-8333-444455556666' } },
    response: { status: opts.status ?? 200, headers: { 'content-type': 'application/json', ...opts.headers }, body: typeof body === 'string' ? body : JSON.stringify(body), durationMs: 1 },
    context: opts.context,
  };
}

export function run<P>(kind: Kind<P>, params: P, exchanges: Exchange[], defs: ConstructorParameters<typeof SchemaValidators>[0] = {}, p: Profile = testProfile()): CheckOutcome {
  return kind.definition.check({ params, exchanges: observe(exchanges), profile: p, validators: new SchemaValidators(defs) });
}

export const messages = (o: CheckOutcome): string[] => o.violations.map((v) => v.message);
