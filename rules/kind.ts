// The rule-kind contract, after ESLint's rule modules: a kind is one file in rules/kinds/ that says what
// it is (metadata and docs), where in the spec it applies (its rules), and how one of its rules is judged.
// docs/architecture.md ("Adding a rule kind") shows the files one touches.
import type { Category, CheckOutcome, Exchange, Rule, Severity } from '../core/model.js';
import type { Profile } from '../config/profile.js';
import type { DeclaredProperties } from '../schemas/declared.js';
import type { SpecDocument } from '../schemas/spec-document.js';
import type { SchemaValidators } from '../schemas/validators.js';
import type { VisitedNode } from '../schemas/walk.js';
import type { OperationInfo, ResponseInfo } from './operations.js';

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

/** The probe id under which the collector records the valid requests of an operation. */
export const okProbe = (operationId: string): string => `ok:${operationId}`;

/** A deliberate fault the collector puts into an otherwise valid request. */
export type Fault =
  | { type: 'unknown-path-param'; name: string }
  | { type: 'omit-header'; name: string }
  | { type: 'omit-query'; name: string }
  | { type: 'invalid-query'; name: string; value: string }
  | { type: 'unknown-consent' }
  /** Parameters replaced by values that each break one constraint of the spec (the `negative` category). */
  | { type: 'replace-params'; in: 'header' | 'query' | 'path'; values: Record<string, string> };

/** A JSON success response of an operation: its status, media type, schema and where the schema is in the spec. */
export interface JsonResponse {
  status: string;
  mediaType: string;
  schema: unknown;
  /** JSON pointer of the schema in the spec, without "#". */
  location: string;
}

/** The run's budgets a kind may size its rules by (from the bank file's limits). */
export interface CatalogueLimits {
  /** limits.negativeRequests: how many generated negative requests may be sent. */
  negativeRequests: number;
}

/** What a kind generated and did not make rules of, to be said in the run's notes (never a silent cut). */
export interface Sampling {
  generated: number;
  budget: number;
  leftOut: string[];
}

/** What every place in the spec offers a kind. */
export interface SpecScope {
  spec: SpecDocument;
  profile: Profile;
  limits: CatalogueLimits;
  /** Records that the kind left cases out to keep within a budget. */
  sampled: (sampling: Sampling) => void;
  /** The operations of the spec that play a role, in role order (the card-account list is always there). */
  operations: OperationInfo[];
  /** `berlin-group.openapi.yaml#<location>`. */
  specRef: (location: string) => string;
}

export interface OperationScope extends SpecScope {
  op: OperationInfo;
  /** The operation's success responses (2xx, or `default` when the spec declares no 2xx). */
  success: ResponseInfo[];
}

export interface ResponseScope extends OperationScope {
  response: JsonResponse;
  /** The properties its schema declares, by path (schemas/declared.ts), worked out once for all kinds. */
  declared: () => DeclaredProperties;
}

export interface NodeScope extends ResponseScope {
  /** One schema node of the response body, as schemas/walk.ts visits it (once per path). */
  node: VisitedNode;
}

/**
 * Where a kind looks for its rules. The generator visits the spec in this order, and at each place asks
 * every registered kind in registry order, so the catalogue's order is the spec's (like ESLint's
 * `Program` … `Program:exit` visitors):
 * `operation` (each operation) → `response` (each JSON success response) → `node` (each schema node of
 * it) → `response:exit` → `operation:exit`; then `spec` once, for rules about more than one operation.
 */
export interface Places {
  operation: OperationScope;
  response: ResponseScope;
  node: NodeScope;
  'response:exit': ResponseScope;
  'operation:exit': OperationScope;
  spec: SpecScope;
}
export type Place = keyof Places;
export const PLACES: readonly Place[] = ['operation', 'response', 'node', 'response:exit', 'operation:exit', 'spec'];

/** One rule a kind finds at a place of the spec. Unset fields come from the operation and the kind. */
export interface KindRule<P> {
  /** Stable id (history, waivers and baselines key on it); it matches the kind's `idPattern`. */
  id: string;
  title: string;
  specRef: string;
  params: P;
  /** The operation the rule is about; defaults to the operation visited (required at `spec`). */
  on?: OperationInfo;
  /** Default: `<method> <path>` and the operationId of `on`. */
  endpoint?: string;
  operationId?: string;
  /** Default: the valid requests of `on`. */
  probes?: string[];
  /** Default: the card-account list, for the account reads built from its answer. */
  after?: string;
  /** Default: the kind's. */
  mandatory?: boolean;
  severity?: Severity;
  /** A request with one deliberate fault the collector sends under `probes[0]` for this rule. */
  fault?: Fault;
}

