// For a night of many banks: the banks in the order they need attention, worst first, so the top
// of summary.md is what someone must look at in the morning. Untestable banks first, then banks
// with unwaived mandatory failures (critical ones first), then unjudged mandatory rules, then banks
// whose only failures are optional or waived, then clean banks; ties by bank id.
import { severityRank, type FindingsFile, type UntestableBank } from '../core/model.js';

export interface BankAttention {
  id: string;
  state: 'untestable' | 'failing' | 'incomplete' | 'attention' | 'passing';
  /** Unwaived mandatory failures, by severity rank (0 = blocker). */
  mandatoryFailed: number;
  worstSeverity?: string;
  broken: number;
  waived: number;
  optionalFailed: number;
  note: string;
}

const STATE_ORDER: Record<BankAttention['state'], number> = { untestable: 0, failing: 1, incomplete: 2, attention: 3, passing: 4 };

export function rankBanks(files: FindingsFile[], untestable: UntestableBank[] = []): BankAttention[] {
  const out: BankAttention[] = untestable.map((u) => ({
    id: u.id,
    state: 'untestable',
    mandatoryFailed: 0,
    broken: 0,
    waived: 0,
    optionalFailed: 0,
    note: u.reason,
  }));
  for (const f of files) {
    const failed = f.results.filter((r) => r.status === 'failed' && r.mandatory && !r.waived);
    const broken = f.results.filter((r) => r.status === 'broken' && r.mandatory && !r.waived).length;
    const waived = f.results.filter((r) => r.waived).length;
    const optionalFailed = f.results.filter((r) => r.status === 'failed' && !r.mandatory && !r.waived).length;
    const worst = failed.map((r) => r.severity).sort((a, b) => severityRank(a) - severityRank(b))[0];
    const state: BankAttention['state'] = failed.length
      ? 'failing'
      : broken || f.interrupted
        ? 'incomplete'
        : waived || optionalFailed
          ? 'attention'
          : 'passing';
    const parts = [
      failed.length ? `${failed.length} mandatory failed (worst ${worst})` : '',
      broken ? `${broken} not judged` : '',
      optionalFailed ? `${optionalFailed} optional failed` : '',
      waived ? `${waived} waived` : '',
    ].filter(Boolean);
    out.push({
      id: f.bank.id,
      state,
      mandatoryFailed: failed.length,
      ...(worst ? { worstSeverity: worst } : {}),
      broken,
      waived,
      optionalFailed,
      note: parts.join(', ') || 'every rule passed',
    });
  }
  // why the cast: worstSeverity is written from a Finding's severity above
  const sev = (b: BankAttention): number => (b.worstSeverity ? severityRank(b.worstSeverity as Parameters<typeof severityRank>[0]) : 99);
  return out.sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      sev(a) - sev(b) ||
      b.mandatoryFailed - a.mandatoryFailed ||
      b.broken - a.broken ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

/** The summary.md section (several banks only). */
export function renderAttentionMarkdown(files: FindingsFile[], untestable: UntestableBank[] = []): string {
  const ranked = rankBanks(files, untestable);
  const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ');
  const lines = ['', '## Banks by what needs attention', '', '| # | bank | state | what |', '| ---: | --- | --- | --- |'];
  ranked.forEach((b, i) => lines.push(`| ${i + 1} | ${cell(b.id)} | ${b.state} | ${cell(b.note)} |`));
  lines.push('');
  return lines.join('\n');
}

/** The summary with the attention list right under its title, when there are several banks. */
export function withAttentionFirst(summary: string, files: FindingsFile[], untestable: UntestableBank[] = []): string {
  if (files.length + untestable.length < 2) return summary;
  const cut = summary.indexOf('\n\n');
  const section = renderAttentionMarkdown(files, untestable).replace(/^\n/, '');
  return cut < 0 ? `${summary}\n${section}` : `${summary.slice(0, cut + 2)}${section}\n${summary.slice(cut + 2)}`;
}
