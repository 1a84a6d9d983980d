import { describe, expect, it } from 'vitest';
import { jsonDepth, MAX_JSON_DEPTH, parseJsonBounded } from './json-bounded.js';

describe('jsonDepth', () => {
  it('counts nesting outside strings only', () => {
    expect(jsonDepth('{"a":[1,{"b":[]}]}')).toBe(4);
    expect(jsonDepth('"[[[[{{{"')).toBe(0);
    expect(jsonDepth('{"a":"\\"[[[["}')).toBe(1);
    expect(jsonDepth('42')).toBe(0);
    expect(jsonDepth('[{"a":"\\\\"},["\\\\\\"]"]]')).toBe(2);
  });
  it('stops scanning once past the cap', () => {
    expect(jsonDepth('['.repeat(1000), 10)).toBe(11);
  });
});

describe('parseJsonBounded', () => {
  it('parses ordinary bodies', () => {
    expect(parseJsonBounded('{"cardAccounts":[{"x":["a"]}]}')).toEqual({ ok: true, value: { cardAccounts: [{ x: ['a'] }] } });
  });
  it('parses a body exactly at the cap and refuses one level more, without parsing it', () => {
    const at = '['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH);
    expect(parseJsonBounded(at).ok).toBe(true);
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const r = parseJsonBounded(deep);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toContain(`more than ${MAX_JSON_DEPTH} levels deep`);
  });
  it('reports a syntax error as an error, not a throw', () => {
    const r = parseJsonBounded('{"a":');
    expect(r.ok).toBe(false);
  });
});
