// OpenAPI Overlay 1.0.0 (https://spec.openapis.org/overlay/v1.0.0.html): a profile's changes to a
// base spec, kept as data next to it instead of as a forked copy of the spec.
//
// Semantics, following the Overlay 1.0.0 text where it speaks:
// - actions apply in order, each to the result of the previous one;
// - `remove: true` deletes every selected node from the object or array that holds it;
// - `update` on a selected object is merged into it recursively: objects merge key by key,
//   anything else (strings, numbers, and ARRAYS) in the update replaces the target's value.
//   The spec leaves arrays inside an update open; replacing is the choice here, so that
//   `required: [a, b, c]` or `enum: [...]` states the whole new list;
// - `update` on a selected array appends the update value as one new item (the spec's rule),
//   which is how a profile adds a parameter to an operation's `parameters`;
// - a target that selects nothing is an error: it means the overlay no longer fits the spec
//   (the spec was renamed or restructured) and the profile would silently not apply.
//
// Targets are JSONPath (RFC 9535) of a small documented subset: see "JSONPath subset" below.
import { ConfigError } from '../config/types.js';
import { readDocument } from './read-document.js';
import { isObject } from './spec-document.js';

export interface OverlayAction {
  target: string;
  description?: string;
  update?: unknown;
  remove?: boolean;
}

export interface OverlayDocument {
  /** Where it came from, for error messages. */
  file: string;
  title: string;
  version: string;
  actions: OverlayAction[];
}

// ---------------------------------------------------------------------------------------------
// Reading

/** Reads an Overlay document (YAML or JSON). Any problem is a ConfigError naming the file and field. */
export function loadOverlay(file: string): OverlayDocument {
  return parseOverlay(file, readDocument(file, 'overlay'));
}

/** Checks the shape of a parsed Overlay document (and every target's syntax, so a typo fails before anything is applied). */
export function parseOverlay(file: string, raw: unknown): OverlayDocument {
  if (!isObject(raw)) throw new ConfigError(file, undefined, 'not an Overlay document (expected a mapping at the top level)');
  if (typeof raw.overlay !== 'string') throw new ConfigError(file, 'overlay', 'missing: not an OpenAPI Overlay document (expected overlay: 1.0.0)');
  if (!/^1\.0\.\d+$/.test(raw.overlay)) throw new ConfigError(file, 'overlay', `version ${raw.overlay} is not supported (use 1.0.x)`);
  if (!isObject(raw.info)) throw new ConfigError(file, 'info', 'missing');
  for (const f of ['title', 'version'] as const) {
    if (typeof raw.info[f] !== 'string') throw new ConfigError(file, `info.${f}`, 'missing (a string)');
  }
  if (!Array.isArray(raw.actions) || raw.actions.length === 0) throw new ConfigError(file, 'actions', 'missing: a list of at least one action');
  const actions = raw.actions.map((a: unknown, i): OverlayAction => {
    const at = `actions[${i}]`;
    if (!isObject(a)) throw new ConfigError(file, at, 'must be a mapping with target and update or remove');
    if (typeof a.target !== 'string') throw new ConfigError(file, `${at}.target`, 'missing (a JSONPath such as $.components.schemas.maskedPan)');
    try {
      parseJsonPath(a.target);
    } catch (e) {
      if (e instanceof JsonPathError) throw new ConfigError(file, `${at}.target`, `${a.target}: ${e.message}`);
      throw e;
    }
    if (a.remove !== undefined && typeof a.remove !== 'boolean') throw new ConfigError(file, `${at}.remove`, 'must be true or false');
    if (a.remove !== true && a.update === undefined) throw new ConfigError(file, at, 'has neither update nor remove: true');
    if (a.description !== undefined && typeof a.description !== 'string') throw new ConfigError(file, `${at}.description`, 'must be a string');
    return { target: a.target, description: a.description, update: a.update, remove: a.remove };
  });
  return { file, title: raw.info.title as string, version: raw.info.version as string, actions };
}

// ---------------------------------------------------------------------------------------------
// Applying

/**
 * Applies an overlay to a document and returns the result; the input is not changed.
 * `appliedTo` names the document in "matches nothing" errors (e.g. the --spec file).
 */
