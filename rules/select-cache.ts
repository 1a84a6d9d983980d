// One selection per body and path, shared by every rule: the currency, minor-units, required,
// max-length and masking rules of an operation ask for the same few paths of the same body, and
// each selection walks the body and builds a pointer per instance. Keyed by the parsed body
// (a WeakMap: a body dropped after judging takes its selections with it). The arrays returned are
// shared: callers read them, never change them.
import { selectAll, type Instance } from './select.js';

const cache = new WeakMap<object, Map<string, readonly Instance[]>>();

/** selectAll, computed once per (body, path). */
export function selectShared(root: unknown, path: string): readonly Instance[] {
  if (typeof root !== 'object' || root === null) return selectAll(root, path);
  let byPath = cache.get(root);
  if (!byPath) { byPath = new Map(); cache.set(root, byPath); }
  let found = byPath.get(path);
  if (!found) { found = selectAll(root, path); byPath.set(path, found); }
  return found;
}

const compiled = new Map<string, RegExp>();

/** A pattern of the spec compiled once for the whole process (rules of every bank share them). */
export function patternOf(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) { re = new RegExp(source); compiled.set(source, re); }
  return re;
}