/** Finds the rules of one kind at the places of the spec it cares about. */
export type Applies<P> = { [W in Place]?: (scope: Places[W]) => KindRule<P>[] };

/** What a kind module declares (the argument of defineKind). */
export interface KindDefinition<P> {
  /** The name rules carry (`rule.kind`); unique in the registry. */
  kind: string;
  category: Category;
  severity: Severity;
  /** Whether certification needs its rules (default true); a rule may say otherwise. */
  mandatory?: boolean;
  /** The shape of its rule ids, `{name}` standing for any text: `{operationId}:{path}:currency`. */
  idPattern: string;
  docs: {
    /** One line, for the report and the Allure description. */
    description: string;
    /** Where the requirement comes from (a clause, a schema, an RFC). */
    specRef: string;
  };
  needs: Needs;
  applies: Applies<P>;
  /** Pure: the same exchanges give the same outcome. */
  check(input: CheckInput<P>): CheckOutcome;
}

/** A registered kind with its params type hidden: the generator and the judge use it without knowing P. */
export interface AnyKind {
  readonly kind: string;
  readonly category: Category;
  readonly severity: Severity;
  readonly mandatory: boolean;
  readonly idPattern: string;
  readonly docs: KindDefinition<unknown>['docs'];
  readonly needs: Needs;
  /** The places this kind looks at. */
  readonly places: readonly Place[];
  /** Its complete rules at one place of the spec (kind, category, severity and defaults filled in). */
  rulesAt<W extends Place>(where: W, scope: Places[W]): { rule: Rule; fault?: Fault }[];
  /** Judges one of its own rules: `params` is the `params` of a rule this kind made. */
  check(input: CheckInput<unknown>): CheckOutcome;
}

/** A kind as its module exports it: registrable as it is, and typed for its own tests. */
export interface Kind<P> extends AnyKind {
  readonly definition: KindDefinition<P>;
}

/** Requests that need an account id are built from the list's answer: when it failed, they could not be judged. */
const AFTER_LIST: readonly OperationInfo['role'][] = ['readCardAccount', 'readBalances', 'readTransactions'];

/**
 * Defines a kind. Its name, its params and its rules are tied by P: `applies` can only make rules with
 * P-shaped params and `check` receives them, so the registry needs no cast.
 */
export function defineKind<P>(definition: KindDefinition<P>): Kind<P> {
  const { kind, category, severity, idPattern, docs, needs, applies } = definition;
  const mandatory = definition.mandatory ?? true;
  const places = PLACES.filter((w) => applies[w] !== undefined);
  const listProbe = (ops: OperationInfo[]): string | undefined => {
    const list = ops.find((o) => o.role === 'listCardAccounts');
    return list ? okProbe(list.operationId) : undefined;
  };
  return {
    kind,
    category,
    severity,
    mandatory,
    idPattern,
    docs,
    needs,
    places,
    definition,
    rulesAt: (where, scope) => {
      const found = applies[where]?.(scope) ?? [];
      const visited = 'op' in scope ? scope.op : undefined;
      return found.map((r) => {
        const on = r.on ?? visited;
        if (!on) throw new Error(`kind ${kind}: rule ${r.id} names no operation (a rule found at 'spec' sets 'on')`);
        const after = r.after ?? (AFTER_LIST.includes(on.role) ? listProbe(scope.operations) : undefined);
        const rule: Rule = {
          id: r.id,
          kind,
          category,
          severity: r.severity ?? severity,
          mandatory: r.mandatory ?? mandatory,
          title: r.title,
          specRef: r.specRef,
          endpoint: r.endpoint ?? on.endpoint,
          operationId: r.operationId ?? on.operationId,
          params: r.params,
          probes: r.probes ?? [okProbe(on.operationId)],
          ...(after ? { after } : {}),
        };
        return r.fault ? { rule, fault: r.fault } : { rule };
      });
    },
    // The judge hands a kind only the rules named after it, and those were made by its own `applies`
    // (rules cross a JSON file to the vitest workers, which keeps their plain-data params as they were).
    check: (input) => definition.check({ ...input, params: input.params as P }),
  };
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
