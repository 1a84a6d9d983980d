// out/summary.md (the endpoint × category matrix with the top findings) and the short console
// matrix printed at the end of a run.
import { CATEGORIES, severityRank, type Category, type Finding, type FindingsFile, type UntestableBank } from '../core/model.js';

export type Verdict = 'PASS' | 'FAIL' | 'INCOMPLETE';

/**
 * PASS: every mandatory rule that was judged passed. FAIL: a mandatory rule failed (exit code 1).
 * INCOMPLETE: no mandatory failure, but a mandatory rule could not be judged, or nothing ran at all.
 */
export function verdictOf(file: FindingsFile): Verdict {
  // A waived result (run --waivers) does not decide the verdict.
  const mandatory = file.results.filter((r) => r.mandatory && !r.waived);
  if (mandatory.some((r) => r.status === 'failed')) return 'FAIL';
  if (file.interrupted || file.results.length === 0 || mandatory.some((r) => r.status === 'broken')) return 'INCOMPLETE';
  return 'PASS';
}

interface Cell {
  passed: number;
  failed: number;
  broken: number;
  skipped: number;
}

interface Matrix {
  endpoints: string[];
  categories: Category[];
  cells: Map<string, Cell>;
}

const key = (endpoint: string, category: Category): string => `${endpoint}\u0000${category}`;

function buildMatrix(results: Finding[]): Matrix {
  const cells = new Map<string, Cell>();
  for (const r of results) {
    const k = key(r.endpoint, r.category);
    const cell = cells.get(k) ?? { passed: 0, failed: 0, broken: 0, skipped: 0 };
    cell[r.status]++;
    cells.set(k, cell);
  }
  const endpoints = [...new Set(results.map((r) => r.endpoint))].sort();
  // Categories in the order docs/architecture.md lists them; unknown ones (a newer file) at the end.
  const present = new Set(results.map((r) => r.category));
  const categories = [...CATEGORIES.filter((c) => present.has(c)), ...[...present].filter((c) => !CATEGORIES.includes(c)).sort()];
  return { endpoints, categories, cells };
}

/** "passed/judged" where judged excludes skipped rules; ✗ marks failures, ! rules that could not be judged. */
function cellText(cell: Cell | undefined): string {
  if (!cell) return '–';
  const judged = cell.passed + cell.failed + cell.broken;
  if (judged === 0) return 'skip';
  return `${cell.passed}/${judged}${cell.failed ? ' ✗' : ''}${cell.broken ? ' !' : ''}`;
}

/** Failed before broken, most severe first, mandatory before optional, then by rule id. */
export function topFindings(results: Finding[], limit = 20): Finding[] {
  const statusRank = (r: Finding): number => (r.status === 'failed' ? 0 : 1);
  return results
    .filter((r) => r.status === 'failed' || r.status === 'broken')
    .sort(
      (a, b) =>
        severityRank(a.severity) - severityRank(b.severity) ||
        statusRank(a) - statusRank(b) ||
        Number(b.mandatory) - Number(a.mandatory) ||
        (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0),
    )
    .slice(0, limit);
}

/** Text safe inside a Markdown table cell: one line, pipes escaped, bounded length. */
function md(text: string, max = 200): string {
  const one = text.replace(/\s+/g, ' ').trim();
  const cut = one.length > max ? `${one.slice(0, max - 1)}…` : one;
  return cut.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;');
}

