// fast-xml-parser comes with allure (its JUnit reader); it checks the output is well-formed and
// that attribute values survive escaping.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { assert, describe, expect, it } from 'vitest';
import type { Finding, FindingsFile } from '../core/model.js';
import { summarize } from './findings.js';
import { escapeXmlAttr, escapeXmlText, renderJunit } from './junit.js';

const results: Finding[] = [
  {
    ruleId: 'readCardAccountDetails:/cardAccount/maskedPan:max-length',
    category: 'masked-pan',
    severity: 'critical',
    endpoint: 'GET /v1/card-accounts/{account-id}',
    status: 'failed',
    message: 'maskedPan has 19 characters; the profile allows 16',
    instancePath: '/cardAccount/maskedPan',
    specRef: 'BG IG §6.6',
    mandatory: true,
    title: 'maskedPan is at most 16 characters',
    violations: [{ message: 'maskedPan has 19 characters', instancePath: '/cardAccount/maskedPan' }],
  },
  {
    ruleId: 'r-broken',
    category: 'transport',
    severity: 'major',
    endpoint: 'GET /v1/card-accounts',
    status: 'broken',
    message: 'timeout after 10000 ms',
    specRef: '',
    mandatory: true,
    title: 'list answers',
  },
  {
    ruleId: 'r-skip',
    category: 'enum',
    severity: 'minor',
    endpoint: 'GET /v1/card-accounts',
    status: 'skipped',
    message: 'no transactions',
    specRef: '',
    mandatory: false,
    title: 'status enum',
  },
  {
    ruleId: 'r-pass',
    category: 'schema',
    severity: 'minor',
    endpoint: 'GET /v1/card-accounts',
    status: 'passed',
    message: '',
    specRef: '',
    mandatory: true,
    title: 'schema <ok> & "fine"',
  },
  {
    ruleId: 'r-nasty',
    category: 'semantic',
    severity: 'minor',
    endpoint: 'GET /v1/card-accounts',
    status: 'failed',
    message: `bad \u0000 byte \u001b[31m & <tag attr="x"> 'q'\nsecond line \ud800 lone`,
    specRef: '',
    mandatory: true,
    title: 'nasty',
  },
];

function file(id: string, rs: Finding[]): FindingsFile {
  return {
    tool: { name: 'card-conformance', version: '0.1.0' },
    spec: { title: 'NextGenPSD2', version: '1.3.12' },
    bank: { id, profile: 'berlin-group', baseUrl: 'https://bank.example/psd2?a=1&b=2' },
    startedAt: '2026-11-21T09:00:00.000Z',
    finishedAt: '2026-11-21T09:01:30.250Z',
    results: rs,
    summary: summarize(rs),
  };
}

const xml = renderJunit([file('bank-a', results), file('bank-b', results.slice(3, 4))]);

type Node = Record<string, unknown>;
// htmlEntities decodes the numeric references (&#10;) the attribute escaping writes; its replacement (entityDecoder) wants a decoder object.
const parsed = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // oxlint-disable-next-line typescript/no-deprecated -- see above
  htmlEntities: true,
  isArray: (name) => ['testsuite', 'testcase', 'property'].includes(name),
}).parse(xml) as {
  testsuites: Node & { testsuite: Array<Node & { testcase: Node[] }> };
};

describe('renderJunit', () => {
  it('is well-formed XML without characters XML 1.0 forbids', () => {
    // oxlint-disable-next-line typescript/no-deprecated -- its successor (fast-xml-validator) is not a dependency; 5.x still ships it
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).not.toMatch(/[\x00-\x08\x0b\x0c\x0e-\x1f]/);
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n')).toBe(true);
  });

  it('has one testsuite per bank with counts and timestamps', () => {
    const suites = parsed.testsuites.testsuite;
    expect(suites.map((s) => s['@name'])).toEqual(['bank-a', 'bank-b']);
    const a = suites[0];
    assert(a, 'no testsuite');
    expect([a['@tests'], a['@failures'], a['@errors'], a['@skipped']]).toEqual(['5', '2', '1', '1']);
    expect(a['@timestamp']).toBe('2026-11-21T09:00:00.000Z');
    expect(a['@time']).toBe('90.250');
    expect(parsed.testsuites['@tests']).toBe('6');
    expect(parsed.testsuites['@failures']).toBe('2');
    expect(xml).toContain('<property name="baseUrl" value="https://bank.example/psd2?a=1&amp;b=2"/>');
  });

  it('names test cases <bank>.<endpoint> / <title> [<ruleId>] and marks failures, errors and skips', () => {
    const cases = parsed.testsuites.testsuite[0]?.testcase ?? [];
    assert(cases.length === 5, `5 test cases, got ${cases.length}`);
    const [c0, c1, c2, c3] = cases;
    expect(c0?.['@classname']).toBe('bank-a.GET /v1/card-accounts/{account-id}');
    expect(c0?.['@name']).toBe('maskedPan is at most 16 characters [readCardAccountDetails:/cardAccount/maskedPan:max-length]');
    const failure = c0?.failure as Node; // why: the parser's output is untyped; the next lines check its fields
    expect(failure['@message']).toBe('maskedPan has 19 characters; the profile allows 16');
    expect(failure['@type']).toBe('critical');
    expect(failure['#text']).toContain('at: /cardAccount/maskedPan');
    expect(failure['#text']).toContain('  - /cardAccount/maskedPan: maskedPan has 19 characters');
    expect((c1?.error as Node | undefined)?.['@message']).toBe('timeout after 10000 ms');
    expect(c2).toHaveProperty('skipped');
    expect(c3?.['@name']).toBe('schema <ok> & "fine" [r-pass]');
    expect(c3).not.toHaveProperty('failure');
  });

  it('escapes markup, quotes, newlines and control characters in attributes', () => {
    const nasty = parsed.testsuites.testsuite[0]?.testcase[4]?.failure as Node; // why: untyped parser output, checked below
    expect(nasty['@message']).toBe(`bad \\u0000 byte \\u001b[31m & <tag attr="x"> 'q'\nsecond line \\ud800 lone`);
  });
});

describe('escaping helpers', () => {
  it('escape text and attributes', () => {
    expect(escapeXmlText('a<b>&c')).toBe('a&lt;b&gt;&amp;c');
    expect(escapeXmlAttr(`"'\t\n\r`)).toBe('&quot;&apos;&#9;&#10;&#13;');
    expect(escapeXmlText('\u0007\uffff')).toBe('\\u0007\\uffff');
    expect(escapeXmlText('😀')).toBe('😀');
  });
});
