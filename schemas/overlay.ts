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
// JSONPath (RFC 9535) subset: `$`, `.name`, `['name']` / `["name"]` (and lists of them),
// `[n]`, `.*` / `[*]`, recursive descent `..name` / `..*` / `..['name']`, and filters
// `[?@.a.b == 'x']` / `[?(@.a == 1 && @.b)]` with ==, !=, existence, !, && and ||.
// As a lenient extra, `.name` may contain `-` (`$.info.x-logo`), as overlay authors write it.
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
    return { target: a.target, description: a.description as string | undefined, update: a.update, remove: a.remove as boolean | undefined };
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
  const root = { $: cloneTree(document) as unknown };
  overlay.actions.forEach((action, i) => {
    const at = `actions[${i}]`;
    const matches = selectNodes(root.$, action.target);
    if (matches.length === 0) {
      throw new ConfigError(overlay.file, `${at}.target`, `${action.target} matches nothing${appliedTo ? ` in ${appliedTo}` : ''} (the overlay no longer fits the spec)`);
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
        throw new ConfigError(overlay.file, `${at}.target`, `selects ${describe(m.value)} at ${m.path}; an update needs an object or an array (target the object that holds the value)`);
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

export class JsonPathError extends Error {}

type Literal = string | number | boolean | null;
type Filter =
  | { op: 'and' | 'or'; left: Filter; right: Filter }
  | { op: 'not'; operand: Filter }
  | { op: 'exists'; path: (string | number)[] }
  | { op: '==' | '!='; path: (string | number)[]; value: Literal };

type Selector =
  | { type: 'names'; names: (string | number)[] }
  | { type: 'wildcard' }
  | { type: 'filter'; filter: Filter };

export interface Segment {
  /** true for `..`: the selector applies to the node and all its descendants. */
  descendant: boolean;
  selector: Selector;
}

/** One node a path selects, with what holds it (undefined for the root). */
export interface NodeMatch {
  value: unknown;
  parent?: Record<string, unknown> | unknown[];
  key?: string | number;
  /** Normalized path, e.g. $['paths']['/v1/card-accounts']['get']. */
  path: string;
}

const SHORTHAND = /^[A-Za-z_$][A-Za-z0-9_$-]*/;

/** Parses a JSONPath of the supported subset into segments; throws JsonPathError. */
export function parseJsonPath(path: string): Segment[] {
  const p = new Parser(path);
  p.expect('$');
  const segments: Segment[] = [];
  while (!p.done()) segments.push(p.segment());
  return segments;
}

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  done(): boolean { return this.i >= this.text.length; }
  private peek(n = 0): string { return this.text[this.i + n] ?? ''; }
  private fail(what: string): never {
    throw new JsonPathError(`${what} at position ${this.i + 1}${this.done() ? ' (end of path)' : ` ('${this.text.slice(this.i, this.i + 12)}')`}`);
  }
  expect(s: string): void {
    if (!this.text.startsWith(s, this.i)) this.fail(`expected '${s}'`);
    this.i += s.length;
  }
  private skipSpace(): void { while (this.peek() === ' ') this.i++; }

  segment(): Segment {
    if (this.text.startsWith('..', this.i)) {
      this.i += 2;
      if (this.peek() === '[') return { descendant: true, selector: this.bracket() };
      return { descendant: true, selector: this.dotted() };
    }
    if (this.peek() === '.') {
      this.i++;
      return { descendant: false, selector: this.dotted() };
    }
    if (this.peek() === '[') return { descendant: false, selector: this.bracket() };
    return this.fail("expected '.', '..' or '['");
  }

  private dotted(): Selector {
    if (this.peek() === '*') { this.i++; return { type: 'wildcard' }; }
    const m = SHORTHAND.exec(this.text.slice(this.i));
    if (!m) return this.fail('expected a member name or *');
    this.i += m[0].length;
    return { type: 'names', names: [m[0]] };
  }

  private bracket(): Selector {
    this.expect('[');
    this.skipSpace();
    let selector: Selector;
    if (this.peek() === '*') {
      this.i++;
      selector = { type: 'wildcard' };
    } else if (this.peek() === '?') {
      this.i++;
      this.skipSpace();
      selector = { type: 'filter', filter: this.orExpr() };
    } else {
      const names: (string | number)[] = [this.nameOrIndex()];
      this.skipSpace();
      while (this.peek() === ',') {
        this.i++;
        this.skipSpace();
        names.push(this.nameOrIndex());
        this.skipSpace();
      }
      selector = { type: 'names', names };
    }
    this.skipSpace();
    this.expect(']');
    return selector;
  }

  private nameOrIndex(): string | number {
    const c = this.peek();
    if (c === "'" || c === '"') return this.quoted();
    const m = /^-?\d+/.exec(this.text.slice(this.i));
    if (!m) return this.fail("expected a quoted name ('name'), an index, * or ?");
    this.i += m[0].length;
    return Number(m[0]);
  }

  private quoted(): string {
    const quote = this.peek();
    this.i++;
    let out = '';
    while (!this.done() && this.peek() !== quote) {
      if (this.peek() === '\\') {
        const next = this.peek(1);
        const escapes: Record<string, string> = { "'": "'", '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
        if (!(next in escapes)) this.fail('unknown escape in a quoted name');
        out += escapes[next];
        this.i += 2;
      } else {
        out += this.peek();
        this.i++;
      }
    }
    this.expect(quote);
    return out;
  }

  // Filters: or := and ('||' and)*; and := unary ('&&' unary)*; unary := '!' unary | '(' or ')' | comparison
  private orExpr(): Filter {
    let left = this.andExpr();
    for (this.skipSpace(); this.text.startsWith('||', this.i); this.skipSpace()) {
      this.i += 2;
      left = { op: 'or', left, right: this.andExpr() };
    }
    return left;
  }

  private andExpr(): Filter {
    let left = this.unary();
    for (this.skipSpace(); this.text.startsWith('&&', this.i); this.skipSpace()) {
      this.i += 2;
      left = { op: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): Filter {
    this.skipSpace();
    if (this.peek() === '!' && this.peek(1) !== '=') {
      this.i++;
      return { op: 'not', operand: this.unary() };
    }
    if (this.peek() === '(') {
      this.i++;
      const inner = this.orExpr();
      this.skipSpace();
      this.expect(')');
      return inner;
    }
    const path = this.relativePath();
    this.skipSpace();
    const op = this.text.startsWith('==', this.i) ? '==' : this.text.startsWith('!=', this.i) ? '!=' : undefined;
    if (!op) return { op: 'exists', path };
    this.i += 2;
    this.skipSpace();
    return { op, path, value: this.literal() };
  }

  private relativePath(): (string | number)[] {
    this.expect('@');
    const path: (string | number)[] = [];
    for (;;) {
      if (this.peek() === '.' && this.peek(1) !== '.') {
        this.i++;
        const m = SHORTHAND.exec(this.text.slice(this.i));
        if (!m) this.fail('expected a member name after @.');
        this.i += m[0].length;
        path.push(m[0]);
      } else if (this.peek() === '[') {
        this.i++;
        this.skipSpace();
        path.push(this.nameOrIndex());
        this.skipSpace();
        this.expect(']');
      } else {
        return path;
      }
    }
  }

  private literal(): Literal {
    const c = this.peek();
    if (c === "'" || c === '"') return this.quoted();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.i)) { this.i += word.length; return value; }
    }
    const m = /^-?\d+(\.\d+)?([eE][-+]?\d+)?/.exec(this.text.slice(this.i));
    if (!m) return this.fail('expected a literal (a quoted string, a number, true, false or null)');
    this.i += m[0].length;
    return Number(m[0]);
  }
}

/** Every node the path selects, in document order. Throws JsonPathError for paths outside the subset. */
export function selectNodes(root: unknown, path: string): NodeMatch[] {
  let nodes: NodeMatch[] = [{ value: root, path: '$' }];
  for (const segment of parseJsonPath(path)) {
    const next: NodeMatch[] = [];
    for (const node of nodes) {
      const scope = segment.descendant ? selfAndDescendants(node) : [node];
      for (const n of scope) next.push(...applySelector(n, segment.selector));
    }
    nodes = next;
  }
  return nodes;
}

function children(node: NodeMatch): NodeMatch[] {
  const { value } = node;
  if (Array.isArray(value)) return value.map((v, i) => ({ value: v, parent: value, key: i, path: `${node.path}[${i}]` }));
  if (isObject(value)) return Object.entries(value).map(([k, v]) => ({ value: v, parent: value, key: k, path: `${node.path}['${k.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']` }));
  return [];
}

function selfAndDescendants(node: NodeMatch): NodeMatch[] {
  const out: NodeMatch[] = [node];
  for (const child of children(node)) out.push(...selfAndDescendants(child));
  return out;
}

function applySelector(node: NodeMatch, selector: Selector): NodeMatch[] {
  if (selector.type === 'wildcard') return children(node);
  if (selector.type === 'filter') return children(node).filter((c) => test(selector.filter, c.value));
  const out: NodeMatch[] = [];
  const all = children(node);
  for (const name of selector.names) {
    if (typeof name === 'number') {
      if (!Array.isArray(node.value)) continue;
      const index = name < 0 ? node.value.length + name : name;
      const hit = all[index];
      if (hit) out.push(hit);
    } else if (isObject(node.value)) {
      const hit = all.find((c) => c.key === name);
      if (hit) out.push(hit);
    }
  }
  return out;
}

const NOTHING = Symbol('nothing');

function resolve(value: unknown, path: (string | number)[]): unknown {
  let cur: unknown = value;
  for (const step of path) {
    if (typeof step === 'number' && Array.isArray(cur)) cur = step < 0 ? cur[cur.length + step] : cur[step];
    else if (typeof step === 'string' && isObject(cur) && Object.prototype.hasOwnProperty.call(cur, step)) cur = cur[step];
    else return NOTHING;
    if (cur === undefined) return NOTHING;
  }
  return cur;
}

function test(filter: Filter, value: unknown): boolean {
  switch (filter.op) {
    case 'and': return test(filter.left, value) && test(filter.right, value);
    case 'or': return test(filter.left, value) || test(filter.right, value);
    case 'not': return !test(filter.operand, value);
    case 'exists': return resolve(value, filter.path) !== NOTHING;
    case '==': return resolve(value, filter.path) === filter.value;
    case '!=': return resolve(value, filter.path) !== filter.value;
  }
}
