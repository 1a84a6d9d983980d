import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../config/types.js';
import { applyOverlay, JsonPathError, loadOverlay, parseJsonPath, parseOverlay, selectNodes, type OverlayAction } from './overlay.js';

const doc = {
  openapi: '3.0.3',
  info: { title: 'T', version: '1', 'x-logo': { url: 'a' } },
  paths: {
    '/v1/card-accounts': {
      get: {
        operationId: 'list',
        parameters: [
          { name: 'X-Request-ID', in: 'header' },
          { name: 'dummy', in: 'query' },
        ],
      },
    },
    '/v1/card-accounts/{account-id}': {
      get: {
        operationId: 'read',
        parameters: [
          { name: 'account-id', in: 'path' },
          { name: 'dummy', in: 'query' },
        ],
      },
      delete: { operationId: 'del', parameters: [] },
    },
  },
  components: {
    schemas: {
      maskedPan: { type: 'string', maxLength: 35 },
      card: {
        type: 'object',
        required: ['maskedPan', 'currency'],
        properties: { maskedPan: { $ref: '#/components/schemas/maskedPan' }, name: { type: 'string', maxLength: 70 } },
      },
    },
  },
};

const values = (path: string, root: unknown = doc): unknown[] => selectNodes(root, path).map((m) => m.value);
const overlay = (...actions: OverlayAction[]) => ({ file: 'test.overlay.yaml', title: 't', version: '1', actions });

describe('JSONPath subset', () => {
  it('names what it supports when it rejects a path', () => {
    expect(() => parseJsonPath('$..x')).toThrow("recursive descent (..) is not supported (supported: $, .name, ['name'], [n], .* and [*]) at position 2");
  });

  it('selects the root, member names and quoted names (keys with /, {}, -)', () => {
    expect(values('$')).toEqual([doc]);
    expect(values('$.components.schemas.maskedPan')).toEqual([{ type: 'string', maxLength: 35 }]);
    expect(values("$.paths['/v1/card-accounts/{account-id}'].get.operationId")).toEqual(['read']);
    expect(values('$.paths["/v1/card-accounts"].get.operationId')).toEqual(['list']);
    expect(values("$.info['x-logo'].url")).toEqual(['a']);
    expect(values('$.info.x-logo.url')).toEqual(['a']); // lenient: '-' in a dotted name
    expect(values("$['components']['schemas']['maskedPan']['maxLength']")).toEqual([35]);
  });

  it('gives normalized paths', () => {
    expect(selectNodes(doc, "$.paths['/v1/card-accounts'].get.parameters[1]").map((m) => m.path)).toEqual([
      "$['paths']['/v1/card-accounts']['get']['parameters'][1]",
    ]);
  });

  it('fans out with .* and [*] over objects and arrays', () => {
    expect(values('$.paths.*.get.operationId')).toEqual(['list', 'read']);
    expect(values('$.paths[*].*.operationId')).toEqual(['list', 'read', 'del']);
    expect(values("$.paths['/v1/card-accounts'].get.parameters[*].name")).toEqual(['X-Request-ID', 'dummy']);
  });

  it('indexes arrays (negative from the end) and takes lists of names', () => {
    expect(values("$.paths['/v1/card-accounts'].get.parameters[0].name")).toEqual(['X-Request-ID']);
    expect(values("$.paths['/v1/card-accounts'].get.parameters[-1].name")).toEqual(['dummy']);
    expect(values("$.info['title','version']")).toEqual(['T', '1']);
  });

  it('selects nothing for missing members, out-of-range indexes and names on arrays', () => {
    expect(values('$.nope')).toEqual([]);
    expect(values("$.paths['/v1/card-accounts'].get.parameters[9]")).toEqual([]);
    expect(values("$.paths['/v1/card-accounts'].get.parameters.name")).toEqual([]);
  });

  it.each([
    ['components', "expected '$'"],
    ['$.', 'expected a member name or *'],
    ['$[', 'expected a quoted name'],
    ["$['a", "expected '''"],
    ['$.a b', "expected '.' or '['"],
    ['$..operationId', 'recursive descent (..) is not supported'],
    ['$.components..maxLength', 'recursive descent (..) is not supported'],
    ["$.paths.*.*.parameters[?(@.name == 'dummy')]", 'filters ([?…]) are not supported'],
    ["$.paths.*.*.parameters[ ?@.name=='dummy']", 'filters ([?…]) are not supported'],
    ['$.a[0:2]', 'slices ([a:b]) are not supported'],
    ["$['a\\q']", 'unknown escape'],
  ])('rejects %s', (path, message) => {
    expect(() => parseJsonPath(path)).toThrow(JsonPathError);
    expect(() => parseJsonPath(path)).toThrow(message);
  });
});

