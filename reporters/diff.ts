// The run-to-run regression diff ("what got worse since last night"): `card-conformance diff BASE CURRENT`
// and `run --baseline`. Keyed on ruleId, which is stable across runs and tool versions (DESIGN.md "Rules").
import { severityRank, type Finding, type FindingsFile, type ResultStatus } from '../lib/model.js';

export interface DiffEntry {
  ruleId: string;
  title: string;
  endpoint: string;
  category: Finding['category'];
  severity: Finding['severity'];
  mandatory: boolean;
  /** Status in the base run; absent for a rule the base run did not have. */
  before?: ResultStatus;
  /** Status in the current run; absent for a rule that is gone. */
  after?: ResultStatus;
  beforeMessage?: string;
  afterMessage?: string;
}

export interface RunInfo {
  bank: FindingsFile['bank'];
  spec: FindingsFile['spec'];
  tool: FindingsFile['tool'];
  startedAt: string;
  summary: FindingsFile['summary'];
}

export interface FindingsDiff {
  base: RunInfo;
  current: RunInfo;
  /** In both runs; failed now, not failed before (passed, skipped or broken): the regressions. */
  newFailures: DiffEntry[];
  /** Failed in both runs. */
  stillFailing: DiffEntry[];
  /** Failed before, passed now. */
  fixed: DiffEntry[];
  /** Only in the current run (a newer spec or tool version), with their status. */
  newRules: DiffEntry[];
  /** Only in the base run. */
  removedRules: DiffEntry[];
  /** Every rule in both runs whose status changed, including the new failures and the fixed ones. */
  statusChanges: DiffEntry[];
  /** Why the two files may not be comparable (other bank, profile or spec). */
  warnings: string[];
}

function info(file: FindingsFile): RunInfo {
  return { bank: file.bank, spec: file.spec, tool: file.tool, startedAt: file.startedAt, summary: file.summary };
}

function entry(meta: Finding, before?: Finding, after?: Finding): DiffEntry {
  const e: DiffEntry = {
    ruleId: meta.ruleId, title: meta.title, endpoint: meta.endpoint, category: meta.category,
    severity: meta.severity, mandatory: meta.mandatory,
  };
  if (before) {
    e.before = before.status;
    if (before.message) e.beforeMessage = before.message;
  }
  if (after) {
    e.after = after.status;
    if (after.message) e.afterMessage = after.message;
  }
  return e;
}

/** Most severe first, mandatory first, then endpoint and rule id, so the worst regressions lead. */
function byImportance(a: DiffEntry, b: DiffEntry): number {
  const s = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return (
    severityRank(a.severity) - severityRank(b.severity) ||
    Number(b.mandatory) - Number(a.mandatory) ||
    s(a.endpoint, b.endpoint) ||
    s(a.ruleId, b.ruleId)
  );
}

export function diffFindings(base: FindingsFile, current: FindingsFile): FindingsDiff {
  const before = new Map(base.results.map((r) => [r.ruleId, r]));
  const after = new Map(current.results.map((r) => [r.ruleId, r]));
  const diff: FindingsDiff = {
    base: info(base), current: info(current),
    newFailures: [], stillFailing: [], fixed: [], newRules: [], removedRules: [], statusChanges: [], warnings: [],
  };

  for (const [id, now] of after) {
    const was = before.get(id);
    if (!was) {
      diff.newRules.push(entry(now, undefined, now));
      continue;
    }
    // Metadata from the current run: severity or title may have been revised since.
    const e = entry(now, was, now);
    if (was.status !== now.status) diff.statusChanges.push(e);
    if (now.status === 'failed' && was.status !== 'failed') diff.newFailures.push(e);
    else if (now.status === 'failed') diff.stillFailing.push(e);
    else if (was.status === 'failed' && now.status === 'passed') diff.fixed.push(e);
  }
  for (const [id, was] of before) if (!after.has(id)) diff.removedRules.push(entry(was, was, undefined));

  for (const list of [diff.newFailures, diff.stillFailing, diff.fixed, diff.newRules, diff.removedRules, diff.statusChanges]) list.sort(byImportance);

  if (base.bank.id !== current.bank.id) diff.warnings.push(`different banks: base "${base.bank.id}", current "${current.bank.id}"`);
  if (base.bank.profile !== current.bank.profile) {
    diff.warnings.push(`different profiles: base "${base.bank.profile}", current "${current.bank.profile}"`);
  }
  if (base.spec.title !== current.spec.title || base.spec.version !== current.spec.version) {
    diff.warnings.push(`different specs: base "${base.spec.title} ${base.spec.version}", current "${current.spec.title} ${current.spec.version}"`);
  }
  return diff;
}

/** True when a rule that did not fail in the base run fails now. */
export function hasRegressions(diff: FindingsDiff): boolean {
  return diff.newFailures.length > 0;
}

function counts(s: FindingsFile['summary']): string {
  return `passed ${s.passed}, failed ${s.failed}, broken ${s.broken}, skipped ${s.skipped}`;
}

function oneLine(text: string, max = 160): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

function line(e: DiffEntry, showMessage: 'before' | 'after' | 'none'): string {
  const transition = e.before && e.after ? `${e.before} → ${e.after}` : (e.after ?? e.before ?? '');
  const head = `  ${e.severity.padEnd(8)} ${e.ruleId}  (${e.endpoint}; ${transition}${e.mandatory ? '' : '; optional'})`;
  const message = showMessage === 'before' ? e.beforeMessage : showMessage === 'after' ? e.afterMessage : undefined;
  return message ? `${head}\n             ${oneLine(message)}` : head;
}

/** The diff as text for the console and CI logs. */
export function renderDiff(diff: FindingsDiff): string {
  const out: string[] = [];
  const bank = diff.current.bank.id === diff.base.bank.id ? diff.current.bank.id : `${diff.base.bank.id} → ${diff.current.bank.id}`;
  out.push(`Findings diff for ${bank}`);
  out.push(`  base:    ${diff.base.startedAt || '(no date)'}  ${counts(diff.base.summary)}`);
  out.push(`  current: ${diff.current.startedAt || '(no date)'}  ${counts(diff.current.summary)}`);
  for (const w of diff.warnings) out.push(`  warning: ${w}`);

  const section = (title: string, entries: DiffEntry[], show: 'before' | 'after' | 'none'): void => {
    if (!entries.length) return;
    out.push('', `${title} (${entries.length}):`, ...entries.map((e) => line(e, show)));
  };
  const listed = new Set([...diff.newFailures, ...diff.fixed].map((e) => e.ruleId));
  section('New failures', diff.newFailures, 'after');
  section('Fixed', diff.fixed, 'before');
  section('Other status changes', diff.statusChanges.filter((e) => !listed.has(e.ruleId)), 'after');
  section('Still failing', diff.stillFailing, 'none');
  section('New rules', diff.newRules, 'none');
  section('Removed rules', diff.removedRules, 'none');

  out.push('');
  out.push(
    hasRegressions(diff)
      ? `REGRESSION: ${diff.newFailures.length} rule${diff.newFailures.length === 1 ? '' : 's'} newly failing`
      : `No regressions${diff.fixed.length ? ` (${diff.fixed.length} fixed)` : ''}`,
  );
  return out.join('\n');
}
