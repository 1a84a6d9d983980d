// The doctor's report as text: one line per check, marked so a glance finds the problems.
import type { DoctorReport } from './doctor.js';
import type { CheckStatus } from './types.js';

export const MARKS: Record<CheckStatus, string> = { pass: '✓', fail: '✗', warn: '!', skip: '–' };

export function renderDoctorReport(report: DoctorReport): string {
  const head = `${report.file}${report.bankId ? ` (${report.bankId})` : ''}`;
  // One line per check, whatever a library put in its message.
  const lines = report.lines.map((l) => `  ${MARKS[l.status]} ${l.check}: ${l.message.replace(/\s*\n\s*/g, ' ')}`);
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const verdict =
    report.problems > 0
      ? `${plural(report.problems, 'problem')} (✗)${report.warnings ? `, ${plural(report.warnings, 'warning')} (!)` : ''}: fix the ✗ lines before a run`
      : `ready to run${report.warnings ? ` (${plural(report.warnings, 'warning')}: see the ! lines)` : ''}`;
  return [head, ...lines, verdict].join('\n');
}
