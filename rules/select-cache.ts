// One selection per body and path, shared by every rule: the currency, minor-units, required,
// max-length and masking rules of an operation ask for the same few paths of the same body, and
// each selection walks the body and builds a pointer per instance. Keyed by the parsed body
// (a WeakMap: a body dropped after judging takes its selections with it). The arrays returned are
// shared: callers read them, never change them.
import { isRecord, selectAll, splitPath, type Instance } from './select.js';

const cache = new WeakMap<object, Map<string, readonly Instance[]>>();

const escapeToken = (t: string): string => (t.includes('~') || t.includes('/') ? t.replace(/~/g, '~0').replace(/\//g, '~1') : t);
const FILTERED = /^(.+)\[([^=\]]+)=([^\]]*)\]$/;

/**
 * An instance whose pointer is built only when asked for (a violation's path): a page of 10,000
 * transactions has hundreds of thousands of instances and few violations.
 */
class LazyInstance implements Instance {
  #pointer: string | undefined;
  constructor(
    private readonly parent: Instance,
    private readonly token: string,
    readonly value: unknown,
  ) {}
  get pointer(): string {
    this.#pointer ??= `${this.parent.pointer}/${this.token}`;
    return this.#pointer;
  }
}

/** One segment of selectAll (rules/select.ts) applied to instances already selected. */
function step(current: readonly Instance[], seg: Segment): Instance[] {
  const next: Instance[] = [];
  const { name, token, filter } = seg;
  for (const inst of current) {
    const value = inst.value;
    if (name === '*') {
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) if (i in value) next.push(new LazyInstance(inst, String(i), value[i]));
    } else if (filter && isRecord(value) && Array.isArray(value[filter.list])) {
      // As selectAll: the filtered list keeps its items' indices.
      const list = value[filter.list] as unknown[];
      const kept: unknown[] = new Array(list.length);
      list.forEach((item, i) => {
        if (isRecord(item) && item[filter.key] === filter.wanted) kept[i] = item;
      });
      next.push(new LazyInstance(inst, escapeToken(filter.list), kept));
    } else if (isRecord(value) && Object.prototype.hasOwnProperty.call(value, name)) {
      next.push(new LazyInstance(inst, token, value[name]));
    }
  }
  return next;
}

/** A path's last segment, parsed once: its name, its escaped token, its `[key=value]` filter. */
interface Segment {
  name: string;
  token: string;
  filter?: { list: string; key: string; wanted: string };
}
/** A path split once: its parent's canonical path and its last segment (none for the body itself). */
interface ParsedPath {
  parent: string;
  last?: Segment;
}

const parsed = new Map<string, ParsedPath>();
/** The catalogue has a few hundred distinct paths; past this many, paths are parsed on every call. */
const MAX_PARSED = 10_000;

function parsePath(path: string): ParsedPath {
  const known = parsed.get(path);
  if (known) return known;
  const segments = splitPath(path);
  const name = segments[segments.length - 1];
  let p: ParsedPath = { parent: '' };
  if (name !== undefined) {
    // The parent's key is its own canonical path; a token with an escaped "/" stays one segment.
    const parent = segments
      .slice(0, -1)
      .map((t) => `/${escapeToken(t)}`)
      .join('');
    // The pattern's three groups always take part in a match; the '' defaults never apply.
    const m = name === '*' ? null : FILTERED.exec(name);
    p = { parent, last: { name, token: escapeToken(name), ...(m ? { filter: { list: m[1] ?? '', key: m[2] ?? '', wanted: m[3] ?? '' } } : {}) } };
  }
  if (parsed.size < MAX_PARSED) parsed.set(path, p);
  return p;
}

/**
 * selectAll, computed once per (body, path), each path from its parent's selection: the paths of an
 * operation's rules share their prefixes (`/cardTransactions/booked/*`), so the body is walked once
 * down each prefix, not once per rule: the selections of a body form a trie of its rules' paths,
 * built on demand, each node of the body visited once per distinct path that reaches it.
 */
export function selectShared(root: unknown, path: string): readonly Instance[] {
  if (typeof root !== 'object' || root === null) return selectAll(root, path);
  let byPath = cache.get(root);
  if (!byPath) {
    byPath = new Map();
    cache.set(root, byPath);
  }
  const hit = byPath.get(path);
  if (hit) return hit;
  const { parent, last } = parsePath(path);
  const found = last ? step(selectShared(root, parent), last) : [{ pointer: '', value: root }];
  byPath.set(path, found);
  return found;
}

const compiled = new Map<string, RegExp>();

/** A pattern of the spec compiled once for the whole process (rules of every bank share them). */
export function patternOf(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    re = new RegExp(source);
    compiled.set(source, re);
  }
  return re;
}