export function applyOverlay<T>(document: T, overlay: OverlayDocument, appliedTo?: string): T {
  // A tree copy: YAML aliases become separate nodes, as in JSONPath's data model,
  // so an update through one path never changes another path by sharing.
  const root = { $: cloneTree(document) };
  overlay.actions.forEach((action, i) => {
    const at = `actions[${i}]`;
    const matches = selectNodes(root.$, action.target);
    if (matches.length === 0) {
      const where = appliedTo ? ` in ${appliedTo}` : '';
      throw new ConfigError(overlay.file, `${at}.target`, `${action.target} matches nothing${where} (the overlay no longer fits the spec)`);
    }
    if (action.remove === true) {
      removeAll(matches, overlay.file, at);
      return;
    }
    for (const m of matches) {
      if (Array.isArray(m.value)) {
        m.value.push(cloneTree(action.update));
      } else if (isObject(m.value)) {
        if (!isObject(action.update)) {
          throw new ConfigError(overlay.file, `${at}.update`, `must be a mapping to merge into the object at ${m.path}`);
        }
        mergeInto(m.value, action.update);
      } else {
        const why = 'an update needs an object or an array (target the object that holds the value)';
        throw new ConfigError(overlay.file, `${at}.target`, `selects ${describe(m.value)} at ${m.path}; ${why}`);
      }
    }
  });
  return root.$ as T;
}

function removeAll(matches: NodeMatch[], file: string, at: string): void {
  // Array items go from the highest index down, so earlier removals do not shift later ones.
  const ordered = [...matches].sort((a, b) => (typeof b.key === 'number' ? b.key : -1) - (typeof a.key === 'number' ? a.key : -1));
  const done = new Set<string>();
  for (const m of ordered) {
    if (m.parent === undefined || m.key === undefined) throw new ConfigError(file, `${at}.target`, 'selects the document root, which cannot be removed');
    if (done.has(m.path)) continue;
    done.add(m.path);
    if (Array.isArray(m.parent) && typeof m.key === 'number') m.parent.splice(m.key, 1);
    else if (isObject(m.parent) && typeof m.key === 'string') delete m.parent[m.key];
  }
}

/** Objects merge key by key; every other value, arrays included, replaces what is there. */
function mergeInto(target: Record<string, unknown>, update: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(update)) {
    const current = target[key];
    if (isObject(value) && isObject(current)) mergeInto(current, value);
    else target[key] = cloneTree(value);
  }
}

