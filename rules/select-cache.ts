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
  constructor(private readonly parent: Instance, private readonly token: string, readonly value: unknown) {}
  get pointer(): string {
    this.#pointer ??= `${this.parent.pointer}/${this.token}`;
    return this.#pointer;
  }
}

/** One segment of selectAll (rules/select.ts) applied to instances already selected. */
function step(current: readonly Instance[], seg: string): Instance[] {
  const next: Instance[] = [];
  const m = seg === '*' ? null : FILTERED.exec(seg);
  const token = escapeToken(seg);
  for (const inst of current) {
    const value = inst.value;
    if (seg === '*') {
      if (Array.isArray(value)) value.forEach((v, i) => next.push(new LazyInstance(inst, String(i), v)));
    } else if (m && isRecord(value) && Array.isArray(value[m[1]!])) {
      // As selectAll: the filtered list keeps its items' indices (the groups always take part, so the `!`s hold).
      const list = value[m[1]!] as unknown[];
      const kept: unknown[] = new Array(list.length);
      list.forEach((item, i) => { if (isRecord(item) && item[m[2]!] === m[3]!) kept[i] = item; });
      next.push(new LazyInstance(inst, escapeToken(m[1]!), kept));
    } else if (isRecord(value) && Object.prototype.hasOwnProperty.call(value, seg)) {
      next.push(new LazyInstance(inst, token, value[seg]));
    }
  }
  return next;
}

/**
 * selectAll, computed once per (body, path), each path from its parent's selection: the paths of an
 * operation's rules share their prefixes (`/cardTransactions/booked/*`), so the body is walked once
 * down each prefix, not once per rule.
 */
export function selectShared(root: unknown, path: string): readonly Instance[] {
  if (typeof root !== 'object' || root === null) return selectAll(root, path);
  let byPath = cache.get(root);
  if (!byPath) { byPath = new Map(); cache.set(root, byPath); }
  const hit = byPath.get(path);
  if (hit) return hit;
  const segments = splitPath(path);
  if (segments.length === 0) {
    const top = [{ pointer: '', value: root }];
    byPath.set(path, top);
    return top;
  }
  // The parent's key is its own canonical path; a token with an escaped "/" stays one segment.
  const parentPath = segments.slice(0, -1).map((t) => `/${escapeToken(t)}`).join('');
  const found = step(selectShared(root, parentPath), segments[segments.length - 1]!);
  byPath.set(path, found);
  return found;
}

const compiled = new Map<string, RegExp>();

/** A pattern of the spec compiled once for the whole process (rules of every bank share them). */
export function patternOf(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) { re = new RegExp(source); compiled.set(source, re); }
  return re;
}
