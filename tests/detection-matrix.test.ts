// Proves what the suite catches: every defect of sandbox/defects/ is served alone by the
// reference bank, the collector runs, every rule is judged (collectExchanges + judgeRule, no
// nested vitest), and the failed rules must be exactly the documented ones. The clean bank and
// every negative control must produce no failed and no broken result. The generated
// docs/detection-matrix.md must match this run.
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../config/types.js';
import type { Category } from '../core/model.js';
import { projectPath } from '../core/paths.js';
import { defectEntries } from '../app/run/built-in-bank.js';
import { DEFECTS, VARIANTS } from '../sandbox/defects/index.js';
import {
  catalogueFor,
  globMatch,
  MATRIX_DOC,
  MATRIX_PROFILE,
  matrixContext,
  matrixEntries,
  renderDetectionMatrix,
  runDetectionMatrix,
  type EntryOutcome,
} from '../app/detection-matrix.js';
import { cli } from './fixtures/cli.js';

const context = matrixContext();
const entries = matrixEntries();
let outcomes: EntryOutcome[] = [];
const outcome = (kind: string, id: string): EntryOutcome => {
  const o = outcomes.find((x) => x.entry.kind === kind && x.entry.id === id);
  if (!o) throw new Error(`no matrix result for ${kind} '${id}'`);
  return o;
};

beforeAll(async () => {
  outcomes = await runDetectionMatrix({ entries, context });
});

// Signature, certificate and transport defects come from elsewhere (request guards, faults).
const RESPONSE_CATEGORIES: Category[] = [
  'required-field',
  'schema',
  'currency',
  'minor-units',
  'masked-pan',
  'enum',
  'links',
  'status-code',
  'headers',
  'error-response',
  'semantic',
];

describe('the defect catalogue', () => {
  it('has at least 30 documented defects with unique ids, covering every response category', () => {
    expect(DEFECTS.length).toBeGreaterThanOrEqual(30);
    const ids = [...DEFECTS, ...VARIANTS].map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const d of DEFECTS) {
      expect(d.mutation.id, d.id).toBe(d.id);
      expect(d.description && d.modelledOn && d.catches.ruleIds.length && d.catches.categories.length, d.id).toBeTruthy();
    }
    const covered = new Set(DEFECTS.flatMap((d) => d.catches.categories));
    expect(RESPONSE_CATEGORIES.filter((c) => !covered.has(c))).toEqual([]);
  });

  it('every documented rule id or glob names a rule of the catalogue', () => {
    const idsOf = (profile: string | undefined): string[] => catalogueFor(context, profile ?? MATRIX_PROFILE).catalogue.rules.map((r) => r.id);
    const dangling = DEFECTS.flatMap((d) => d.catches.ruleIds.filter((g) => !idsOf(d.profile).some((id) => globMatch(g, id))).map((g) => `${d.id}: ${g}`));
    expect(dangling).toEqual([]);
  });

  it('refuses unknown ids as a usage error naming the known ones', () => {
    expect(() => defectEntries({ defects: ['amount-as-number', 'nope'] })).toThrow(ConfigError);
    expect(() => defectEntries({ defects: ['nope'] })).toThrow(/^--defects: unknown defect 'nope' \(known: amount-as-number, /);
    expect(() => defectEntries({ variants: ['nope'] })).toThrow(/^--variants: unknown variant 'nope'/);
    expect(defectEntries({ defects: ['status-201'], variants: ['opaque-ids'] }).map((e) => e.mutation.id)).toEqual(['status-201', 'opaque-ids']);
  });

  it('the CLI exits 2 on an unknown defect or variant, before anything starts', async () => {
    const [sandbox, run] = await Promise.all([
      cli(['sandbox', '--defects', 'nope']),
      cli(['run', '--variants', 'nope', '--no-report', '--out', projectPath('out', 'detection-matrix-unknown')]),
    ]);
    expect(sandbox.code, sandbox.stderr).toBe(2);
    expect(sandbox.stderr).toContain("--defects: unknown defect 'nope' (known: ");
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toContain("--variants: unknown variant 'nope'");
  });
});

describe('each defect is caught by the rules it documents, and by no other', () => {
  for (const d of DEFECTS) {
    it(d.id, () => {
      const o = outcome('defect', d.id);
      expect(o.problems, `defect '${d.id}' (${d.catches.categories.join(', ')}): ${o.problems.join('; ')}`).toEqual([]);
    });
  }
});

describe('the clean bank and every negative control: no failed and no broken result', () => {
  for (const e of entries.filter((x) => x.kind !== 'defect')) {
    it(`${e.kind} ${e.id}`, () => {
      const o = outcome(e.kind, e.id);
      expect(o.problems, `${e.kind} '${e.id}': ${o.problems.join('; ')}`).toEqual([]);
      expect(o.passed).toBeGreaterThan(30);
    });
  }
});

it(`${MATRIX_DOC} is what scripts/detection-matrix.ts generates now`, () => {
  const file = projectPath(MATRIX_DOC);
  const hint = `regenerate it: npm run build && node dist/scripts/detection-matrix.js`;
  expect(existsSync(file), `${MATRIX_DOC} is missing; ${hint}`).toBe(true);
  expect(readFileSync(file, 'utf8'), `${MATRIX_DOC} is stale; ${hint}`).toBe(renderDetectionMatrix(outcomes, context.catalogue.rules.length));
});