describe('applyOverlay: update and remove', () => {
  it('merges objects recursively and leaves the input untouched', () => {
    const out = applyOverlay(doc, overlay({ target: '$.components.schemas.card', update: { description: 'd', properties: { name: { maxLength: 35 } } } }));
    const card = out.components.schemas.card as Record<string, unknown>;
    expect(card.description).toBe('d');
    expect(card.properties).toEqual({ maskedPan: { $ref: '#/components/schemas/maskedPan' }, name: { type: 'string', maxLength: 35 } });
    expect(doc.components.schemas.card.properties.name.maxLength).toBe(70);
  });

  it('replaces arrays inside an update (required and enum state the whole list)', () => {
    const out = applyOverlay(doc, overlay({ target: '$.components.schemas.card', update: { required: ['maskedPan', 'currency', 'product'] } }));
    expect(out.components.schemas.card.required).toEqual(['maskedPan', 'currency', 'product']);
    const shorter = applyOverlay(doc, overlay({ target: '$.components.schemas.card', update: { required: ['maskedPan'] } }));
    expect(shorter.components.schemas.card.required).toEqual(['maskedPan']);
  });

  it('appends the update to a selected array (one item, as Overlay 1.0.0 says)', () => {
    const param = { $ref: '#/components/parameters/x-accept-fix' };
    const out = applyOverlay(doc, overlay({ target: '$.paths.*.*.parameters', update: param }));
    expect(out.paths['/v1/card-accounts'].get.parameters).toEqual([{ name: 'X-Request-ID', in: 'header' }, { name: 'dummy', in: 'query' }, param]);
    expect(out.paths['/v1/card-accounts/{account-id}'].delete.parameters).toEqual([param]);
    // Each array gets its own copy.
    expect(out.paths['/v1/card-accounts/{account-id}'].delete.parameters[0]).not.toBe(out.paths['/v1/card-accounts'].get.parameters[2]);
  });

  it('updates every match of a wildcard', () => {
    const out = applyOverlay(doc, overlay({ target: '$.paths.*.*', update: { 'x-safe': true } }));
    expect(Object.values(out.paths).flatMap((item) => Object.values(item).map((op) => (op as Record<string, unknown>)['x-safe']))).toEqual([true, true, true]);
  });

  it('removes object members and array items (several per array)', () => {
    const out = applyOverlay(
      doc,
      overlay(
        { target: "$.paths['/v1/card-accounts'].get.parameters[1]", remove: true },
        { target: "$.paths['/v1/card-accounts/{account-id}'].get.parameters[-1]", remove: true },
        { target: "$.paths['/v1/card-accounts/{account-id}'].delete", remove: true },
        { target: '$.components.schemas.card.properties.name', remove: true },
      ),
    );
    expect(out.paths['/v1/card-accounts'].get.parameters).toEqual([{ name: 'X-Request-ID', in: 'header' }]);
    expect(out.paths['/v1/card-accounts/{account-id}'].get.parameters).toEqual([{ name: 'account-id', in: 'path' }]);
    expect(Object.keys(out.paths['/v1/card-accounts/{account-id}'])).toEqual(['get']);
    expect(Object.keys(out.components.schemas.card.properties)).toEqual(['maskedPan']);
    const both = applyOverlay({ a: [1, 2, 3, 4] }, overlay({ target: '$.a[0,2]', remove: true }));
    expect(both.a).toEqual([2, 4]);
  });

  it('applies actions in order, each on the result of the one before', () => {
    const out = applyOverlay(
      doc,
      overlay(
        { target: '$.components.schemas.maskedPan', remove: true },
        { target: '$.components.schemas', update: { maskedPan: { type: 'string', maxLength: 16 } } },
        { target: '$.components.schemas.maskedPan', update: { description: 'BITS' } },
      ),
    );
    expect(out.components.schemas.maskedPan).toEqual({ type: 'string', maxLength: 16, description: 'BITS' });
  });

  it('splits shared (YAML alias) nodes, so an update reaches only the path it names', () => {
    const shared = { type: 'string' };
    const out = applyOverlay({ a: shared, b: shared }, overlay({ target: '$.a', update: { maxLength: 1 } }));
    expect(out).toEqual({ a: { type: 'string', maxLength: 1 }, b: { type: 'string' } });
  });
});