function duration(startedAt: string, finishedAt: string): string {
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '';
  return ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

function verdictReason(file: FindingsFile): string {
  const m = file.results.filter((r) => r.mandatory);
  const failed = m.filter((r) => r.status === 'failed').length;
  const broken = m.filter((r) => r.status === 'broken').length;
  const skipped = m.filter((r) => r.status === 'skipped').length;
  const parts: string[] = [];
  if (file.interrupted) parts.push('the run was interrupted; only the rules judged until then are listed');
  if (file.results.length === 0) parts.push('no rule was run');
  if (failed) parts.push(`${failed} mandatory rule${failed === 1 ? '' : 's'} failed`);
  if (broken) parts.push(`${broken} mandatory rule${broken === 1 ? '' : 's'} could not be judged`);
  if (skipped) parts.push(`${skipped} mandatory rule${skipped === 1 ? '' : 's'} skipped (nothing to check)`);
  if (!parts.length) parts.push('every mandatory rule passed');
  return parts.join('; ');
}

function renderBank(file: FindingsFile): string[] {
  const s = file.summary;
  const total = s.passed + s.failed + s.broken + s.skipped;
  const verdict = verdictOf(file);
  const lines: string[] = [];
  lines.push(`## ${md(file.bank.id)} — ${verdict}`, '');
  const took = duration(file.startedAt, file.finishedAt);
  lines.push(
    `Profile \`${md(file.bank.profile)}\` · ${md(file.bank.baseUrl)} · spec ${md(file.spec.title)} ${md(file.spec.version)} · ` +
      `${md(file.startedAt)}${took ? ` (${took})` : ''}`,
    '',
  );
  lines.push(`**Verdict: ${verdict}** — ${verdictReason(file)}.`, '');
  // Sampling beyond the crawl limits is not a failure, but a reviewer must know what was not read.
  if (file.notes && file.notes.length > 0) lines.push('Notes:', '', ...file.notes.map((n) => `- ${md(n)}`), '');
  lines.push('| passed | failed | broken | skipped | total |', '|---:|---:|---:|---:|---:|');
  lines.push(`| ${s.passed} | ${s.failed} | ${s.broken} | ${s.skipped} | ${total} |`, '');

  const m = buildMatrix(file.results);
  if (m.endpoints.length) {
    lines.push('### Matrix (passed/judged per endpoint × category)', '');
    lines.push(`| Endpoint | ${m.categories.join(' | ')} |`);
    lines.push(`|---|${m.categories.map(() => '---:').join('|')}|`);
    for (const e of m.endpoints) {
      lines.push(`| \`${e.replace(/`/g, "'")}\` | ${m.categories.map((c) => cellText(m.cells.get(key(e, c)))).join(' | ')} |`);
    }
    lines.push('', '✗ a rule failed · ! a rule could not be judged · skip: nothing to check · – no rules', '');
  }

  lines.push(...renderCoverage(file.results));

  const failing = file.results.filter((r) => r.status === 'failed' || r.status === 'broken');
  const top = topFindings(file.results, 20);
  if (top.length) {
    lines.push(`### Top findings (${top.length} of ${failing.length})`, '');
    lines.push('| Severity | Status | Rule | Endpoint | Message |', '|---|---|---|---|---|');
    for (const r of top) {
      const sev = r.mandatory ? r.severity : `${r.severity} (optional)`;
      lines.push(
        `| ${sev} | ${r.status}${r.waived ? ' (waived)' : ''} | \`${md(r.ruleId, 120).replace(/`/g, "'")}\` | ${md(r.endpoint)} | ${md(r.message || r.title)} |`,
      );
    }
    lines.push('');
  }
  return lines;
}

/**
 * Per operation, the share of the spec's response properties that the bank's answers carried
 * (measured by each response's undeclared-properties rule): a pass on a thin answer shows as such.
 */
function renderCoverage(results: Finding[]): string[] {
  const rows = results
    .flatMap((r) => (r.coverage && r.coverage.properties > 0 ? [{ ...r, coverage: r.coverage }] : []))
    .sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
  if (rows.length === 0) return [];
  const lines = [
    "### Coverage (the spec's response properties the answers carried)",
    '',
    '| Endpoint | exercised | declared | share |',
    '|---|---:|---:|---:|',
  ];
  for (const r of rows) {
    const { properties, exercised } = r.coverage;
    lines.push(`| \`${r.endpoint.replace(/`/g, "'")}\` | ${exercised} | ${properties} | ${Math.round((100 * exercised) / properties)} % |`);
  }
  lines.push('');
  return lines;
}

/** A bank the run could not test: a heading and the reason, so the summary never stays silent about it. */
function renderUntestable(bank: UntestableBank): string[] {
  return [`## ${md(bank.id)} — UNTESTABLE`, '', `**The bank could not be tested:** ${md(bank.reason, 400)}`, ''];
}

