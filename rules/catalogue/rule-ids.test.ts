// The rule ids are a contract: Allure history, waivers, baselines and run diffs key on them. This pins the
// generated catalogue of every shipped profile (and of the complete NextGenPSD2-shaped file) in
// __snapshots__/rule-ids.json: a change there is a change users see, made on purpose (`vitest -u`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Rule } from '../../core/model.js';
import { loadProfile } from '../../config/profile.js';
import { loadProfileSpec } from '../../schemas/load-profile-spec.js';
import { loadSpecDocument } from '../../schemas/spec-document.js';
import { writeFullFrameworkSpec } from '../../tests/fixtures/full-framework-spec.js';
import { KINDS } from '../registry.js';
import { buildCatalogue, type Catalogue } from './generate.js';

const work = mkdtempSync(join(tmpdir(), 'card-conformance-rule-ids-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const catalogues: Record<string, Catalogue> = Object.fromEntries(
  ['berlin-group', 'bits-no', 'handelsbanken'].map((name) => {
    const profile = loadProfile(name);
    return [name, buildCatalogue(loadProfileSpec(profile), profile)];
  }),
);

/** One line per rule: what reports and waivers see of it. */
const line = (r: Rule): string => `${r.id} ${r.kind} ${r.category} ${r.severity}${r.mandatory ? '' : ' optional'}`;

/** `{name}` stands for any text. */
const patternOf = (idPattern: string): RegExp =>
  new RegExp(
    `^${idPattern
      .split(/\{[^}]*\}/)
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );

describe('rule ids', () => {
  it('are the pinned ones, in the pinned order, for every shipped profile', async () => {
    const pinned = Object.fromEntries(Object.entries(catalogues).map(([name, c]) => [name, c.rules.map(line)]));
    await expect(`${JSON.stringify(pinned, null, 1)}\n`).toMatchFileSnapshot('./__snapshots__/rule-ids.json');
  });

  it('are the same for the complete NextGenPSD2-shaped file as for our spec', () => {
    const file = join(work, 'psd2-api-full.json');
    writeFullFrameworkSpec(file);
    const full = buildCatalogue(loadSpecDocument(file), loadProfile('berlin-group'));
    expect(full.rules.map(line)).toEqual(catalogues['berlin-group']?.rules.map(line));
  });

  it('each match the id pattern of their kind, and are unique', () => {
    for (const [name, c] of Object.entries(catalogues)) {
      const ids = c.rules.map((r) => r.id);
      expect(new Set(ids).size, name).toBe(ids.length);
      for (const r of c.rules) expect(r.id, `${name}: ${r.kind}`).toMatch(patternOf(KINDS[r.kind]?.idPattern ?? '(no such kind)'));
    }
  });

  it('the id pattern matcher rejects what does not fit', () => {
    expect('getCardAccountList:/cardAccounts/*/currency:currency').toMatch(patternOf('{operationId}:{path}:currency'));
    expect('getCardAccountList:/cardAccounts/*/currency:enum').not.toMatch(patternOf('{operationId}:{path}:currency'));
    expect('semantic:links-resolve').not.toMatch(patternOf('semantic:pagination-complete'));
  });
});
