// What a run prints at its end: the rules that failed or could not be judged, grouped by
// severity (rule id, one-line message, how many instances), then the endpoint × category matrix.
// Colour comes from picocolors and only when the caller says the console is a terminal that wants
// colour (never with NO_COLOR, --no-color or a pipe): the text is the same either way.

import { createColors } from 'picocolors';
import { SEVERITIES, type Finding, type FindingsFile, type Severity } from '../core/model.js';
import { renderConsoleMatrix, verdictOf } from './summary.js';

export type Colors = ReturnType<typeof createColors>;

/** Colour functions that colour only when `enabled` (identity functions otherwise). */
export function consoleColors(enabled: boolean): Colors {
  return createColors(enabled);
}

/**
 * Whether console output may carry colour: a terminal, no NO_COLOR (any value, per no-color.org),
 * no --no-color, and not TERM=dumb.
 */
export function colorWanted(opts: { isTTY: boolean; noColorFlag?: boolean; env: NodeJS.ProcessEnv }): boolean {
  if (!opts.isTTY || opts.noColorFlag) return false;
  if (opts.env.NO_COLOR !== undefined && opts.env.NO_COLOR !== '') return false;
  return opts.env.TERM !== 'dumb';
}

const MESSAGE_WIDTH = 160;

function oneLine(text: string, width = MESSAGE_WIDTH): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

/** How many instances broke the rule: the violations findings.json lists, or the total its message states when capped. */
export function instanceCount(f: Finding): number {
  const total = /\((\d+) violations in total;/.exec(f.message)?.[1];
  return total ? Number(total) : Math.max(f.violations?.length ?? 0, f.status === 'failed' ? 1 : 0);
}

const severityColour = (c: Colors, s: Severity): ((t: string) => string) =>
  s === 'blocker' || s === 'critical' ? (t) => c.bold(c.red(t)) : s === 'major' ? c.red : s === 'minor' ? c.yellow : c.dim;

/** The failed and broken rules of each bank, by severity (most severe first). Empty when nothing failed. */
export function renderFailedRules(files: FindingsFile[], c: Colors): string[] {
  const out: string[] = [];
  for (const f of files) {
    const bad = f.results.filter((r) => r.status === 'failed' || r.status === 'broken');
    if (bad.length === 0) continue;
    out.push(
      c.bold(
        `${f.bank.id}: ${bad.filter((r) => r.status === 'failed').length} rules failed, ${bad.filter((r) => r.status === 'broken').length} could not be judged`,
      ),
    );
    for (const sev of SEVERITIES) {
      const group = bad.filter((r) => r.severity === sev);
      if (group.length === 0) continue;
      out.push(`  ${severityColour(c, sev)(sev)} (${group.length})`);
      for (const r of group.sort((a, b) => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0))) {
        const mark = r.status === 'failed' ? c.red('✗') : c.yellow('!');
        const n = instanceCount(r);
        const count = r.status === 'failed' ? ` ${c.dim(`[${n} instance${n === 1 ? '' : 's'}]`)}` : ` ${c.dim('[not judged]')}`;
        out.push(`    ${mark} ${r.ruleId}${count}${r.mandatory ? '' : c.dim(' (optional)')}`);
        out.push(`      ${oneLine((r.message || r.title).replace(/ \(\d+ violations in total;[^)]*\)/, ''))}`);
      }
    }
    out.push('');
  }
  return out;
}

/** The whole end-of-run console text: failed rules, then the matrix with the verdict coloured. */
export function renderRunEnd(files: FindingsFile[], c: Colors): string {
  const matrix = renderConsoleMatrix(files)
    .split('\n')
    .map((line) => {
      for (const f of files) {
        const v = verdictOf(f);
        const head = `${f.bank.id} (${f.bank.profile}): ${v}`;
        if (line.startsWith(head))
          return `${f.bank.id} (${f.bank.profile}): ${(v === 'PASS' ? c.green : v === 'FAIL' ? c.red : c.yellow)(c.bold(v))}${line.slice(head.length)}`;
      }
      return line.replace(/✗\d*/g, (m) => c.red(m));
    });
  return [...renderFailedRules(files, c), ...matrix].join('\n');
}
