// The detection matrix: serve the reference bank with one defect (or variant) at a time, run
// the suite's collector and judge every rule, and compare what failed with what the defect
// documents. Shared by tests/detection-matrix.test.ts and scripts/detection-matrix.ts, so
// the test and the generated docs/detection-matrix.md cannot disagree.
import { defaultBankConfig } from '../config/load.js';
import { collectExchanges } from '../collect/collect.js';
import { createHttpClient } from '../transport/http/client.js';
import type { Category, RuleResult } from '../core/model.js';
import { loadProfile } from '../config/profile.js';
import { buildCatalogue, type Catalogue } from '../rules/catalogue/generate.js';
import { judgeRule, observe } from '../rules/judge.js';
import { loadProfileSpec } from '../schemas/load-profile-spec.js';
import { SchemaValidators } from '../schemas/validators.js';
import { startReferenceBank } from '../sandbox/server.js';
import { referenceBankOptions } from '../sandbox/reference-options.js';
import { generateTestPki, type TestPki } from '../transport/pki/generate.js';
import { signingFor } from './run/signing.js';
import { DEFECTS, VARIANTS, type Defect, type Variant } from '../sandbox/defects/index.js';

/** Fixed data: the same seed and anchor date give the same responses, so the page is stable. */
export const MATRIX_SEED = 1;
export const MATRIX_TODAY = '2026-11-20';
export const MATRIX_PROFILE = 'berlin-group';
export const MATRIX_DOC = 'docs/detection-matrix.md';

export type MatrixEntry =
  { kind: 'clean'; id: 'clean'; description: string; modelledOn: string } | ({ kind: 'defect' } & Defect) | ({ kind: 'variant' } & Variant);

export interface EntryOutcome {
  entry: MatrixEntry;
  /** Why the run could not be completed (collector fatal). */
  fatal?: string;
  failed: { ruleId: string; category: Category; message: string }[];
  broken: string[];
  passed: number;
  skipped: number;
  /** Misses and false positives; empty when the entry behaves as documented. */
  problems: string[];
}

export function matrixEntries(): MatrixEntry[] {
  return [
    { kind: 'clean', id: 'clean', description: 'The reference bank as it is.', modelledOn: 'BG NextGenPSD2 1.3.12' },
    ...DEFECTS.map((d) => ({ kind: 'defect' as const, ...d })),
    ...VARIANTS.map((v) => ({ kind: 'variant' as const, ...v })),
  ];
}

