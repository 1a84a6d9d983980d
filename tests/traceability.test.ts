// The traceability tables of the bank documents (docs/traceability-*.md): every statement has an
// implementation (a rule of the profile's catalogue, or a real exported request-side function),
// the rows said to be exercised by the reference bank are (a cited rule passes on a clean run),
// and the generated pages are what scripts/traceability.ts writes from the data now.
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectPath } from '../core/paths.js';
import {
  readTraceDocument,
  renderTraceability,
  ruleGlobMatches,
  traceabilityProblems,
  traceDocuments,
  type TraceDocument,
} from '../scripts/traceability/documents.js';
import { catalogueOf, runEngine } from './fixtures/engine-run.js';

const documents = traceDocuments();
/** Exported functions of every module a row names, loaded before the checks (the checker is synchronous). */
const exported = new Map<string, Set<string>>();
beforeAll(async () => {
  const paths = new Set(documents.flatMap((d) => d.statements.flatMap((s) => s.behaviours.map((b) => b.split('#')[0]!))));
  for (const p of paths) {
    if (!existsSync(projectPath(p))) continue;
    const mod = (await import(projectPath(p))) as Record<string, unknown>;
    exported.set(
      p,
      new Set(
        Object.entries(mod)
          .filter(([, v]) => typeof v === 'function')
          .map(([k]) => k),
      ),
    );
  }
});
const isExportedFunction = (path: string, name: string): boolean => exported.get(path)?.has(name) === true;

it('covers both bank documents the product was founded on', () => {
  expect(documents.map((d) => [d.profile, d.page])).toEqual([
    ['handelsbanken', 'docs/traceability-handelsbanken.md'],
    ['bits-no', 'docs/traceability-sr-bank.md'],
  ]);
});

describe.each(documents.map((d) => [d.page, d] as const))('%s', (_page, doc: TraceDocument) => {
  const ruleIds = catalogueOf(doc.profile).catalogue.rules.map((r) => r.id);

  it('has no unimplemented row', () => {
    expect(traceabilityProblems(doc, ruleIds, isExportedFunction)).toEqual([]);
    for (const s of doc.statements) if (s.evidence) expect(existsSync(projectPath(s.evidence)), `${s.id}: ${s.evidence}`).toBe(true);
  });

  it('is what scripts/traceability.ts generates now', () => {
    const hint = 'regenerate it: npm run traceability';
    expect(existsSync(projectPath(doc.page)), `${doc.page} is missing; ${hint}`).toBe(true);
    expect(readFileSync(projectPath(doc.page), 'utf8'), `${doc.page} is stale; ${hint}`).toBe(renderTraceability(doc));
  });

  it('rows the reference bank exercises: a cited rule passes, judging something, on a clean run', async () => {
    const run = await runEngine(doc.profile, { today: '2026-11-20' });
    const passed = run.results.filter((r) => r.status === 'passed' && r.checked > 0).map((r) => r.rule.id);
    const unexercised = doc.statements
      .filter((s) => s.referenceBank.exercised && s.rules.length > 0)
      .filter((s) => !s.rules.some((g) => passed.some((id) => ruleGlobMatches(g, id))))
      .map((s) => `${s.id}: none of ${s.rules.join(', ')} passed`);
    expect(unexercised).toEqual([]);
  }, 120_000);
});

describe('the check itself', () => {
  it('fails a row with no implementation, a rule that matches nothing, or a behaviour that is not an exported function', () => {
    const doc = readTraceDocument('specs/traceability/sr-bank.yaml');
    const broken: TraceDocument = {
      ...doc,
      statements: [
        { id: 'X1', kind: 'header', statement: 'nothing implements this', rules: [], behaviours: [], referenceBank: { exercised: false, how: 'n/a' } },
        {
          id: 'X2',
          kind: 'field',
          statement: 'a rule that does not exist',
          rules: ['*/noSuchField:required'],
          behaviours: [],
          referenceBank: { exercised: false, how: 'n/a' },
        },
        {
          id: 'X3',
          kind: 'header',
          statement: 'a function that does not exist',
          rules: [],
          behaviours: ['collect/request-headers.ts#noSuchFunction'],
          referenceBank: { exercised: false, how: 'n/a' },
        },
      ],
    };
    const ruleIds = catalogueOf('bits-no').catalogue.rules.map((r) => r.id);
    expect(traceabilityProblems(broken, ruleIds, isExportedFunction)).toEqual([
      'specs/traceability/sr-bank.yaml X1: no implementation (neither a rule nor a behaviour)',
      'specs/traceability/sr-bank.yaml X2: rule */noSuchField:required matches no rule of the bits-no catalogue',
      'specs/traceability/sr-bank.yaml X3: behaviour collect/request-headers.ts#noSuchFunction names no exported function',
    ]);
  });
});
