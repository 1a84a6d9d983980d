// The domain model shared by every stage of the pipeline:
// spec → schemas → rule catalogue → suites → bank → reporters.
// Everything here is plain data (JSON-serialisable) so it can cross process
// boundaries: the CLI collects exchanges, vitest workers judge them.

export const CATEGORIES = [
  'required-field',
  'schema',
  'currency',
  'minor-units',
  'masked-pan',
  'enum',
  'links',
  'status-code',
  'headers',
  'error-response',
  'semantic',
  'signature',
  'certificate',
  'transport',
  // Generated invalid requests (one broken parameter constraint each) and the consent lifecycle.
  'negative',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Allure's severity scale, most severe first. */
export const SEVERITIES = ['blocker', 'critical', 'major', 'minor', 'trivial'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type ResultStatus = 'passed' | 'failed' | 'broken' | 'skipped';

export type Headers = Record<string, string>;

/** What was sent. Header names are lower-case. */
export interface HttpRequestRecord {
  method: string;
  url: string;
  headers: Headers;
  body?: string;
}

/** What came back. Header names are lower-case; repeated headers joined with ", ". */
export interface HttpResponseRecord {
  status: number;
  headers: Headers;
  /** The body as text (UTF-8), possibly cut at the client's size limit. */
  body: string;
  /** True when the body was cut at the size limit. */
  truncated?: boolean;
  durationMs: number;
}

export type TransportFailureKind = 'timeout' | 'connection' | 'tls' | 'too-large' | 'protocol' | 'rate-limited';

/** Why no (complete) response was obtained. */
export interface TransportFailure {
  kind: TransportFailureKind;
  message: string;
}

/**
 * One recorded request/response pair. `probe` names the purpose of the request
 * (see collect/), so rules can pick the exchanges they judge.
 */
export interface Exchange {
  probe: string;
  operationId: string;
  /** "GET /v1/card-accounts/{account-id}": the spec's path template, not the concrete URL. */
  endpoint: string;
  request: HttpRequestRecord;
  response?: HttpResponseRecord;
  failure?: TransportFailure;
  /** Free-form facts the collector knew when sending (e.g. the account id, the query filters). */
  context?: Record<string, string | number | boolean>;
  /** Links and redirects in this response that were not requested because they leave the allowed origins. */
  notFollowed?: NotFollowed[];
}

/** A link (`_links`, `next`) or redirect (Location) the collector did not follow (origin policy). */
export interface NotFollowed {
  /** What pointed there: "_links.next", "_links.balances", "redirect (Location)". */
  link: string;
  /** The href or Location as the bank sent it. */
  href: string;
  /** Why it was not followed. */
  reason: string;
  /** JSON pointer of the link in the body, when it is in the body. */
  pointer?: string;
}

/** The metadata every rule carries into reports. */
export interface RuleMeta {
  /** Stable id: generated rules are `operationId:/json/pointer:kind`; hand-written ones are chosen. */
  id: string;
  /** The check module that judges it (rules/kinds/<kind>.ts). */
  kind: string;
  category: Category;
  severity: Severity;
  mandatory: boolean;
  /** One line a person reads in the report. */
  title: string;
  /** The clause or schema it enforces. */
  specRef: string;
  /** "GET /v1/card-accounts" etc.; hand-written cross-endpoint rules name their main endpoint. */
  endpoint: string;
  operationId: string;
}

/** A rule of the catalogue: metadata, the parameters for its kind, and the probes whose exchanges it judges. */
export interface Rule<P = unknown> extends RuleMeta {
  params: P;
  probes: string[];
  /**
   * The probe whose answer this rule's requests are built from (the card-account list, which names
   * the account ids): when it failed, the rule is `broken` with that reason, not `skipped`.
   */
  after?: string;
}

/** One instance where a bank broke a rule. */
export interface Violation {
  message: string;
  /** JSON pointer into the response body, with concrete array indices. */
  instancePath?: string;
  /** Overrides the rule's severity for this instance (e.g. a historic currency is minor). */
  severity?: Severity;
  /** Index into the exchanges handed to the check, to attach the evidence. */
  exchange?: number;
}

/** What a check function returns. */
export interface CheckOutcome {
  /** How many instances were judged (0 → skipped, unless violations or broken). */
  checked: number;
  violations: Violation[];
  /** Set when the rule could not be judged at all (e.g. no parseable body where one was needed). */
  broken?: string;
  /** Why nothing was judged, when checked is 0. */
  skipped?: string;
  /** What a passing check wants said all the same (e.g. which of two accepted spellings it saw). */
  notes?: string[];
  /** How many of the spec's response properties the answers carried (the undeclared-properties kind measures it). */
  coverage?: Coverage;
}

/** The share of a response's declared properties that a bank's answers exercised. */
export interface Coverage {
  /** Declared property paths (with * for array items). */
  properties: number;
  /** Of those, the ones present in at least one answer. */
  exercised: number;
}

/** The judged result of one rule against one bank. */
export interface RuleResult {
  rule: RuleMeta;
  status: ResultStatus;
  /** First violation's message, or the broken/skipped reason; when passed, empty or the check's notes. */
  message: string;
  instancePath?: string;
  severity: Severity;
  checked: number;
  violations: Violation[];
  /** Exchanges cited as evidence (indices into the bank's exchange log). */
  evidence: number[];
  coverage?: Coverage;
}

/** A finding as it appears in findings.json (docs/architecture.md "findings.json"). */
export interface Finding {
  ruleId: string;
  category: Category;
  severity: Severity;
  endpoint: string;
  status: ResultStatus;
  message: string;
  instancePath?: string;
  specRef: string;
  mandatory: boolean;
  title: string;
  /** How many instances were judged (0 for a skipped rule, and for one that could not be judged at all); always written, absent in older files. */
  checked?: number;
  /** Every violation found (capped), for instance-level detail. */
  violations?: Violation[];
  /** For a response's undeclared-properties rule: how much of the spec's response the answers exercised. */
  coverage?: Coverage;
  /** A failure (or unjudged rule) accepted by an active waiver (`run --waivers`): it does not fail the run. */
  waived?: WaivedBy;
}

/** One entry of a waivers file (`run --waivers FILE`, banks/waivers.schema.json). */
export interface Waiver {
  /** A rule id, or a glob over rule ids (`*` any run of characters, `?` one character). */
  rule: string;
  /** A bank id or glob; absent: every bank. */
  bank?: string;
  reason: string;
  ticket?: string;
  /** YYYY-MM-DD: the last day the waiver holds. */
  expires: string;
}

/** What findings.json says about a waived result. */
export interface WaivedBy {
  reason: string;
  ticket?: string;
  expires: string;
}

export interface FindingsFile {
  tool: { name: string; version: string };
  spec: { title: string; version: string };
  bank: { id: string; profile: string; baseUrl: string };
  startedAt: string;
  finishedAt: string;
  /** True when the run was stopped (SIGINT/SIGTERM): `results` holds only the rules judged until then. */
  interrupted?: boolean;
  /** What the run tells a reviewer about its scope: sampling beyond the crawl limits, hints such as a version segment in baseUrl. */
  notes?: string[];
  results: Finding[];
  summary: { passed: number; failed: number; broken: number; skipped: number };
}

/** A bank the run could not test at all (exit 3: unreachable, TLS failure, no consent), with the reason (redacted). */
export interface UntestableBank {
  id: string;
  reason: string;
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** The more severe of two severities. */
export function worstSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) <= severityRank(b) ? a : b;
}
