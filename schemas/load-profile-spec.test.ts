import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { OpenAPIV3 } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ConfigError } from '../config/types.js';
import { loadProfile } from '../config/profile.js';
import { projectPath } from '../core/paths.js';
import { loadProfileSpec } from './load-profile-spec.js';
import { loadSpecDocument } from './spec-document.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-profile-spec-'));
const write = (name: string, text: string): string => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};
const schemas = (d: unknown): Record<string, OpenAPIV3.SchemaObject> => (d as OpenAPIV3.Document).components!.schemas as Record<string, OpenAPIV3.SchemaObject>;
const params = (d: unknown, path: string): unknown[] => (d as OpenAPIV3.Document).paths[path]!.get!.parameters ?? [];
const bits = loadProfile('bits-no');

describe('loadProfileSpec', () => {
  it('is the plain spec for a profile without overlays', () => {
    const profile = loadProfile('berlin-group');
    expect(loadProfileSpec(profile).document).toEqual(loadSpecDocument(profile.spec).document);
  });

  it('applies the profile overlays; the file stays the base document (rule ids and spec refs keep its locations)', () => {
    const spec = loadProfileSpec(bits);
    expect(spec.file).toBe(bits.spec);
    expect(basename(spec.file)).toBe('berlin-group.openapi.yaml');
    expect(schemas(spec.document).maskedPan!.maxLength).toBe(16);
    expect(schemas(spec.document).cardAccountDetails!.required).toEqual(['maskedPan', 'currency', 'product']);
    expect(params(spec.document, '/v1/card-accounts')).toContainEqual({ $ref: '#/components/parameters/x-accept-fix' });
    // The base spec on disk is not changed.
    expect(schemas(loadSpecDocument(bits.spec).document).maskedPan!.maxLength).toBe(35);
  });

  it('applies the overlays to a --spec file too', () => {
    const copy = write('psd2-copy.json', JSON.stringify(parse(readFileSync(projectPath('specs', 'berlin-group.openapi.yaml'), 'utf8'))));
    const spec = loadProfileSpec(bits, copy);
    expect(spec.file).toBe(copy);
    expect(schemas(spec.document).maskedPan!.maxLength).toBe(16);
    expect(schemas(spec.document).balanceType!.enum).toHaveLength(5);
  });

  it('a --spec file the overlay does not fit is a ConfigError naming the overlay file and action', () => {
    const other = write(
      'other-spec.yaml',
      [
        'openapi: 3.0.3',
        'info: { title: Other, version: "1" }',
        'paths: { /v1/card-accounts: { get: { operationId: getCardAccountList, responses: { "200": { description: OK } } } } }',
        'components: { schemas: { cardMaskedPan: { type: string } } }',
        '',
      ].join('\n'),
    );
    let error: unknown;
    try {
      loadProfileSpec(bits, other);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const e = error as ConfigError;
    expect(e.file).toBe(projectPath('specs', 'profiles', 'bits-no', 'overlay.yaml'));
    expect(e.field).toBe('actions[0].target');
    expect(e.message).toContain('$.components.schemas.maskedPan matches nothing in other-spec.yaml');
  });

  it('checks the result again: an overlay cannot remove what every spec needs', () => {
    const breaking = write('breaking.overlay.yaml', "overlay: 1.0.0\ninfo: { title: x, version: '1' }\nactions:\n  - target: $.paths\n    remove: true\n");
    expect(() => loadProfileSpec({ ...bits, overlays: [breaking] })).toThrow(/paths: missing/);
    expect(() => loadProfileSpec({ ...bits, overlays: [join(dir, 'absent.yaml')] })).toThrow(/cannot read the overlay/);
  });
});
