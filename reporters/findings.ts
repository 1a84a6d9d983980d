// findings.json (docs/architecture.md "findings.json"): the machine-readable result of a run, one file per bank,
// plus a combined file when several banks ran.
import { readFileSync } from 'node:fs';
import type { Finding, FindingsFile, ResultStatus, RuleResult, Violation } from '../core/model.js';
import { createRedactor, writeRedactedFile, type Redactor } from '../core/redact.js';
import { errorMessage, errorCode } from '../core/errors.js';

/** Violations kept per rule; a bank that breaks a rule in every transaction would otherwise bloat the file. */
export const MAX_VIOLATIONS_PER_RULE = 50;

export type Summary = FindingsFile['summary'];

export interface CombinedFindings {
  tool: FindingsFile['tool'];
  /** The spec of the first bank (absent in files written before it was added). */
  spec?: FindingsFile['spec'];
  startedAt: string;
  finishedAt: string;
  interrupted?: boolean;
  banks: Array<{ id: string; profile: string; baseUrl: string; summary: Summary }>;
  results: Array<Finding & { bankId: string }>;
  summary: Summary;
}

// Without the bank's secrets this still masks card numbers and private keys.
const DEFAULT_REDACTOR = createRedactor([]);

function redactViolation(v: Violation, redactor: Redactor): Violation {
  return { ...v, message: redactor.redactText(v.message) };
}

/** One rule result as it appears in findings.json; messages pass through the redactor. */
export function toFinding(result: RuleResult, redactor: Redactor = DEFAULT_REDACTOR): Finding {
  const { rule } = result;
  let message = redactor.redactText(result.message);
  const finding: Finding = {
    ruleId: rule.id,
    category: rule.category,
    severity: result.severity,
    endpoint: rule.endpoint,
    status: result.status,
    message,
    specRef: rule.specRef,
    mandatory: rule.mandatory,
    title: rule.title,
    checked: result.checked,
  };
  if (result.coverage) finding.coverage = { ...result.coverage };
  if (result.instancePath !== undefined) finding.instancePath = result.instancePath;
  if (result.violations.length > 0) {
    const total = result.violations.length;
    finding.violations = result.violations.slice(0, MAX_VIOLATIONS_PER_RULE).map((v) => redactViolation(v, redactor));
    if (total > MAX_VIOLATIONS_PER_RULE) {
      // Finding has no count field; the note goes into the message so readers know the list is partial.
      message += ` (${total} violations in total; the first ${MAX_VIOLATIONS_PER_RULE} are listed)`;
      finding.message = message;
    }
  }
  return finding;
}

export function emptySummary(): Summary {
  return { passed: 0, failed: 0, broken: 0, skipped: 0 };
}

export function summarize(results: ReadonlyArray<{ status: ResultStatus }>): Summary {
  const s = emptySummary();
  for (const r of results) s[r.status]++;
  return s;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Stable order for findings: endpoint, category, rule id (code-point order, locale-independent). */
export function compareFindings(a: Finding, b: Finding): number {
  return cmp(a.endpoint, b.endpoint) || cmp(a.category, b.category) || cmp(a.ruleId, b.ruleId);
}

export function buildFindingsFile(args: {
  tool: FindingsFile['tool'];
  spec: FindingsFile['spec'];
  bank: FindingsFile['bank'];
  startedAt: string;
  finishedAt: string;
  results: RuleResult[];
  /** The bank's redactor (with its secrets); defaults to masking card numbers and keys only. */
  redactor?: Redactor;
  /** The run was stopped before every rule was judged. */
  interrupted?: boolean;
  /** Sampling and hints from the collection (not failures). */
  notes?: string[];
}): FindingsFile {
  const redactor = args.redactor ?? DEFAULT_REDACTOR;
  const results = args.results.map((r) => toFinding(r, redactor)).sort(compareFindings);
  return {
    tool: { name: args.tool.name, version: args.tool.version },
    spec: { title: args.spec.title, version: args.spec.version },
    bank: { id: args.bank.id, profile: args.bank.profile, baseUrl: redactor.redactUrl(args.bank.baseUrl) },
    startedAt: args.startedAt,
    finishedAt: args.finishedAt,
    ...(args.interrupted ? { interrupted: true } : {}),
    ...(args.notes && args.notes.length > 0 ? { notes: args.notes.map((n) => redactor.redactText(n)) } : {}),
    results,
    summary: summarize(results),
  };
}

/** Pretty JSON with a final newline, creating the folder; the final text goes through the redactor. */
export function writeFindings(path: string, file: FindingsFile | CombinedFindings, redactor: Redactor = DEFAULT_REDACTOR): void {
  writeRedactedFile(path, `${JSON.stringify(file, null, 2)}\n`, redactor);
}

/**
 * Reads a per-bank findings file (for `diff` and `--baseline`). Throws an Error naming the file
 * when it is missing, not JSON, or not a findings file.
 */
export function readFindings(path: string, given?: string): FindingsFile {
  let text: string;
  try {
    text = given ?? readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`${path}: cannot read (${errorCode(err) ?? String(err)})`, { cause: err });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new Error(`${path}: not valid JSON (${errorMessage(err)})`, { cause: err });
  }
  return findingsFromData(path, data);
}

