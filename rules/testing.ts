// Builders for the rule kinds' unit cases (an exchange from a body, a check run on it), and testKind, the
// kinds' RuleTester: every kind's cases file calls it with valid and invalid cases (rules/registry.test.ts checks).
import { describe, expect, it } from 'vitest';
import type { CheckOutcome, Exchange } from '../core/model.js';
import { loadProfile, type Profile } from '../config/profile.js';
import { SchemaValidators } from '../schemas/validators.js';
import { observe } from './judge.js';
import type { Kind } from './kind.js';

let profile: Profile | undefined;
export const testProfile = (): Profile => (profile ??= loadProfile('berlin-group'));

export function exchange(
  body: unknown,
  opts: Partial<Pick<Exchange, 'probe' | 'context'>> & {
    status?: number;
    headers?: Record<string, string>;
    requestHeaders?: Record<string, string>;
    url?: string;
  } = {},
): Exchange {
  return {
    probe: opts.probe ?? 'ok:test',
    operationId: 'test',
    endpoint: 'GET /test',
    request: {
      method: 'GET',
      url: opts.url ?? 'http://127.0.0.1/test',
      headers: opts.requestHeaders ?? { 'x-request-id': '2f3c9ab0-1111-4222-8333-444455556666' },
    },
    response: {
      status: opts.status ?? 200,
      headers: { 'content-type': 'application/json', ...opts.headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
      durationMs: 1,
    },
    context: opts.context,
  };
}

type Defs = ConstructorParameters<typeof SchemaValidators>[0];

export function run<P>(kind: Kind<P>, params: P, exchanges: Exchange[], defs: Defs = {}, p: Profile = testProfile()): CheckOutcome {
  return kind.definition.check({ params, exchanges: observe(exchanges), profile: p, validators: new SchemaValidators(defs) });
}

export const messages = (o: CheckOutcome): string[] => o.violations.map((v) => v.message);

/** One case of a kind: a rule's params and the exchanges it judges. */
export interface KindCase<P> {
  /** What the case shows, as the test's name. */
  name: string;
  params: P;
  exchanges: Exchange[];
  defs?: Defs;
  profile?: Profile;
}

/** A case the kind must fail: one entry per violation, in order (a string is contained in the message, a RegExp matches it). */
export interface InvalidCase<P> extends KindCase<P> {
  errors: (string | RegExp)[];
}

/**
 * The valid and invalid cases of a kind, after ESLint's RuleTester: a valid case is judged (something was
 * checked: no silent pass) with no violation and nothing broken; an invalid case gives exactly the violations listed.
 */
export function testKind<P>(kind: Kind<P>, cases: { valid: KindCase<P>[]; invalid: InvalidCase<P>[] }): void {
  describe(`${kind.kind} (valid and invalid cases)`, () => {
    it('has at least one valid and one invalid case', () => {
      expect(cases.valid.length, 'valid cases').toBeGreaterThan(0);
      expect(cases.invalid.length, 'invalid cases').toBeGreaterThan(0);
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        const o = run(kind, c.params, c.exchanges, c.defs, c.profile);
        expect(messages(o)).toEqual([]);
        expect(o.broken).toBeUndefined();
        expect(o.checked, 'instances judged').toBeGreaterThan(0);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const got = messages(run(kind, c.params, c.exchanges, c.defs, c.profile));
        expect(got, got.join('\n')).toHaveLength(c.errors.length);
        c.errors.forEach((want, i) => (typeof want === 'string' ? expect(got[i]).toContain(want) : expect(got[i]).toMatch(want)));
      });
    }
  });
}