function cloneTree(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(cloneTree);
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cloneTree(v)]));
  return value;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the string '${value.length > 40 ? `${value.slice(0, 39)}…` : value}'`;
  return `a ${typeof value}`;
}

// ---------------------------------------------------------------------------------------------
// JSONPath subset
//
// Overlay targets name nodes of a spec, step by step. Supported (RFC 9535 syntax):
//   $                      the document root
//   .name                  a member (letters, digits, _, $ and, leniently, -: $.info.x-logo)
//   ['name'] / ["name"]    a member by a quoted name (keys with /, {} or spaces), lists ['a','b']
//   [n]                    an array item (negative counts from the end), lists [0,2]
//   .* / [*]               every member of an object or item of an array
// Recursive descent (..), filters ([?…]) and slices ([a:b]) are not supported: a target that uses
// them is a configuration error naming the overlay file and action, before anything is applied.

export class JsonPathError extends Error {}

/** One step: the names (members or indexes) it selects, or every child for `*`. */
export type Segment = { type: 'names'; names: (string | number)[] } | { type: 'wildcard' };

/** One node a path selects, with what holds it (undefined for the root). */
export interface NodeMatch {
  value: unknown;
  parent?: Record<string, unknown> | unknown[];
  key?: string | number;
  /** Normalized path, e.g. $['paths']['/v1/card-accounts']['get']. */
  path: string;
}

const SUPPORTED = "supported: $, .name, ['name'], [n], .* and [*]";
const SHORTHAND = /^[A-Za-z_$][A-Za-z0-9_$-]*/;
const ESCAPES: Record<string, string> = { "'": "'", '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

/** Parses a JSONPath of the supported subset into segments; throws JsonPathError. */
export function parseJsonPath(path: string): Segment[] {
  let i = 0;
  const fail = (what: string): never => {
    throw new JsonPathError(`${what} at position ${i + 1}${i >= path.length ? ' (end of path)' : ` ('${path.slice(i, i + 12)}')`}`);
  };
  const unsupported = (what: string): never => fail(`${what} not supported (${SUPPORTED})`);
  const skipSpace = (): void => {
    while (path[i] === ' ') i++;
  };
  const quoted = (): string => {
    const mark = path[i++];
    let out = '';
    while (i < path.length && path[i] !== mark) {
      if (path[i] === '\\') {
        const escaped = ESCAPES[path[i + 1] ?? ''];
        if (escaped === undefined) fail('unknown escape in a quoted name');
        out += escaped;
        i += 2;
      } else out += path[i++];
    }
    if (path[i] !== mark) fail(`expected '${mark}'`);
    i++;
    return out;
  };
  const nameOrIndex = (): string | number => {
    const c = path[i];
    if (c === "'" || c === '"') return quoted();
    const m = /^-?\d+/.exec(path.slice(i));
    if (!m) return fail("expected a quoted name ('name'), an index or *");
    i += m[0].length;
    skipSpace();
    if (path[i] === ':') unsupported('slices ([a:b]) are');
    return Number(m[0]);
  };
  const bracket = (): Segment => {
    i++; // '['
    skipSpace();
    if (path[i] === '?') unsupported('filters ([?…]) are');
    let segment: Segment;
    if (path[i] === '*') {
      i++;
      segment = { type: 'wildcard' };
    } else {
      const names = [nameOrIndex()];
      for (skipSpace(); path[i] === ','; skipSpace()) {
        i++;
        skipSpace();
        names.push(nameOrIndex());
      }
      segment = { type: 'names', names };
    }
    skipSpace();
    if (path[i] !== ']') fail("expected ']'");
    i++;
    return segment;
  };

  if (path[0] !== '$') fail("expected '$'");
  i = 1;
  const segments: Segment[] = [];
  while (i < path.length) {
    if (path.startsWith('..', i)) unsupported('recursive descent (..) is');
    if (path[i] === '[') {
      segments.push(bracket());
    } else if (path[i] === '.') {
      i++;
      if (path[i] === '*') {
        i++;
        segments.push({ type: 'wildcard' });
        continue;
      }
      const m = SHORTHAND.exec(path.slice(i));
      if (!m) fail('expected a member name or *');
      else {
        i += m[0].length;
        segments.push({ type: 'names', names: [m[0]] });
      }
    } else fail("expected '.' or '['");
  }
  return segments;
}

/** Every node the path selects, in document order. Throws JsonPathError for paths outside the subset. */
export function selectNodes(root: unknown, path: string): NodeMatch[] {
  let nodes: NodeMatch[] = [{ value: root, path: '$' }];
  for (const segment of parseJsonPath(path)) nodes = nodes.flatMap((node) => select(node, segment));
  return nodes;
}

function children(node: NodeMatch): NodeMatch[] {
  const { value } = node;
  if (Array.isArray(value)) return value.map((v, i) => ({ value: v, parent: value, key: i, path: `${node.path}[${i}]` }));
  if (isObject(value)) return Object.entries(value).map(([k, v]) => ({ value: v, parent: value, key: k, path: `${node.path}['${quote(k)}']` }));
  return [];
}

/** A name inside ['…'] of a normalized path. */
const quote = (name: string): string => name.replace(/\\/g, '\\\\').replace(/'/g, "\\'");

function select(node: NodeMatch, segment: Segment): NodeMatch[] {
  const all = children(node);
  if (segment.type === 'wildcard') return all;
  const out: NodeMatch[] = [];
  for (const name of segment.names) {
    if (typeof name === 'number') {
      if (!Array.isArray(node.value)) continue;
      const hit = all[name < 0 ? node.value.length + name : name];
      if (hit) out.push(hit);
    } else if (isObject(node.value)) {
      const hit = all.find((c) => c.key === name);
      if (hit) out.push(hit);
    }
  }
  return out;
}
