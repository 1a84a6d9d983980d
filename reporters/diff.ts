// The run-to-run regression diff ("what got worse since last night"): `card-conformance diff BASE CURRENT`
// and `run --baseline`. Keyed on ruleId, which is stable across runs and tool versions (docs/architecture.md "Rule ids and categories").
import { severityRank, type Finding, type FindingsFile, type ResultStatus } from '../core/model.js';

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
  /** The waiver that covers the current result (run --waivers). */
  waived?: Finding['waived'];
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
  /** Failing now under a waiver that did not cover it before (a new failure accepted at once, or a failure waived since). */
  newlyWaived: DiffEntry[];
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
    ruleId: meta.ruleId,
    title: meta.title,
    endpoint: meta.endpoint,
    category: meta.category,
    severity: meta.severity,
    mandatory: meta.mandatory,
  };
  if (before) {
    e.before = before.status;
    if (before.message) e.beforeMessage = before.message;
  }
  if (after) {
    e.after = after.status;
    if (after.message) e.afterMessage = after.message;
    if (after.waived) e.waived = after.waived;
  }
  return e;
}

/** Most severe first, mandatory first, then endpoint and rule id, so the worst regressions lead. */
function byImportance(a: DiffEntry, b: DiffEntry): number {
  const s = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);
  return severityRank(a.severity) - severityRank(b.severity) || Number(b.mandatory) - Number(a.mandatory) || s(a.endpoint, b.endpoint) || s(a.ruleId, b.ruleId);
}

