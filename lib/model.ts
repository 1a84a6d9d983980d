// The domain model shared by every stage of the pipeline:
// spec → schemas → rule catalogue → suites → bank → reporters.
// Everything here is plain data (JSON-serialisable) so it can cross process
// boundaries: the CLI collects exchanges, vitest workers judge them.

export const CATEGORIES = [
  'required-field', 'schema', 'currency', 'minor-units', 'masked-pan', 'enum', 'links',
  'status-code', 'headers', 'error-response', 'semantic', 'signature', 'certificate', 'transport',
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
 * (see lib/collect), so rules can pick the exchanges they judge.
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
}

/** The judged result of one rule against one bank. */
export interface RuleResult {
  rule: RuleMeta;
  status: ResultStatus;
  /** First violation's message, or the broken/skipped reason; empty when passed. */
  message: string;
  instancePath?: string;
  severity: Severity;
  checked: number;
  violations: Violation[];
  /** Exchanges cited as evidence (indices into the bank's exchange log). */
  evidence: number[];
}

/** A finding as it appears in findings.json (DESIGN.md). */
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
  /** Every violation found (capped), for instance-level detail. */
  violations?: Violation[];
}

export interface FindingsFile {
  tool: { name: string; version: string };
  spec: { title: string; version: string };
  bank: { id: string; profile: string; baseUrl: string };
  startedAt: string;
  finishedAt: string;
  /** True when the run was stopped (SIGINT/SIGTERM): `results` holds only the rules judged until then. */
  interrupted?: boolean;
  results: Finding[];
  summary: { passed: number; failed: number; broken: number; skipped: number };
}

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

/** The more severe of two severities. */
export function worstSeverity(a: Severity, b: Severity): Severity {
  return severityRank(a) <= severityRank(b) ? a : b;
}