describe('applyOverlay: errors name the overlay file and the action', () => {
  const fails = (action: OverlayAction, appliedTo?: string): ConfigError => {
    try {
      applyOverlay(doc, overlay({ target: '$.info', update: { a: 1 } }, action), appliedTo);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return e as ConfigError;
    }
    throw new Error('no error');
  };

  it('a target that matches nothing (the overlay drifted from the spec)', () => {
    const e = fails({ target: '$.components.schemas.cardAccountDetails', update: { required: [] } }, 'my-spec.yaml');
    expect([e.file, e.field]).toEqual(['test.overlay.yaml', 'actions[1].target']);
    expect(e.message).toBe(
      'test.overlay.yaml: actions[1].target: $.components.schemas.cardAccountDetails matches nothing in my-spec.yaml (the overlay no longer fits the spec)',
    );
    expect(fails({ target: '$.paths.*.*.parameters[7]', remove: true }).message).toContain('matches nothing');
  });

  it('an update on a primitive, a non-object update for an object, removing the root', () => {
    expect(fails({ target: '$.info.title', update: { a: 1 } }).message).toBe(
      "test.overlay.yaml: actions[1].target: selects the string 'T' at $['info']['title']; an update needs an object or an array (target the object that holds the value)",
    );
    expect(fails({ target: '$.info', update: 'x' }).field).toBe('actions[1].update');
    expect(fails({ target: '$', remove: true }).message).toContain('the document root');
  });
});

describe('reading an Overlay document', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cc-overlay-'));
  const write = (name: string, text: string): string => {
    const f = join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const error = (f: () => unknown): string => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    return 'no error';
  };

  it('reads YAML and JSON', () => {
    const yaml = loadOverlay(
      write('a.yaml', "overlay: 1.0.0\ninfo: { title: A, version: '1' }\nactions:\n  - target: $.info\n    description: why\n    update: { x-a: 1 }\n"),
    );
    expect(yaml).toMatchObject({ title: 'A', version: '1', actions: [{ target: '$.info', description: 'why', update: { 'x-a': 1 } }] });
    const json = loadOverlay(
      write('b.json', JSON.stringify({ overlay: '1.0.1', info: { title: 'B', version: '2' }, actions: [{ target: '$.x', remove: true }] })),
    );
    expect(json.actions).toEqual([{ target: '$.x', remove: true, update: undefined, description: undefined }]);
  });

  it.each([
    ['not a mapping', '- a', 'not an Overlay document'],
    ['no overlay field', "info: { title: A, version: '1' }\nactions: [{ target: $, remove: true }]", 'overlay: missing'],
    ['version 2', "overlay: 2.0.0\ninfo: { title: A, version: '1' }\nactions: [{ target: $, remove: true }]", 'overlay: version 2.0.0 is not supported'],
    ['no info title', "overlay: 1.0.0\ninfo: { version: '1' }\nactions: [{ target: $, remove: true }]", 'info.title: missing'],
    ['no actions', "overlay: 1.0.0\ninfo: { title: A, version: '1' }\nactions: []", 'actions: missing'],
    ['no target', "overlay: 1.0.0\ninfo: { title: A, version: '1' }\nactions: [{ remove: true }]", 'actions[0].target: missing'],
    ['bad target', "overlay: 1.0.0\ninfo: { title: A, version: '1' }\nactions: [{ target: '$.a[', remove: true }]", 'actions[0].target: $.a[: expected'],
    [
      'unsupported target',
      "overlay: 1.0.0\ninfo: { title: A, version: '1' }\nactions: [{ target: '$..a', remove: true }]",
      'actions[0].target: $..a: recursive descent',
    ],
    ['neither update nor remove', "overlay: 1.0.0\ninfo: { title: A, version: '1' }\nactions: [{ target: $.a }]", 'actions[0]: has neither update nor remove'],
  ])('rejects %s', (_name, text, message) => {
    const f = write('bad.yaml', text);
    expect(error(() => loadOverlay(f))).toContain(`${f}: ${message}`);
  });

  it('reports unreadable and unparseable files', () => {
    expect(error(() => loadOverlay(join(dir, 'missing.yaml')))).toContain('cannot read the overlay (ENOENT)');
    expect(error(() => loadOverlay(write('broken.yaml', 'a: [1, 2')))).toMatch(/not valid YAML at line \d+/);
    expect(error(() => parseOverlay('x.yaml', null))).toBe('x.yaml: not an Overlay document (expected a mapping at the top level)');
  });
});
