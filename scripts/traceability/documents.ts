// Traceability of the bank documents this product was founded on: one row per statement of the
// document (header, field, limit, enum, format, signing rule, endpoint) with the rules or
// request-side behaviours that implement it and whether the reference bank exercises it. The data
// is in specs/traceability/*.yaml; this module reads and renders it (scripts/traceability.ts
// writes the pages; tests/traceability.test.ts checks every row has an implementation).
import { readdirSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../../config/types.js';
import { projectPath } from '../../core/paths.js';

export const STATEMENT_KINDS = ['header', 'field', 'limit', 'enum', 'format', 'signing', 'endpoint'] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];

export interface Statement {
  id: string;
  kind: StatementKind;
  statement: string;
  /** Rule ids or `*` globs of the profile's generated catalogue. */
  rules: string[];
  /** Request-side code as `path#exportedFunction`. */
  behaviours: string[];
  referenceBank: { exercised: boolean; how: string };
  /** The test that shows the behaviour end to end. */
  evidence?: string;
}

export interface TraceDocument {
  /** The data file, relative to the project. */
  file: string;
  document: string;
  source: string;
  profile: string;
  /** The generated page, relative to the project. */
  page: string;
  statements: Statement[];
}

export const TRACEABILITY_DIR = 'specs/traceability';

const strings = (file: string, field: string, v: unknown): string[] => {
  if (v === undefined) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || x === '')) throw new ConfigError(file, field, 'must be a list of strings');
  // why the cast: every element was checked to be a non-empty string just above
  return v as string[];
};

function text(file: string, field: string, v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new ConfigError(file, field, 'must be a non-empty string');
  return v;
}

/** Reads one data file; every shape problem is a ConfigError naming the field. */
export function readTraceDocument(relative: string): TraceDocument {
  // why the cast: a mapping is read field by field as unknown and checked
  const raw = parseYaml(readFileSync(projectPath(relative), 'utf8')) as Record<string, unknown>;
  const list = raw.statements;
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError(relative, 'statements', 'must be a non-empty list');
  const ids = new Set<string>();
  const statements = list.map((s: Record<string, unknown>, i): Statement => {
    const at = `statements[${i}]`;
    const id = text(relative, `${at}.id`, s.id);
    if (ids.has(id)) throw new ConfigError(relative, `${at}.id`, `repeats ${id}`);
    ids.add(id);
    // why the casts: includes() on the literal tuple takes any value; a value it contains is a StatementKind; referenceBank is checked below
    if (!(STATEMENT_KINDS as readonly unknown[]).includes(s.kind))
      throw new ConfigError(relative, `${at}.kind`, `must be one of ${STATEMENT_KINDS.join(', ')}`);
    const rb = s.referenceBank as Record<string, unknown> | undefined;
    if (!rb || typeof rb.exercised !== 'boolean') throw new ConfigError(relative, `${at}.referenceBank.exercised`, 'must be true or false');
    const out: Statement = {
      id,
      kind: s.kind as StatementKind,
      statement: text(relative, `${at}.statement`, s.statement),
      rules: strings(relative, `${at}.rules`, s.rules),
      behaviours: strings(relative, `${at}.behaviours`, s.behaviours),
      referenceBank: { exercised: rb.exercised, how: text(relative, `${at}.referenceBank.how`, rb.how) },
    };
    if (s.evidence !== undefined) out.evidence = text(relative, `${at}.evidence`, s.evidence);
    return out;
  });
  return {
    file: relative,
    document: text(relative, 'document', raw.document),
    source: text(relative, 'source', raw.source),
    profile: text(relative, 'profile', raw.profile),
    page: text(relative, 'page', raw.page),
    statements,
  };
}

/** Every data file of specs/traceability/, by name. */
export function traceDocuments(): TraceDocument[] {
  return readdirSync(projectPath(TRACEABILITY_DIR))
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => readTraceDocument(`${TRACEABILITY_DIR}/${f}`));
}

/** `*` matches any run of characters (including `/` and `:`); everything else is literal. */
export function ruleGlobMatches(glob: string, id: string): boolean {
  return new RegExp(
    `^${glob
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(id);
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `\`${s}\``;

/** The page for one document (deterministic: the data in its order, no dates). */
export function renderTraceability(doc: TraceDocument): string {
  const exercised = doc.statements.filter((s) => s.referenceBank.exercised).length;
  const lines = [
    `# Traceability: ${doc.document}`,
    '',
    `<!-- generated by scripts/traceability.ts from ${doc.file}; do not edit: tests/traceability.test.ts fails when this page is stale -->`,
    '',
    `Source: ${doc.source}. Profile: \`${doc.profile}\`. One row per statement of the document, with the rules of the`,
    `profile's generated catalogue (ids or \`*\` globs; \`card-conformance rules --profile ${doc.profile}\`) and the request-side`,
    'behaviours (`file#function`) that implement it, and whether the embedded reference bank exercises it.',
    `${doc.statements.length} statements, every one implemented; ${exercised} exercised by the reference bank.`,
    '',
    '| # | kind | statement | rules | behaviour | reference bank | evidence |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const s of doc.statements) {
    const rb = `${s.referenceBank.exercised ? 'yes' : 'no'}: ${s.referenceBank.how}`;
    lines.push(
      `| ${[s.id, s.kind, cell(s.statement), s.rules.map(code).join(', ') || '–', s.behaviours.map(code).join(', ') || '–', cell(rb), s.evidence ? code(s.evidence) : '–'].join(' | ')} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Why rows of `doc` are not implemented: a row with neither rule nor behaviour, a rule id or glob
 * that matches no rule of the profile's catalogue (`ruleIds`), a behaviour that names no exported
 * function (`isExportedFunction(path, name)`), malformed behaviour references. Empty: every row is.
 */
export function traceabilityProblems(doc: TraceDocument, ruleIds: readonly string[], isExportedFunction: (path: string, name: string) => boolean): string[] {
  const problems: string[] = [];
  for (const s of doc.statements) {
    const at = `${doc.file} ${s.id}`;
    if (s.rules.length === 0 && s.behaviours.length === 0) problems.push(`${at}: no implementation (neither a rule nor a behaviour)`);
    for (const glob of s.rules)
      if (!ruleIds.some((id) => ruleGlobMatches(glob, id))) problems.push(`${at}: rule ${glob} matches no rule of the ${doc.profile} catalogue`);
    for (const b of s.behaviours) {
      const [, file, fn] = /^([\w./-]+\.ts)#(\w+)$/.exec(b) ?? [];
      if (file === undefined || fn === undefined) problems.push(`${at}: behaviour ${b} is not path/to/file.ts#exportedFunction`);
      else if (!isExportedFunction(file, fn)) problems.push(`${at}: behaviour ${b} names no exported function`);
    }
  }
  return problems;
}
