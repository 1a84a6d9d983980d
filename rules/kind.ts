import type { Category, CheckOutcome, Exchange, Severity } from '../core/model.js';
import type { Profile } from '../config/profile.js';
import type { SchemaValidators } from '../schemas/validators.js';

/** An exchange as a check sees it: its index in the bank's log and its body parsed once. */
export interface ObservedExchange extends Exchange {
  index: number;
  /** The parsed JSON body, when the body parsed. */
  json?: unknown;
  /** Why the body did not parse (absent when it did, or when there was no body). */
  jsonError?: string;
}

export interface CheckInput<P> {
  params: P;
  exchanges: ObservedExchange[];
  profile: Profile;
  validators: SchemaValidators;
}

/**
 * What a check needs from each exchange before it can judge it:
 * - `json-body`: a 2xx response whose body parsed as JSON (others make the rule broken);
 * - `response`: any HTTP response (a transport failure makes the rule broken);
 * - `exchange`: every exchange as it is (the check decides).
 */
export type Needs = 'json-body' | 'response' | 'exchange';

/** A check kind, after ESLint's rule modules: metadata plus one pure function. */
export interface RuleKind<P = unknown> {
  kind: string;
  category: Category;
  severity: Severity;
  description: string;
  needs: Needs;
  check(input: CheckInput<P>): CheckOutcome;
}

/** Helper for kinds that judge one exchange at a time. */
export function perExchange<P>(
  input: CheckInput<P>,
  judge: (ex: ObservedExchange, push: (v: Omit<CheckOutcome['violations'][number], 'exchange'>) => void) => number,
): CheckOutcome {
  const outcome: CheckOutcome = { checked: 0, violations: [] };
  for (const ex of input.exchanges) {
    outcome.checked += judge(ex, (v) => outcome.violations.push({ ...v, exchange: ex.index }));
  }
  return outcome;
}