export function diffFindings(base: FindingsFile, current: FindingsFile): FindingsDiff {
  const before = new Map(base.results.map((r) => [r.ruleId, r]));
  const after = new Map(current.results.map((r) => [r.ruleId, r]));
  const diff: FindingsDiff = {
    base: info(base),
    current: info(current),
    newFailures: [],
    stillFailing: [],
    fixed: [],
    newlyWaived: [],
    newRules: [],
    removedRules: [],
    statusChanges: [],
    warnings: [],
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
    // A failure under a waiver is accepted: newly waived, not a regression.
    if (now.status === 'failed' && now.waived && !(was.status === 'failed' && was.waived)) diff.newlyWaived.push(e);
    if (now.status === 'failed' && was.status !== 'failed') {
      if (!now.waived) diff.newFailures.push(e);
    } else if (now.status === 'failed') diff.stillFailing.push(e);
    else if (was.status === 'failed' && now.status === 'passed') diff.fixed.push(e);
  }
  for (const [id, was] of before) if (!after.has(id)) diff.removedRules.push(entry(was, was, undefined));

  for (const list of [diff.newFailures, diff.stillFailing, diff.fixed, diff.newlyWaived, diff.newRules, diff.removedRules, diff.statusChanges])
    list.sort(byImportance);

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
  section(
    'Other status changes',
    diff.statusChanges.filter((e) => !listed.has(e.ruleId)),
    'after',
  );
  section('Newly waived', diff.newlyWaived, 'after');
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

// ---------------------------------------------------------------------------------------------
// Across banks: single-bank or combined findings files on either side, banks matched by id.

export interface RunDiff {
  /** One diff per bank present on both sides (by id), in the current run's order. */
  banks: FindingsDiff[];
  /** Banks only in the current run, with their summary. */
  banksAdded: Array<{ id: string; summary: FindingsFile['summary'] }>;
  /** Banks only in the base run. */
  banksRemoved: Array<{ id: string; summary: FindingsFile['summary'] }>;
  totals: {
    newFailures: number;
    fixed: number;
    stillFailing: number;
    newlyWaived: number;
    newRules: number;
    removedRules: number;
    banksAdded: number;
    banksRemoved: number;
  };
}

/**
 * Diffs two runs of any number of banks. Banks are matched by id; when each side holds exactly one
 * bank the two are compared even if their ids differ (the single-bank diff warns about it).
 */
export function diffRuns(base: FindingsFile[], current: FindingsFile[]): RunDiff {
  const pairs: Array<[FindingsFile, FindingsFile]> = [];
  let added: FindingsFile[] = [];
  let removed: FindingsFile[] = [];
  const [b0, ...bRest] = base;
  const [c0, ...cRest] = current;
  if (b0 && c0 && bRest.length === 0 && cRest.length === 0) pairs.push([b0, c0]);
  else {
    const byId = new Map(base.map((f) => [f.bank.id, f]));
    const seen = new Set<string>();
    for (const f of current) {
      const b = byId.get(f.bank.id);
      if (b) {
        pairs.push([b, f]);
        seen.add(f.bank.id);
      } else added.push(f);
    }
    removed = base.filter((f) => !seen.has(f.bank.id));
  }
  const byIdOrder = (a: FindingsFile, b: FindingsFile): number => (a.bank.id < b.bank.id ? -1 : a.bank.id > b.bank.id ? 1 : 0);
  added = added.sort(byIdOrder);
  removed = removed.sort(byIdOrder);
  const banks = pairs.map(([b, c]) => diffFindings(b, c));
  const sum = (k: 'newFailures' | 'fixed' | 'stillFailing' | 'newlyWaived' | 'newRules' | 'removedRules'): number => banks.reduce((n, d) => n + d[k].length, 0);
  return {
    banks,
    banksAdded: added.map((f) => ({ id: f.bank.id, summary: f.summary })),
    banksRemoved: removed.map((f) => ({ id: f.bank.id, summary: f.summary })),
    totals: {
      newFailures: sum('newFailures'),
      fixed: sum('fixed'),
      stillFailing: sum('stillFailing'),
      newlyWaived: sum('newlyWaived'),
      newRules: sum('newRules'),
      removedRules: sum('removedRules'),
      banksAdded: added.length,
      banksRemoved: removed.length,
    },
  };
}

/** `diff` exits 1 on new failures only: a rule of a bank in both runs that fails now, unwaived, and did not before. */
export function runHasRegressions(d: RunDiff): boolean {
  return d.totals.newFailures > 0;
}

const mdCell = (text: string, max = 200): string => oneLine(text, max).replace(/\|/g, '\\|');

/** The diff as markdown: a table of banks, then per bank the rules that changed. For summary.md and the console. */
export function renderRunDiffMarkdown(d: RunDiff): string {
  const out: string[] = ['## Changes since the baseline', ''];
  const t = d.totals;
  out.push(
    runHasRegressions(d)
      ? `**REGRESSION: ${t.newFailures} new failure${t.newFailures === 1 ? '' : 's'}** (fixed ${t.fixed}, still failing ${t.stillFailing}, newly waived ${t.newlyWaived})`
      : `No new failures (fixed ${t.fixed}, still failing ${t.stillFailing}, newly waived ${t.newlyWaived})`,
    '',
  );
  out.push('| bank | new failures | fixed | still failing | newly waived | rules added | rules removed |', '| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const b of d.banks) {
    const id = b.current.bank.id === b.base.bank.id ? b.current.bank.id : `${b.base.bank.id} → ${b.current.bank.id}`;
    out.push(
      `| ${mdCell(id)} | ${b.newFailures.length} | ${b.fixed.length} | ${b.stillFailing.length} | ${b.newlyWaived.length} | ${b.newRules.length} | ${b.removedRules.length} |`,
    );
  }
  for (const b of d.banksAdded) out.push(`| ${mdCell(b.id)} (added) | | | | | | |`);
  for (const b of d.banksRemoved) out.push(`| ${mdCell(b.id)} (removed) | | | | | | |`);
  if (d.banksAdded.length) out.push('', `Banks added: ${d.banksAdded.map((b) => `${b.id} (${counts(b.summary)})`).join('; ')}`);
  if (d.banksRemoved.length) out.push('', `Banks removed: ${d.banksRemoved.map((b) => `${b.id} (was ${counts(b.summary)})`).join('; ')}`);
  const list = (title: string, entries: DiffEntry[], show: 'before' | 'after' | 'none'): void => {
    if (!entries.length) return;
    out.push('', `**${title} (${entries.length})**`, '');
    for (const e of entries) {
      const transition = e.before && e.after ? `${e.before} → ${e.after}` : (e.after ?? e.before ?? '');
      const message = show === 'before' ? e.beforeMessage : show === 'after' ? e.afterMessage : undefined;
      const waived = e.waived ? `; waived: ${e.waived.reason}${e.waived.ticket ? ` (${e.waived.ticket})` : ''}, until ${e.waived.expires}` : '';
      out.push(
        `- ${e.severity} \`${e.ruleId.replace(/`/g, "'")}\` (${mdCell(e.endpoint)}; ${transition}${e.mandatory ? '' : '; optional'}${waived})${message ? `: ${mdCell(message)}` : ''}`,
      );
    }
  };
  for (const b of d.banks) {
    if (!b.newFailures.length && !b.fixed.length && !b.newlyWaived.length && !b.newRules.length && !b.removedRules.length && !b.warnings.length) continue;
    out.push('', `### ${b.current.bank.id}`);
    for (const w of b.warnings) out.push('', `warning: ${w}`);
    list('New failures', b.newFailures, 'after');
    list('Fixed', b.fixed, 'before');
    list('Newly waived', b.newlyWaived, 'after');
    list('Rules added', b.newRules, 'none');
    list('Rules removed', b.removedRules, 'none');
  }
  out.push('');
  return out.join('\n');
}

/** diff.json: the whole diff, every list per bank. */
export function renderRunDiffJson(d: RunDiff): string {
  return `${JSON.stringify(
    {
      regression: runHasRegressions(d),
      totals: d.totals,
      banksAdded: d.banksAdded,
      banksRemoved: d.banksRemoved,
      banks: d.banks.map((b) => ({
        bank: b.current.bank.id,
        ...(b.base.bank.id !== b.current.bank.id ? { baseBank: b.base.bank.id } : {}),
        base: b.base,
        current: b.current,
        newFailures: b.newFailures,
        fixed: b.fixed,
        stillFailing: b.stillFailing,
        newlyWaived: b.newlyWaived,
        rulesAdded: b.newRules,
        rulesRemoved: b.removedRules,
        statusChanges: b.statusChanges,
        warnings: b.warnings,
      })),
    },
    null,
    2,
  )}\n`;
}
