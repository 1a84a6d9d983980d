// The real-world corpus: one folder per case under cases/, each with a case.yaml that names the
// profile, the recorded answers (on top of a shared base bank from bases/, if it names one) and
// the findings the run must and must not produce. Bodies are written for this corpus in the
// shapes real banks have sent; no bank's data is copied.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { RuleResult } from '../../core/model.js';
import { projectPath } from '../../core/paths.js';
import type { Recorded } from './replay-bank.js';

const ROOT = projectPath('tests', 'real-world');

/** What a finding must look like to count. Every given field must hold; none given = any finding. */
export interface Expectation {
  category?: string;
  ruleId?: string;
  /** A regular expression the finding's message must match (flag `s`: `.` spans lines). */
  messageMatches?: string;
  /** A text the finding's JSON pointer must contain. */
  pathContains?: string;
}

export interface RealWorldCase {
  name: string;
  description: string;
  profile: string;
  /** `create`: the run creates its consent (POST /v1/consents); else the run uses this pre-authorised id. */
  consent: 'create' | { id: string };
  consentId: string;
  basePath?: string;
  responses: Recorded[];
  mustFind: Expectation[];
  mustNotFind: Expectation[];
  /** Rules that must have judged something and passed (proof that a shape is looked at, not skipped). */
  mustPass: string[];
}

const DEFAULT_CONSENT = 'rw-consent-0b7e';

/** Every case of the corpus, in folder order. */
export function loadCases(): RealWorldCase[] {
  const dir = join(ROOT, 'cases');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()
    .map((name) => loadCase(name, join(dir, name, 'case.yaml')));
}

function loadCase(name: string, file: string): RealWorldCase {
  const fail = (field: string, why: string): never => {
    throw new Error(`${file}: ${field}: ${why}`);
  };
  const parsed: unknown = parseYaml(readFileSync(file, 'utf8'));
  const raw: Record<string, unknown> =
    typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? { ...parsed } : fail('(root)', 'must be a mapping');
  const text = (field: string): string => {
    const v = raw[field];
    return typeof v === 'string' ? v : fail(field, 'must be a string');
  };
  // Entries are checked where they are used (paths below, expectations in `expectations`).
  const list = <T>(field: string): T[] => {
    const v = raw[field];
    return v === undefined ? [] : Array.isArray(v) ? (v as T[]) : fail(field, 'must be a list');
  };
  // A base file is this corpus's own data, shaped like a case's `responses`.
  const base =
    raw.base === undefined ? [] : (parseYaml(readFileSync(join(ROOT, 'bases', `${text('base')}.yaml`), 'utf8')) as { responses: Recorded[] }).responses;
  const own = list<Recorded>('responses');
  // A case's answer replaces the base's answer to the same request.
  const key = (r: Recorded): string => `${r.method ?? 'GET'} ${r.path} ${JSON.stringify(Object.entries(r.query ?? {}).sort(([a], [b]) => a.localeCompare(b)))}`;
  const ownKeys = new Set(own.map(key));
  const responses = [...base.filter((r) => !ownKeys.has(key(r))), ...own];
  for (const [i, r] of responses.entries())
    if (typeof r.path !== 'string' || !r.path.startsWith('/')) fail(`responses[${i}].path`, 'must be a path starting with /');
  const consentRaw = raw.consent ?? 'pre-authorised';
  const consentId = typeof raw.consentId === 'string' ? raw.consentId : DEFAULT_CONSENT;
  const expectations = (field: string): Expectation[] =>
    list<Expectation>(field).map((e, i) => {
      if (typeof e !== 'object' || e === null) fail(`${field}[${i}]`, 'must be a mapping');
      for (const k of Object.keys(e)) if (!['category', 'ruleId', 'messageMatches', 'pathContains'].includes(k)) fail(`${field}[${i}].${k}`, 'unknown field');
      if (e.messageMatches !== undefined) void new RegExp(e.messageMatches, 's'); // a bad pattern fails at load, naming the case
      return e;
    });
  return {
    name,
    description: text('description'),
    profile: text('profile'),
    consent: consentRaw === 'create' ? 'create' : consentRaw === 'pre-authorised' ? { id: consentId } : fail('consent', "must be 'create' or 'pre-authorised'"),
    consentId,
    basePath: typeof raw.basePath === 'string' ? raw.basePath : undefined,
    responses,
    mustFind: expectations('mustFind'),
    mustNotFind: expectations('mustNotFind'),
    mustPass: list<string>('mustPass'),
  };
}

/** One failed or broken instance: what an expectation is matched against. */
export interface Found {
  ruleId: string;
  category: string;
  status: string;
  message: string;
  instancePath: string;
}

/** Every violation of every failed or broken result (a broken result counts once, with its reason). */
export function findingsOf(results: RuleResult[]): Found[] {
  return results
    .filter((r) => r.status === 'failed' || r.status === 'broken')
    .flatMap((r) => {
      const base = { ruleId: r.rule.id, category: r.rule.category, status: r.status };
      if (r.violations.length === 0) return [{ ...base, message: r.message, instancePath: r.instancePath ?? '' }];
      return r.violations.map((v) => ({ ...base, message: v.message, instancePath: v.instancePath ?? '' }));
    });
}

export function matches(e: Expectation, f: Found): boolean {
  return (
    (e.category === undefined || e.category === f.category) &&
    (e.ruleId === undefined || e.ruleId === f.ruleId) &&
    (e.messageMatches === undefined || new RegExp(e.messageMatches, 's').test(f.message)) &&
    (e.pathContains === undefined || f.instancePath.includes(e.pathContains))
  );
}

/** An expectation in words, for test titles. */
export function describeExpectation(e: Expectation): string {
  const parts = [e.category, e.ruleId, e.messageMatches && `/${e.messageMatches}/`, e.pathContains && `at …${e.pathContains}…`].filter(Boolean);
  return parts.length === 0 ? 'any finding' : parts.join(' ');
}
