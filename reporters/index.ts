// The name → reporter map the run loops over at its end (app/run/run.ts). Adding an output format:
// a file exporting a Reporter (reporters/reporter.ts) and one line here. The Allure results are
// written while the suites judge and the HTML report afterwards (it needs the verdict and the
// history), and the HAR is written from the collected traffic: those stay in the run.
import { join } from 'node:path';
import type { FindingsFile } from '../core/model.js';
import { writeRedactedFile } from '../core/redact.js';
import { withAttentionFirst } from './attention.js';
import { renderRunEnd } from './console.js';
import { renderRunDiffJson, renderRunDiffMarkdown } from './diff.js';
import { combineFindings, emptySummary, writeFindings, type CombinedFindings } from './findings.js';
import { renderJunit } from './junit.js';
import type { ReportContext, Reporter } from './reporter.js';
import { renderSummaryMarkdown } from './summary.js';
import { renderWaiversConsole, renderWaiversMarkdown } from './waivers.js';

export type { ReportContext, Reporter } from './reporter.js';

/** findings.json: one bank's file, or the combined one (banks matched by id) when several were judged. */
export function findingsDocument(findings: FindingsFile[]): FindingsFile | CombinedFindings | undefined {
  if (findings.length === 0) return undefined;
  return findings.length === 1 ? findings[0] : combineFindings(findings);
}

const diffMarkdown = (c: ReportContext): string => (c.diff ? `\n${renderRunDiffMarkdown(c.diff)}` : '');

/** out/findings.json, and with several banks also out/<bank-id>/findings.json each. */
export const findingsReporter: Reporter = {
  name: 'findings',
  write(c) {
    if (c.findings.length > 1) for (const f of c.findings) writeFindings(join(c.dir, f.bank.id, 'findings.json'), f, c.redactor);
    const doc = findingsDocument(c.findings);
    if (doc) writeFindings(join(c.dir, 'findings.json'), doc, c.redactor);
  },
};

export const junitReporter: Reporter = {
  name: 'junit',
  write(c) {
    writeRedactedFile(join(c.dir, 'junit.xml'), renderJunit(c.findings, c.untestable, c.durations), c.redactor);
  },
};

/** --baseline: out/diff.json (the Markdown goes into summary.md and onto the console). */
export const diffReporter: Reporter = {
  name: 'diff',
  write(c) {
    if (c.diff) writeRedactedFile(join(c.dir, 'diff.json'), renderRunDiffJson(c.diff), c.redactor);
  },
};

export const summaryReporter: Reporter = {
  name: 'summary',
  write(c) {
    const text =
      withAttentionFirst(renderSummaryMarkdown(c.findings, c.untestable), c.findings, c.untestable) +
      (c.waiverReport ? renderWaiversMarkdown(c.waiverReport) : '') +
      diffMarkdown(c);
    writeRedactedFile(join(c.dir, 'summary.md'), text, c.redactor);
  },
};

/** The end of the console: failed rules by severity, the matrix, waivers, the diff. */
export const consoleReporter: Reporter = {
  name: 'console',
  write(c) {
    c.print('');
    for (const line of renderRunEnd(c.findings, c.colors).split('\n')) c.print(line);
    const waiverLines = c.waiverReport && renderWaiversConsole(c.waiverReport);
    if (waiverLines) c.print(`\n${waiverLines}`);
    const diff = diffMarkdown(c);
    if (diff) c.print(diff);
  },
};

/**
 * --json: findings.json on stdout, the same bytes as the file (one bank's, or the combined one).
 * When no bank could be judged, an empty combined document naming the untestable banks.
 */
export const jsonReporter: Reporter = {
  name: 'json',
  write(c) {
    if (!c.stdout) return;
    const doc = findingsDocument(c.findings) ?? { banks: [], results: [], summary: emptySummary(), untestable: c.untestable };
    c.stdout(c.redactor.redactJsonText(`${JSON.stringify(doc, null, 2)}\n`));
  },
};

export const REPORTERS = {
  findings: findingsReporter,
  junit: junitReporter,
  diff: diffReporter,
  summary: summaryReporter,
  console: consoleReporter,
  json: jsonReporter,
} as const satisfies Record<string, Reporter>;

export type ReporterName = keyof typeof REPORTERS;

/** What every run writes; `json` is added by --json. */
export const DEFAULT_REPORTERS: readonly ReporterName[] = ['findings', 'junit', 'diff', 'summary', 'console'];

/** Runs the named reporters in order. */
export function writeReports(names: readonly ReporterName[], context: ReportContext): void {
  for (const name of names) REPORTERS[name].write(context);
}
