// After ESLint's checkRuleFiles: every file in rules/kinds/ is a registered kind, and every registered kind
// has its docs line and a cases file beside it that gives it valid and invalid cases (testKind).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../core/model.js';
import { projectPath } from '../core/paths.js';
import type { AnyKind } from './kind.js';
import { KINDS, REGISTERED } from './registry.js';

const DIR = projectPath('rules', 'kinds');
const modules = readdirSync(DIR)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
  .sort();

const isKind = (v: unknown): v is AnyKind => typeof v === 'object' && v !== null && 'definition' in v && 'rulesAt' in v && 'check' in v;

/** Each kind module's exported kinds, by export name. */
const exported = await Promise.all(
  modules.map(async (file) => {
    const mod: Record<string, unknown> = await import(`./kinds/${file.replace(/\.ts$/, '.js')}`);
    return { file, kinds: Object.entries(mod).filter((e): e is [string, AnyKind] => isKind(e[1])) };
  }),
);

describe('the rule kinds (checkRuleFiles)', () => {
  it('finds the kind modules', () => {
    expect(modules.length).toBeGreaterThan(15);
  });

  it('every file in rules/kinds/ exports a kind, and every kind it exports is registered (helpers go to rules/kinds/support/)', () => {
    for (const { file, kinds } of exported) {
      expect(kinds.length, `${file} exports no kind`).toBeGreaterThan(0);
      for (const [name, kind] of kinds) expect(REGISTERED.includes(kind), `${file}: ${name} (${kind.kind}) is not in rules/registry.ts`).toBe(true);
    }
  });

  it('every registered kind comes from a file in rules/kinds/ and has a unique name', () => {
    const fromFiles = exported.flatMap((e) => e.kinds.map(([, k]) => k));
    for (const kind of REGISTERED) expect(fromFiles.includes(kind), kind.kind).toBe(true);
    expect(Object.keys(KINDS)).toHaveLength(REGISTERED.length);
  });

  it('every registered kind has valid and invalid cases beside it (testKind in <file>.test.ts)', () => {
    for (const { file, kinds } of exported) {
      const cases = join(DIR, file.replace(/\.ts$/, '.test.ts'));
      expect(existsSync(cases), `${file} has no cases file`).toBe(true);
      const text = readFileSync(cases, 'utf8');
      for (const [name, kind] of kinds) {
        expect(text, `${kind.kind}: no testKind(${name}, …) in ${file.replace(/\.ts$/, '.test.ts')}`).toMatch(new RegExp(`\\btestKind\\(${name},`));
      }
    }
  });

  it('every registered kind has its docs line, spec reference, id pattern, category and a place it applies', () => {
    for (const kind of REGISTERED) {
      const { description, specRef } = kind.docs;
      expect(description, kind.kind).toMatch(/^\S[^\n]{9,239}\.$/);
      expect(specRef.trim(), kind.kind).not.toBe('');
      expect(kind.idPattern, kind.kind).toMatch(/\S/);
      expect(CATEGORIES as readonly string[], kind.kind).toContain(kind.category);
      expect(kind.places.length, `${kind.kind} applies nowhere: it would make no rule`).toBeGreaterThan(0);
    }
  });
});
