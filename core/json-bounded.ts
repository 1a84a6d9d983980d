// JSON.parse with a nesting cap checked first: a bank's body of 100,000 nested arrays would
// otherwise cost a gigabyte (or the stack) before any rule sees it.

/** Deeper bodies than this are not parsed; no card-account response comes close. */
export const MAX_JSON_DEPTH = 64;

export type BoundedJson = { ok: true; value: unknown } | { ok: false; error: string };

/**
 * The deepest nesting of arrays and objects in `text`, counted outside strings, stopping as soon
 * as it exceeds `cap` (so the scan is linear and allocates nothing).
 */
export function jsonDepth(text: string, cap = Infinity): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // A string is skipped with indexOf (most of a body's characters are in strings): its end is
      // the next quote not escaped, i.e. not preceded by an odd number of backslashes.
      let end = text.indexOf('"', i + 1);
      while (end !== -1) {
        let slashes = 0;
        while (text.charCodeAt(end - 1 - slashes) === 0x5c) slashes++;
        if (slashes % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      if (end === -1) return max; // an unterminated string: JSON.parse reports it
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > cap) return max;
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return max;
}

/** Parses `text` unless it nests deeper than `maxDepth`; never throws. */
export function parseJsonBounded(text: string, maxDepth = MAX_JSON_DEPTH): BoundedJson {
  if (jsonDepth(text, maxDepth) > maxDepth) {
    return { ok: false, error: `the body nests arrays or objects more than ${maxDepth} levels deep, so it was not parsed` };
  }
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