/** `*` matches any run of characters (including `/` and `:`); everything else is literal. */
export function globMatch(glob: string, id: string): boolean {
  const re = new RegExp(
    `^${glob
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(id);
}

export interface MatrixContext {
  catalogue: Catalogue;
  validators: SchemaValidators;
  /** The bank mandates signing as the built-in bank of `run` does, so signature defects can show. */
  pki: TestPki;
  /** Catalogues of other profiles, for defects of a national profile (Defect.profile), made on first use. */
  others?: Map<string, { catalogue: Catalogue; validators: SchemaValidators }>;
}

export function matrixContext(): MatrixContext {
  const profile = loadProfile(MATRIX_PROFILE);
  const catalogue = buildCatalogue(loadProfileSpec(profile), profile);
  return { catalogue, validators: new SchemaValidators(catalogue.defs), pki: generateTestPki() };
}

/** The profile an entry runs under: a defect's own, else the matrix's. */
export const profileOf = (entry: MatrixEntry): string => (entry.kind === 'defect' && entry.profile) || MATRIX_PROFILE;

/** The catalogue and validators of `profile` (the matrix's own, or another made once). */
export function catalogueFor(ctx: MatrixContext, profile: string): { catalogue: Catalogue; validators: SchemaValidators } {
  if (profile === MATRIX_PROFILE) return ctx;
  ctx.others ??= new Map();
  let found = ctx.others.get(profile);
  if (!found) {
    const p = loadProfile(profile);
    const catalogue = buildCatalogue(loadProfileSpec(p), p);
    found = { catalogue, validators: new SchemaValidators(catalogue.defs) };
    ctx.others.set(profile, found);
  }
  return found;
}

/** Runs one entry: its own sandbox, the collector, every rule judged; the sandbox is closed after. */
export async function runEntry(entry: MatrixEntry, ctx: MatrixContext): Promise<EntryOutcome> {
  const profileName = profileOf(entry);
  const { catalogue, validators } = catalogueFor(ctx, profileName);
  const extras = referenceBankOptions({ pki: ctx.pki, entries: entry.kind === 'clean' ? [] : [entry] });
  const bank = await startReferenceBank({ ...extras, profile: profileName, seed: MATRIX_SEED, today: MATRIX_TODAY, host: '127.0.0.1', port: 0 });
  const defaults = defaultBankConfig(bank.baseUrl, profileName);
  // Generous: no entry stalls on purpose, and a busy machine must not turn slowness into timeouts.
  const config = { ...defaults, limits: { ...defaults.limits, timeoutMs: 30_000, retries: 0 } };
  const signing = signingFor(undefined, catalogue.profile, () => ctx.pki);
  const client = createHttpClient({ limits: config.limits, signer: signing.signer });
  let results: RuleResult[] = [];
  let fatal: string | undefined;
  try {
    const log = await collectExchanges({ catalogue, bank: config, client, signing, today: () => new Date(`${MATRIX_TODAY}T12:00:00Z`), consentPollMs: 10 });
    fatal = log.fatal;
    const judging = { exchanges: observe(log.exchanges), profile: catalogue.profile, validators, notSent: log.notSent };
    results = catalogue.rules.map((r) => judgeRule(r, judging));
  } finally {
    await client.close();
    await bank.close();
  }
  const outcome: EntryOutcome = {
    entry,
    fatal,
    failed: results
      .filter((r) => r.status === 'failed')
      .map((r) => ({ ruleId: r.rule.id, category: r.rule.category, message: r.message }))
      .sort((a, b) => a.ruleId.localeCompare(b.ruleId)),
    broken: results
      .filter((r) => r.status === 'broken')
      .map((r) => r.rule.id)
      .sort(),
    passed: results.filter((r) => r.status === 'passed').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    problems: [],
  };
  outcome.problems = problemsOf(outcome);
  return outcome;
}

/** Whether a failed result is one the defect documents. */
const documents = (d: Defect, f: { ruleId: string; category: Category }): boolean =>
  d.catches.categories.includes(f.category) && d.catches.ruleIds.some((g) => globMatch(g, f.ruleId));

function problemsOf(o: EntryOutcome): string[] {
  const problems: string[] = [];
  if (o.fatal) problems.push(`the run could not be completed: ${o.fatal}`);
  const { entry } = o;
  if (entry.kind !== 'defect') {
    for (const f of o.failed) problems.push(`false positive: ${f.ruleId} (${f.category}) failed: ${f.message}`);
    for (const b of o.broken) problems.push(`not judged: ${b} is broken`);
    return problems;
  }
  for (const category of entry.catches.categories) {
    if (!o.failed.some((f) => f.category === category && documents(entry, f))) {
      problems.push(`miss: no failed result in category '${category}' from ${entry.catches.ruleIds.join(', ')}`);
    }
  }
  for (const f of o.failed) {
    if (!documents(entry, f)) problems.push(`undocumented failure: ${f.ruleId} (${f.category}): ${f.message}`);
  }
  return problems;
}

/** Runs every entry (a few sandboxes at a time), in catalogue order. */
export async function runDetectionMatrix(opts: { concurrency?: number; entries?: MatrixEntry[]; context?: MatrixContext } = {}): Promise<EntryOutcome[]> {
  const entries = opts.entries ?? matrixEntries();
  const ctx = opts.context ?? matrixContext();
  const out: EntryOutcome[] = new Array(entries.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      const entry = entries[i];
      if (entry === undefined) return; // every entry is taken
      out[i] = await runEntry(entry, ctx);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.concurrency ?? 6) }, worker));
  return out;
}

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `\`${s}\``;

/** docs/detection-matrix.md from a matrix run (deterministic: fixed data, sorted ids, no timings). */
export function renderDetectionMatrix(outcomes: EntryOutcome[], ruleCount: number): string {
  const lines: string[] = [
    '# Detection matrix: what the suite catches',
    '',
    '<!-- generated by scripts/detection-matrix.ts (node dist/scripts/detection-matrix.js); do not edit: tests/detection-matrix.test.ts fails when this page is stale -->',
    '',
    `Generated by \`scripts/detection-matrix.ts\` from \`sandbox/defects/\`; do not edit. Each defect is served alone by the reference bank`,
    `(seed ${MATRIX_SEED}, anchor date ${MATRIX_TODAY}, profile \`${MATRIX_PROFILE}\`), the suite's collector runs against it and all ${ruleCount} rules are judged.`,
    'A defect is caught when every category it documents has a failed rule; `schema` alone never counts for a defect that has a more',
    'specific category. "Not judged" counts rules that were `broken` (e.g. a body that is not JSON). "Modelled on" names the real bank behaviour each defect reproduces.',
    '',
    '## Defects',
    '',
    '| defect | what it changes | modelled on | category | caught by | not judged |',
    '| --- | --- | --- | --- | --- | --- |',
  ];
  for (const o of outcomes) {
    if (o.entry.kind !== 'defect') continue;
    const d = o.entry;
    const status = o.problems.length > 0 ? ' **(problem)**' : '';
    d.catches.categories.forEach((category, i) => {
      const ids = o.failed.filter((f) => f.category === category && documents(d, f)).map((f) => code(f.ruleId));
      const under = d.profile && d.profile !== MATRIX_PROFILE ? ` (served and judged under \`${d.profile}\`)` : '';
      const head = i === 0 ? [code(d.id) + status, cell(d.description + under), cell(d.modelledOn)] : ['', '', ''];
      lines.push(`| ${[...head, category, ids.length > 0 ? ids.join(', ') : '**missed**', i === 0 ? String(o.broken.length) : ''].join(' | ')} |`);
    });
  }
  lines.push('', '## Negative controls (must pass clean)', '', '| variant | what it sends | modelled on | result |', '| --- | --- | --- | --- |');
  for (const o of outcomes) {
    if (o.entry.kind === 'defect') continue;
    const result = o.problems.length > 0 ? `**${o.failed.length} failed, ${o.broken.length} broken**` : `no failure (${o.passed} passed, ${o.skipped} skipped)`;
    lines.push(`| ${[code(o.entry.id), cell(o.entry.description), cell(o.entry.modelledOn), result].join(' | ')} |`);
  }
  return `${lines.join('\n')}\n`;
}
