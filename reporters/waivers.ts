// Waivers (`run --waivers FILE`): known deviations accepted until a date. A waived failure keeps its
// status in findings.json, carries `waived: {reason, ticket, expires}` and does not fail the run; an
// expired waiver fails the run; a waiver that covers nothing that fails (the rule passes now, or no
// rule matches) is stale and reported so it can be removed.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding, FindingsFile, RuleMeta, Waiver } from '../core/model.js';
import { writeRedactedFile, type Redactor } from '../core/redact.js';

/** `*` any run of characters, `?` one character; everything else literal; the whole id must match. */
export function globToRegExp(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

export function globMatch(glob: string, value: string): boolean {
  return globToRegExp(glob).test(value);
}

export function waiverAppliesToBank(w: Waiver, bankId: string): boolean {
  return w.bank === undefined || globMatch(w.bank, bankId);
}

/** A waiver is active through the whole of its `expires` day (UTC). */
export function isExpired(w: Waiver, today: string): boolean {
  return w.expires < today;
}

/** A result a waiver can cover: the bank broke the rule, or it could not be judged. */
const waivable = (f: Finding): boolean => f.status === 'failed' || f.status === 'broken';

export interface WaiverUse {
  /** Position in the file, counted from 0 (`waivers[i]`). */
  index: number;
  waiver: Waiver;
  /** Results it waived (active) or would have waived (expired): bank id and rule id. */
  covered: Array<{ bankId: string; ruleId: string; mandatory: boolean }>;
}

export interface WaiverReport {
  source: string;
  /** Active waivers that waived at least one result. */
  applied: WaiverUse[];
  /** Past their date, for a bank of this run: the run fails. */
  expired: WaiverUse[];
  /** Active, for a bank of this run, but waiving nothing: its rules pass now (`passing`) or match no rule (`unmatched`). */
  stale: Array<WaiverUse & { why: 'passing' | 'unmatched' }>;
}

/**
 * Marks the waived results in `files` (in place: `waived` on the finding) and says which waivers
 * were used, expired or stale. The first active waiver in file order that matches a result waives it.
 */
export function applyWaivers(files: FindingsFile[], source: string, waivers: Waiver[], today: string): WaiverReport {
  const report: WaiverReport = { source, applied: [], expired: [], stale: [] };
  for (const [index, waiver] of waivers.entries()) {
    const banks = files.filter((f) => waiverAppliesToBank(waiver, f.bank.id));
    if (banks.length === 0) continue; // for banks not in this run: neither used nor stale here
    const re = globToRegExp(waiver.rule);
    const matched = banks.flatMap((f) => f.results.filter((r) => re.test(r.ruleId)).map((r) => ({ bankId: f.bank.id, finding: r })));
    const covered = matched.filter((m) => waivable(m.finding) && !m.finding.waived);
    const use: WaiverUse = { index, waiver, covered: covered.map((m) => ({ bankId: m.bankId, ruleId: m.finding.ruleId, mandatory: m.finding.mandatory })) };
    if (isExpired(waiver, today)) {
      report.expired.push(use);
      continue;
    }
    for (const m of covered) m.finding.waived = { reason: waiver.reason, ...(waiver.ticket ? { ticket: waiver.ticket } : {}), expires: waiver.expires };
    if (covered.length > 0) report.applied.push(use);
    else report.stale.push({ ...use, why: matched.length === 0 ? 'unmatched' : 'passing' });
  }
  return report;
}

/** Waivers that would cover a mandatory rule of these banks (refused in a certification run). */
export function waiversOnMandatoryRules(
  waivers: Waiver[],
  banks: Array<{ id: string; rules: RuleMeta[] }>,
): Array<{ index: number; waiver: Waiver; bankId: string; ruleId: string }> {
  const out: Array<{ index: number; waiver: Waiver; bankId: string; ruleId: string }> = [];
  for (const [index, waiver] of waivers.entries()) {
    const re = globToRegExp(waiver.rule);
    for (const b of banks) {
      if (!waiverAppliesToBank(waiver, b.id)) continue;
      const rule = b.rules.find((r) => r.mandatory && re.test(r.id));
      if (rule) {
        out.push({ index, waiver, bankId: b.id, ruleId: rule.id });
        break;
      }
    }
  }
  return out;
}

/** True when a mandatory rule failed or could not be judged and no active waiver covers it. */
export function hasUnwaivedMandatoryFailure(files: FindingsFile[]): boolean {
  return files.some((f) => f.results.some((r) => r.mandatory && waivable(r) && !r.waived));
}

function describe(w: Waiver): string {
  return `${w.rule}${w.bank ? ` on ${w.bank}` : ''}${w.ticket ? ` (${w.ticket})` : ''}, expires ${w.expires}`;
}

function coveredList(use: WaiverUse, max = 5): string {
  const names = use.covered.map((c) => `${c.bankId}: ${c.ruleId}`);
  return names.length <= max ? names.join('; ') : `${names.slice(0, max).join('; ')}; and ${names.length - max} more`;
}

/** The console block after the matrix; empty when the file had nothing to say. */
export function renderWaiversConsole(r: WaiverReport): string {
  const out: string[] = [];
  const waived = r.applied.reduce((n, u) => n + u.covered.length, 0);
  if (r.applied.length) {
    out.push(`Waived: ${waived} result${waived === 1 ? '' : 's'} by ${r.applied.length} waiver${r.applied.length === 1 ? '' : 's'} (${r.source})`);
    for (const u of r.applied) out.push(`  waived   waivers[${u.index}] ${describe(u.waiver)}: ${u.waiver.reason}\n           ${coveredList(u)}`);
  }
  for (const u of r.expired)
    out.push(
      `  EXPIRED  waivers[${u.index}] ${describe(u.waiver)}: the run fails until it is renewed or removed${u.covered.length ? `\n           no longer waived: ${coveredList(u)}` : ''}`,
    );
  for (const u of r.stale)
    out.push(
      `  stale    waivers[${u.index}] ${describe(u.waiver)}: ${u.why === 'unmatched' ? 'matches no rule of this run' : 'every rule it matches passes now'}; remove it`,
    );
  return out.join('\n');
}

/** The summary.md section. */
export function renderWaiversMarkdown(r: WaiverReport): string {
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  const out = ['', '## Waivers', '', `From \`${cell(r.source)}\`.`, ''];
  if (!r.applied.length && !r.expired.length && !r.stale.length) return [...out, 'No waiver applies to the banks of this run.', ''].join('\n');
  out.push('| waiver | rule | bank | state | ticket | expires | reason | results |', '| --- | --- | --- | --- | --- | --- | --- | --- |');
  const row = (u: WaiverUse, state: string): string =>
    `| waivers[${u.index}] | \`${cell(u.waiver.rule)}\` | ${cell(u.waiver.bank ?? 'every bank')} | ${state} | ${cell(u.waiver.ticket ?? '')} | ${u.waiver.expires} | ${cell(u.waiver.reason)} | ${u.covered.length ? cell(coveredList(u, 10)) : ''} |`;
  for (const u of r.expired) out.push(row(u, '**expired: fails the run**'));
  for (const u of r.stale) out.push(row(u, u.why === 'unmatched' ? 'stale: matches no rule' : 'stale: the rule passes now'));
  for (const u of r.applied) out.push(row(u, `waived ${u.covered.length}`));
  out.push('');
  return out.join('\n');
}

interface AllureResultJson {
  status?: string;
  labels?: Array<{ name: string; value: string }>;
  parameters?: Array<{ name: string; value: string }>;
  statusDetails?: { message?: string; trace?: string };
}

/**
 * Marks waived results in allure-results: status `skipped`, a `waived` tag, a `waiver` parameter and
 * the reason at the head of the status message, so the report shows them as accepted, not as failures.
 * Returns how many result files changed.
 */
export function markWaivedInAllure(resultsDir: string, files: FindingsFile[], redactor: Redactor): number {
  const waived = new Map<string, Finding['waived']>();
  for (const f of files) for (const r of f.results) if (r.waived) waived.set(`${f.bank.id}\n${r.ruleId}`, r.waived);
  if (waived.size === 0) return 0;
  let names: string[];
  try {
    names = readdirSync(resultsDir).filter((n) => n.endsWith('-result.json'));
  } catch {
    return 0;
  }
  let changed = 0;
  for (const name of names) {
    const path = join(resultsDir, name);
    // why the cast: an Allure result this run wrote a moment ago
    const result = JSON.parse(readFileSync(path, 'utf8')) as AllureResultJson;
    const label = (n: string): string | undefined => result.labels?.find((l) => l.name === n)?.value;
    const w = waived.get(`${label('bank')}\n${label('ruleId')}`);
    if (!w) continue;
    const note = `waived: ${w.reason}${w.ticket ? ` (${w.ticket})` : ''}, until ${w.expires}`;
    result.status = 'skipped';
    result.labels = [...(result.labels ?? []), { name: 'tag', value: 'waived' }];
    result.parameters = [...(result.parameters ?? []), { name: 'waiver', value: note }];
    result.statusDetails = { ...result.statusDetails, message: `${note}\n\n${result.statusDetails?.message ?? ''}` };
    writeRedactedFile(path, JSON.stringify(result), redactor);
    changed++;
  }
  return changed;
}
