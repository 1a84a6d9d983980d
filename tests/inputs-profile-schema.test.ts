// Profiles are validated against specs/profiles/profile.schema.json before they are used, and
// read with the same bounds as every other configuration file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError } from '../config/types.js';
import { projectPath } from '../core/paths.js';
import { loadProfileFile, profileNames } from '../config/profile.js';
import { PROFILE_SCHEMA_PATH, profileSchemaProblem } from '../config/profile-schema.js';
import Ajv2020 from 'ajv/dist/2020.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'inputs-profile-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const shipped = (name: string): Record<string, unknown> =>
  parse(readFileSync(projectPath('specs', 'profiles', name, 'profile.yaml'), 'utf8')) as Record<string, unknown>;

function loadError(doc: unknown): ConfigError {
  const file = join(dir, 'p.yaml');
  writeFileSync(file, JSON.stringify(doc));
  try {
    loadProfileFile(file);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('profile schema', () => {
  it('is a valid draft 2020-12 schema (compiles in strict mode with the meta-schema check)', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, validateSchema: true });
    expect(typeof ajv.compile(JSON.parse(readFileSync(PROFILE_SCHEMA_PATH, 'utf8')) as object)).toBe('function');
  });

  it.each(profileNames())('shipped profile %s validates', (name) => {
    expect(profileSchemaProblem(shipped(name))).toBeUndefined();
  });

  it.each([
    ['an unknown field', (p: Record<string, unknown>) => ({ ...p, colour: 'blue' }), 'colour', 'unknown field'],
    [
      'a missing spec',
      (p: Record<string, unknown>) => {
        const { spec: _s, ...rest } = p;
        return rest;
      },
      'spec',
      'missing',
    ],
    [
      'an unknown operation role',
      (p: Record<string, unknown>) => ({ ...p, operations: { ...(p.operations as object), readEverything: 'x' } }),
      'operations.readEverything',
      'is not a known name here',
    ],
    [
      'maskedPan out of range',
      (p: Record<string, unknown>) => ({ ...p, maskedPan: { visibleLeading: 6, visibleTrailing: 40 } }),
      'maskedPan.visibleTrailing',
      'must be <= 19',
    ],
    ['signing.required not a boolean', (p: Record<string, unknown>) => ({ ...p, signing: { required: 'yes' } }), 'signing.required', 'must be a boolean'],
    [
      'a header value with a line break',
      (p: Record<string, unknown>) => ({ ...p, requestHeaders: { 'x-a': 'a\r\nb: c' } }),
      'requestHeaders.x-a',
      'must match pattern',
    ],
    ['a 1 MB title', (p: Record<string, unknown>) => ({ ...p, title: 'x'.repeat(1_000_000) }), 'title', 'must NOT have more than 200 characters'],
  ])('refuses %s, naming the file and the field', (_name, edit, field, detail) => {
    const error = loadError(edit(shipped('berlin-group')));
    expect(error.field).toBe(field);
    expect(error.message).toContain(detail);
    expect(error.message).toContain(join(dir, 'p.yaml'));
    expect(error.message).not.toContain('\n');
  });

  it.skipIf(process.platform === 'win32')('a FIFO as a profile file is refused without blocking', () => {
    const pipe = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [pipe]);
    expect(() => loadProfileFile(pipe)).toThrow(/is a named pipe \(FIFO\), not a regular file/);
  });
});