/** out/summary.md for one or several banks, and the banks that could not be tested. */
export function renderSummaryMarkdown(files: FindingsFile[], untestable: UntestableBank[] = []): string {
  const lines: string[] = ['# Card-account conformance summary', ''];
  if (files.length === 0 && untestable.length === 0) return [...lines, 'No bank was tested.', ''].join('\n');
  const tool = files[0]?.tool;
  if (tool) lines.push(`${md(tool.name)} ${md(tool.version)}`, '');
  if (files.length + untestable.length > 1) {
    lines.push('| Bank | Profile | Verdict | passed | failed | broken | skipped |', '|---|---|---|---:|---:|---:|---:|');
    for (const f of files) {
      const s = f.summary;
      lines.push(`| ${md(f.bank.id)} | ${md(f.bank.profile)} | ${verdictOf(f)} | ${s.passed} | ${s.failed} | ${s.broken} | ${s.skipped} |`);
    }
    for (const u of untestable) lines.push(`| ${md(u.id)} | | UNTESTABLE | – | – | – | – |`);
    lines.push('');
  }
  for (const f of files) lines.push(...renderBank(f));
  for (const u of untestable) lines.push(...renderUntestable(u));
  return lines.join('\n');
}

export const CATEGORY_ABBREVIATIONS: Record<Category, string> = {
  'required-field': 'req',
  schema: 'schema',
  currency: 'ccy',
  'minor-units': 'minor',
  'masked-pan': 'pan',
  enum: 'enum',
  links: 'links',
  'status-code': 'code',
  headers: 'hdrs',
  'error-response': 'error',
  semantic: 'sem',
  signature: 'sig',
  certificate: 'cert',
  transport: 'net',
  negative: 'neg',
};

const CONSOLE_WIDTH = 100;
const MIN_ENDPOINT_WIDTH = 14;

/**
 * Cuts from the left: the tail of a path ("…/{account-id}/transactions") is what tells endpoints apart;
 * the HTTP method in front stays ("DELETE …{consentId}" and "GET …{consentId}" are different rows).
 */
export function fitLeft(text: string, width: number): string {
  if (text.length <= width) return text.padEnd(width);
  const method = /^([A-Z]+) /.exec(text)?.[1];
  if (method && width > method.length + 6) {
    const rest = width - method.length - 2;
    return `${method} …${text.slice(text.length - rest)}`;
  }
  return `…${text.slice(text.length - width + 1)}`;
}

/** When the full "passed/judged" cells do not fit: failures only. */
function compactCell(cell: Cell | undefined): string {
  if (!cell) return '–';
  if (cell.failed) return `✗${cell.failed}`;
  if (cell.broken) return `!${cell.broken}`;
  return cell.passed ? 'ok' : 'skip';
}

function renderMatrixLines(file: FindingsFile): string[] {
  const m = buildMatrix(file.results);
  if (!m.endpoints.length) return ['  (no results)'];
  const heads = m.categories.map((c) => CATEGORY_ABBREVIATIONS[c] ?? c.slice(0, 6));
  const table = (cell: (c: Cell | undefined) => string): { rows: string[][]; widths: number[] } => {
    const rows = m.endpoints.map((e) => m.categories.map((c) => cell(m.cells.get(key(e, c)))));
    const widths = heads.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
    return { rows, widths };
  };
  const cellsWidth = (w: number[]): number => w.reduce((sum, x) => sum + x + 1, 0);
  let t = table(cellText);
  if (2 + MIN_ENDPOINT_WIDTH + cellsWidth(t.widths) > CONSOLE_WIDTH) t = table(compactCell);
  const longest = Math.max(...m.endpoints.map((e) => e.length), 'endpoint'.length);
  const endpointWidth = Math.max(MIN_ENDPOINT_WIDTH, Math.min(longest, CONSOLE_WIDTH - 2 - cellsWidth(t.widths)));
  const line = (first: string, cells: string[]): string =>
    `  ${fitLeft(first, endpointWidth)}${cells.map((c, i) => ` ${c.padStart(t.widths[i] ?? 0)}`).join('')}`.trimEnd();
  return [line('endpoint', heads), ...m.endpoints.map((e, i) => line(e, t.rows[i] ?? []))];
}

/** A fixed-width plain-text matrix per bank (≤ 100 columns), printed at the end of a run. */
export function renderConsoleMatrix(files: FindingsFile[]): string {
  const out: string[] = [];
  for (const f of files) {
    const s = f.summary;
    out.push(`${f.bank.id} (${f.bank.profile}): ${verdictOf(f)}  passed ${s.passed}  failed ${s.failed}  broken ${s.broken}  skipped ${s.skipped}`);
    out.push(...renderMatrixLines(f), '');
  }
  out.push('cells: passed/judged  ✗ failed  ! not judged  – no rules');
  return out.join('\n');
}