/** Checks parsed JSON as one bank's findings file; `path` names it in the errors. */
export function findingsFromData(path: string, data: unknown): FindingsFile {
  // why the cast: every field is optional here and checked below before use
  const f = data as Partial<FindingsFile> & { banks?: unknown };
  if (!f || typeof f !== 'object' || !Array.isArray(f.results)) throw new Error(`${path}: not a findings file (no "results" array)`);
  if (Array.isArray(f.banks)) throw new Error(`${path}: a combined findings file; pass a per-bank file (<out>/<bank-id>/findings.json)`);
  if (!f.bank || typeof f.bank.id !== 'string') throw new Error(`${path}: not a findings file (no "bank.id")`);
  for (const [i, r] of f.results.entries()) {
    if (!r || typeof r.ruleId !== 'string' || typeof r.status !== 'string') {
      throw new Error(`${path}: results[${i}]: missing "ruleId" or "status"`);
    }
  }
  return {
    tool: f.tool ?? { name: 'unknown', version: 'unknown' },
    spec: f.spec ?? { title: 'unknown', version: 'unknown' },
    bank: f.bank,
    startedAt: f.startedAt ?? '',
    finishedAt: f.finishedAt ?? '',
    ...(f.interrupted === true ? { interrupted: true } : {}),
    results: f.results,
    summary: f.summary ?? summarize(f.results),
  };
}

/** One file for several banks: banks in the given order, results ordered by bank then as in each file. */
export function combineFindings(files: FindingsFile[]): CombinedFindings {
  const [first] = files;
  if (!first) throw new RangeError('combineFindings: no findings files');
  const startedAt =
    files
      .map((f) => f.startedAt)
      .filter(Boolean)
      .sort()[0] ?? '';
  const finishedAt =
    files
      .map((f) => f.finishedAt)
      .filter(Boolean)
      .sort()
      .at(-1) ?? '';
  const results = files.flatMap((f) => f.results.map((r) => ({ ...r, bankId: f.bank.id })));
  return {
    tool: first.tool,
    spec: first.spec,
    startedAt,
    finishedAt,
    ...(files.some((f) => f.interrupted) ? { interrupted: true } : {}),
    banks: files.map((f) => ({ id: f.bank.id, profile: f.bank.profile, baseUrl: f.bank.baseUrl, summary: f.summary })),
    results,
    summary: summarize(results),
  };
}

/**
 * Reads a per-bank or a combined findings file as one findings file per bank (for `diff` and
 * `--baseline` across banks). Throws an Error naming the file and the field on anything else.
 */
export function readFindingsSet(path: string, text?: string): FindingsFile[] {
  let data: unknown;
  try {
    data = JSON.parse(text ?? readFileSync(path, 'utf8'));
  } catch (err) {
    const code = errorCode(err);
    throw new Error(code ? `${path}: cannot read (${code})` : `${path}: not valid JSON (${errorMessage(err)})`, { cause: err });
  }
  // why the cast: every field is optional here and checked below before use
  const c = data as Partial<CombinedFindings> | null;
  if (!c || typeof c !== 'object' || !Array.isArray(c.banks)) return [readFindings(path, text)];
  if (!Array.isArray(c.results)) throw new Error(`${path}: not a findings file (no "results" array)`);
  const byBank = new Map<string, Finding[]>();
  for (const [i, b] of c.banks.entries()) {
    if (!b || typeof b.id !== 'string') throw new Error(`${path}: banks[${i}]: missing "id"`);
    byBank.set(b.id, []);
  }
  for (const [i, r] of c.results.entries()) {
    if (!r || typeof r.ruleId !== 'string' || typeof r.status !== 'string' || typeof r.bankId !== 'string') {
      throw new Error(`${path}: results[${i}]: missing "ruleId", "status" or "bankId"`);
    }
    const list = byBank.get(r.bankId);
    if (!list) throw new Error(`${path}: results[${i}].bankId: '${r.bankId}' is not in "banks"`);
    const { bankId: _bankId, ...finding } = r;
    list.push(finding);
  }
  return c.banks.map((b) => {
    const results = byBank.get(b.id) ?? []; // every bank id was entered above, so the default is never taken
    return {
      tool: c.tool ?? { name: 'unknown', version: 'unknown' },
      spec: c.spec ?? { title: 'unknown', version: 'unknown' },
      bank: { id: b.id, profile: b.profile, baseUrl: b.baseUrl },
      startedAt: c.startedAt ?? '',
      finishedAt: c.finishedAt ?? '',
      ...(c.interrupted === true ? { interrupted: true } : {}),
      results,
      summary: b.summary ?? summarize(results),
    };
  });
}
