// Waivers (`run --waivers FILE`): unit cases on crafted findings, and the CLI as a user runs it
// against the reference bank with maskedPan padded to 36 characters (--defects masked-pan-too-long).
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding, FindingsFile } from '../core/model.js';
import { loadWaiversFile } from '../config/waivers-file.js';
import { ConfigError } from '../config/types.js';
import { applyWaivers, globMatch, hasUnwaivedMandatoryFailure, renderWaiversMarkdown } from '../reporters/waivers.js';
import { renderJunit } from '../reporters/junit.js';
import { cli } from './fixtures/cli.js';

const work = mkdtempSync(join(tmpdir(), 'cc-waivers-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const file = (name: string, text: string): string => {
  const p = join(work, name);
  writeFileSync(p, text);
  return p;
};

const finding = (ruleId: string, status: Finding['status'], mandatory = true): Finding => ({
  ruleId,
  status,
  mandatory,
  category: 'masked-pan',
  severity: 'major',
  endpoint: 'GET /v1/card-accounts',
  message: status === 'failed' ? 'broken rule' : '',
  specRef: 'x',
  title: ruleId,
  checked: 1,
});
const bank = (id: string, results: Finding[]): FindingsFile => ({
  tool: { name: 'card-conformance', version: '0' },
  spec: { title: 's', version: '1' },
  bank: { id, profile: 'berlin-group', baseUrl: 'http://x' },
  startedAt: '',
  finishedAt: '',
  results,
  summary: { passed: 0, failed: 0, broken: 0, skipped: 0 },
});

describe('waivers file', () => {
  it('reads the documented form', () => {
    const f = loadWaiversFile(
      file(
        'ok.yaml',
        'waivers:\n  - rule: "readCardAccountDetails:/cardAccount/maskedPan:*"\n    bank: "sr-bank-*"\n    reason: "maskedPan padded to 19 characters, fix planned"\n    ticket: "PSD2-1234"\n    expires: 2027-01-31\n',
      ),
    );
    expect(f.waivers).toEqual([
      {
        rule: 'readCardAccountDetails:/cardAccount/maskedPan:*',
        bank: 'sr-bank-*',
        reason: 'maskedPan padded to 19 characters, fix planned',
        ticket: 'PSD2-1234',
        expires: '2027-01-31',
      },
    ]);
  });

  it.each([
    ['no reason', 'waivers:\n  - rule: a\n    expires: 2027-01-31\n', 'waivers[0].reason: required'],
    ['bad date', 'waivers:\n  - rule: a\n    reason: r\n    expires: 31.01.2027\n', 'waivers[0].expires: must be a date'],
    ['no such day', 'waivers:\n  - rule: a\n    reason: r\n    expires: 2027-02-30\n', 'waivers[0].expires'],
    ['unknown field', 'waivers:\n  - rule: a\n    reason: r\n    expires: 2027-01-31\n    until: x\n', 'waivers[0].until: unknown field'],
    ['not YAML', 'waivers: [\n', 'not valid YAML'],
  ])('%s: a ConfigError naming the file and the field', (_name, text, message) => {
    const p = file('bad.yaml', text);
    expect(() => loadWaiversFile(p)).toThrow(ConfigError);
    expect(() => loadWaiversFile(p)).toThrow(`${p}: ${message}`);
  });

  it('globs match whole ids, with * and ?', () => {
    expect(globMatch('readCardAccountDetails:/cardAccount/maskedPan:*', 'readCardAccountDetails:/cardAccount/maskedPan:max-length')).toBe(true);
    expect(globMatch('sr-bank-?', 'sr-bank-1')).toBe(true);
    expect(globMatch('sr-bank', 'sr-bank-1')).toBe(false);
    expect(globMatch('a.b', 'axb')).toBe(false);
  });
});

describe('applying waivers to findings', () => {
  const today = '2026-11-30';
  const files = (): FindingsFile[] => [
    bank('sr-bank-1', [finding('r:max-length', 'failed'), finding('r:masking', 'passed'), finding('r:other', 'failed')]),
    bank('other-bank', [finding('r:max-length', 'failed')]),
  ];

  it('an active waiver marks the failure waived, for the banks it names only', () => {
    const f = files();
    const r = applyWaivers(f, 'w.yaml', [{ rule: 'r:max-*', bank: 'sr-bank-*', reason: 'padded', ticket: 'T-1', expires: '2026-11-30' }], today);
    expect(f[0]!.results[0]!.waived).toEqual({ reason: 'padded', ticket: 'T-1', expires: '2026-11-30' });
    expect(f[1]!.results[0]!.waived).toBeUndefined();
    expect(r.applied).toHaveLength(1);
    expect(r.expired).toEqual([]);
    // r:other and other-bank's failure remain
    expect(hasUnwaivedMandatoryFailure(f)).toBe(true);
    const all = applyWaivers(f, 'w.yaml', [{ rule: '*', reason: 'all', expires: '2099-01-01' }], today);
    expect(all.applied[0]!.covered).toHaveLength(2);
    expect(hasUnwaivedMandatoryFailure(f)).toBe(false);
  });

  it('an expired waiver waives nothing and is reported', () => {
    const f = files();
    const r = applyWaivers(f, 'w.yaml', [{ rule: 'r:max-length', reason: 'old', expires: '2026-11-29' }], today);
    expect(f.flatMap((b) => b.results).some((x) => x.waived)).toBe(false);
    expect(r.expired).toHaveLength(1);
    expect(r.expired[0]!.covered.map((c) => c.bankId)).toEqual(['sr-bank-1', 'other-bank']);
    expect(renderWaiversMarkdown(r)).toMatch(/expired: fails the run/);
  });

  it('a waiver whose rule passes, or that matches no rule, is stale', () => {
    const r = applyWaivers(
      files(),
      'w.yaml',
      [
        { rule: 'r:masking', reason: 'fixed since', expires: '2099-01-01' },
        { rule: 'gone:*', reason: 'renamed', expires: '2099-01-01' },
        { rule: '*', bank: 'not-in-this-run', reason: 'other night', expires: '2099-01-01' },
      ],
      today,
    );
    expect(r.stale.map((s) => [s.index, s.why])).toEqual([
      [0, 'passing'],
      [1, 'unmatched'],
    ]);
    const md = renderWaiversMarkdown(r);
    expect(md).toMatch(/stale: the rule passes now/);
    expect(md).toMatch(/stale: matches no rule/);
  });

  it('JUnit shows a waived failure as skipped with the reason', () => {
    const f = files();
    applyWaivers(f, 'w.yaml', [{ rule: 'r:max-length', reason: 'padded <19>', ticket: 'T-1', expires: '2099-01-01' }], today);
    const xml = renderJunit(f);
    expect(xml).toContain('<skipped message="waived: padded &lt;19&gt; (T-1), until 2099-01-01">');
    expect(xml).toMatch(/<testsuite name="sr-bank-1" tests="3" failures="1" errors="0" skipped="1"/);
  });
});

describe('run --waivers (the CLI against the reference bank)', () => {
  const run = (name: string, waivers: string, extra: string[] = []) => {
    const out = join(work, name);
    // --certify needs the HTML report (its bundle holds it); the other runs skip it.
    const report = extra.includes('--certify') ? [] : ['--no-report'];
    return {
      out,
      result: cli([
        'run',
        '--defects',
        'masked-pan-too-long',
        '--only',
        'masked-pan',
        ...report,
        '--out',
        out,
        '--waivers',
        file(`${name}.yaml`, waivers),
        ...extra,
      ]),
    };
  };
  const active =
    'waivers:\n  - rule: "*:max-length"\n    reason: "maskedPan padded to 36, fix planned"\n    ticket: "PSD2-1234"\n    expires: 2099-01-31\n' +
    '  - rule: "getCardAccountList:/cardAccounts/*/maskedPan:masking"\n    reason: "was unmasked"\n    expires: 2099-01-31\n' +
    '  - rule: "no-such-operation:*"\n    reason: "renamed"\n    expires: 2099-01-31\n';

  it('active: every failure waived, exit 0, waived in findings.json, JUnit, Allure, console and summary; stale ones reported', async () => {
    const { out, result } = run('active', active);
    const r = await result;
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as FindingsFile;
    const failed = findings.results.filter((x) => x.status === 'failed');
    expect(failed.length).toBeGreaterThan(5);
    for (const f of failed) expect(f.waived).toEqual({ reason: 'maskedPan padded to 36, fix planned', ticket: 'PSD2-1234', expires: '2099-01-31' });
    expect(findings.results.filter((x) => x.status === 'passed').every((x) => !x.waived)).toBe(true);
    expect(r.stdout).toMatch(new RegExp(`Waived: ${failed.length} results by 1 waiver`));
    expect(r.stdout).toMatch(/stale +waivers\[1\] .*every rule it matches passes now/);
    expect(r.stdout).toMatch(/stale +waivers\[2\] .*matches no rule/);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(summary).toMatch(/## Waivers/);
    expect(summary).toMatch(/waivers\[1\].*stale: the rule passes now/);
    expect(summary).toMatch(/waivers\[2\].*stale: matches no rule/);
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain(`failures="0" errors="0" skipped="${failed.length}"`);
    expect(junit).toContain('waived: maskedPan padded to 36, fix planned (PSD2-1234), until 2099-01-31');
    const allure = readdirSync(join(out, 'allure-results'))
      .filter((n) => n.endsWith('-result.json'))
      .map(
        (n) =>
          JSON.parse(readFileSync(join(out, 'allure-results', n), 'utf8')) as {
            status: string;
            statusDetails?: { message?: string };
            labels: { name: string; value: string }[];
          },
      );
    const waivedInAllure = allure.filter((a) => a.labels.some((l) => l.name === 'tag' && l.value === 'waived'));
    expect(waivedInAllure).toHaveLength(failed.length);
    for (const a of waivedInAllure) {
      expect(a.status).toBe('skipped');
      expect(a.statusDetails?.message).toMatch(/^waived: maskedPan padded to 36/);
    }
  });

  it('expired: the failures count again and the run fails, saying so', async () => {
    // The previous run's output as the baseline: the same failures, no longer waived, are still failing (not new).
    const { out, result } = run('expired', 'waivers:\n  - rule: "*:max-length"\n    reason: "was to be fixed"\n    expires: 2020-01-31\n', [
      '--baseline',
      join(work, 'active', 'findings.json'),
    ]);
    const r = await result;
    expect(r.code, r.stdout + r.stderr).toBe(1);
    expect(r.stdout).toMatch(/EXPIRED +waivers\[0\] \*:max-length, expires 2020-01-31: the run fails/);
    const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as FindingsFile;
    expect(findings.results.some((x) => x.waived)).toBe(false);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(/expired: fails the run/);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(
      /## Changes since the baseline\n\nNo new failures \(fixed 0, still failing \d+, newly waived 0\)/,
    );
    const diff = JSON.parse(readFileSync(join(out, 'diff.json'), 'utf8')) as { regression: boolean; totals: { stillFailing: number } };
    expect(diff.regression).toBe(false);
    expect(diff.totals.stillFailing).toBe(findings.results.filter((x) => x.status === 'failed').length);
  });

  it('--certify refuses a waiver on a mandatory rule: exit 2 naming the file and the field, nothing run', async () => {
    const { out, result } = run('certify', active, ['--certify']);
    const r = await result;
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/certify\.yaml: waivers\[0\]\.rule: '\*:max-length' covers the mandatory rule .*--certify/);
    expect(r.stdout).not.toMatch(/requests in/);
    expect(() => readdirSync(out)).toThrow(/ENOENT/);
  });

  it('a bad waivers file: exit 2 naming the file and the field, before anything is sent', async () => {
    const { out, result } = run('bad', 'waivers:\n  - rule: "*"\n    reason: r\n    expires: tomorrow\n');
    const r = await result;
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml: waivers\[0\]\.expires: must be a date YYYY-MM-DD/);
    expect(() => readdirSync(out)).toThrow(/ENOENT/);
  });
});
