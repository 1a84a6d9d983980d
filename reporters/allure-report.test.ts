import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Stage, Status, type Label, type TestResult } from 'allure-js-commons';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findAllureCli, findPolyfill, generateAllureReport, stripAnalytics } from './allure-report.js';

const REPORT_NAME = 'Card conformance — unit test';

function labels(bank: string, endpoint: string, category: string, severity: string, ruleId: string): Label[] {
  return [
    { name: 'parentSuite', value: bank },
    { name: 'suite', value: endpoint },
    { name: 'subSuite', value: category },
    { name: 'epic', value: bank },
    { name: 'feature', value: endpoint },
    { name: 'story', value: category },
    { name: 'severity', value: severity },
    { name: 'ruleId', value: ruleId },
  ];
}

/** A handful of results in allure-js-commons' format, as allure-vitest writes them. */
function writeResults(dir: string): number {
  mkdirSync(dir, { recursive: true });
  const t0 = Date.parse('2026-11-21T09:00:00Z');
  const write = (r: TestResult): void => writeFileSync(join(dir, `${r.uuid}-result.json`), JSON.stringify(r));
  const base = (n: number, ruleId: string, title: string, status: Status, endpoint: string, category: string, severity: string): TestResult => ({
    uuid: `00000000-0000-4000-8000-00000000000${n}`,
    historyId: `hist-${ruleId}`,
    testCaseId: `case-${ruleId}`,
    name: `${title} [${ruleId}]`,
    fullName: `card-conformance:bank-a:${ruleId}`,
    status,
    statusDetails: {},
    stage: Stage.FINISHED,
    labels: labels('bank-a', endpoint, category, severity, ruleId),
    links: [{ name: 'spec', url: 'https://www.berlin-group.org/nextgenpsd2-downloads', type: 'link' }],
    parameters: [
      { name: 'ruleId', value: ruleId },
      { name: 'bank', value: 'bank-a' },
    ],
    steps: [],
    attachments: [],
    start: t0 + n * 100,
    stop: t0 + n * 100 + 40,
  });

  const requestAtt = 'aaaaaaaa-0000-4000-8000-000000000001-attachment.json';
  const responseAtt = 'aaaaaaaa-0000-4000-8000-000000000002-attachment.json';
  const curlAtt = 'aaaaaaaa-0000-4000-8000-000000000003-attachment.txt';
  writeFileSync(
    join(dir, requestAtt),
    JSON.stringify({ method: 'GET', url: 'https://bank-a.example/v1/card-accounts/acc-1', headers: { 'consent-id': '[REDACTED]' } }, null, 2),
  );
  writeFileSync(join(dir, responseAtt), JSON.stringify({ cardAccount: { resourceId: 'acc-1', maskedPan: '492500xxxxxx0004xxx' } }, null, 2));
  writeFileSync(join(dir, curlAtt), `curl 'https://bank-a.example/v1/card-accounts/acc-1' -H "Consent-ID: $CONSENT_ID"`);

  const failed = base(
    1,
    'readCardAccountDetails:/cardAccount/maskedPan:max-length',
    'maskedPan is at most 16 characters',
    Status.FAILED,
    'GET /v1/card-accounts/{account-id}',
    'masked-pan',
    'critical',
  );
  failed.statusDetails = { message: 'maskedPan has 19 characters; the profile allows 16' };
  failed.steps = [
    {
      name: 'GET /v1/card-accounts/acc-1 → 200',
      status: Status.PASSED,
      stage: Stage.FINISHED,
      statusDetails: {},
      steps: [],
      parameters: [],
      attachments: [
        { name: 'request', source: requestAtt, type: 'application/json' },
        { name: 'response', source: responseAtt, type: 'application/json' },
      ],
      start: t0 + 100,
      stop: t0 + 120,
    },
  ];
  failed.attachments = [{ name: 'curl', source: curlAtt, type: 'text/plain' }];
  write(failed);
  write(base(2, 'readCardAccountList:/cardAccounts:required', 'cardAccounts is present', Status.PASSED, 'GET /v1/card-accounts', 'required-field', 'blocker'));
  write(
    base(
      3,
      'readCardAccountList:/cardAccounts/0/currency:iso4217',
      'currency is an ISO 4217 code',
      Status.PASSED,
      'GET /v1/card-accounts',
      'currency',
      'major',
    ),
  );
  const broken = base(
    4,
    'readCardAccountTransactionList:status-200',
    'transactions answer 200',
    Status.BROKEN,
    'GET /v1/card-accounts/{account-id}/transactions',
    'status-code',
    'major',
  );
  broken.statusDetails = { message: 'timeout after 10000 ms' };
  write(broken);
  const skipped = base(
    5,
    'readCardAccountTransactionList:/cardTransactions/booked/0/transactionAmount/currency:iso4217',
    'transaction currency is an ISO 4217 code',
    Status.SKIPPED,
    'GET /v1/card-accounts/{account-id}/transactions',
    'currency',
    'major',
  );
  skipped.statusDetails = { message: 'no transactions' };
  write(skipped);
  return 5;
}

const tmp = mkdtempSync(join(tmpdir(), 'allure-report-test-'));
const resultsDir = join(tmp, 'out', 'allure-results');
const reportDir = join(tmp, 'out', 'allure-report');
let count = 0;

beforeAll(() => {
  count = writeResults(resultsDir);
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('locating the tools', () => {
  it('finds the allure CLI and the Node 20 polyfill', () => {
    expect(findAllureCli()).toMatch(/[/\\]allure[/\\]cli\.js$/);
    expect(findPolyfill()).toMatch(/[/\\]reporters[/\\]node20-polyfills\.mjs$/);
  });
});

describe('generateAllureReport', () => {
  it('writes one self-contained index.html and no history', async () => {
    // A stale report must be replaced, not merged into.
    mkdirSync(join(reportDir, 'awesome'), { recursive: true });
    writeFileSync(join(reportDir, 'stale.txt'), 'old');

    const outcome = await generateAllureReport({ resultsDir, reportDir, name: REPORT_NAME });
    expect(outcome).toEqual({ ok: true });
    const indexPath = join(reportDir, 'index.html');
    expect(existsSync(indexPath)).toBe(true);
    expect(existsSync(join(reportDir, 'stale.txt'))).toBe(false);
    expect(readdirSync(reportDir).filter((f) => !/^(index\.html|summary\.json|test-results\.json)$/.test(f))).toEqual([]);

    const html = readFileSync(indexPath, 'utf8');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<title> ${REPORT_NAME} </title>`);
    // Self-contained: every src/href is inline (data:) or an in-page anchor; nothing local to miss.
    const refs = [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']*)["']/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(ref).toMatch(/^(data:|#)/);
    expect(html).not.toMatch(/<link[^>]+rel=["']stylesheet["'][^>]+href=["'](?!data:)/);
    // Offline: the analytics tag the template always adds is gone.
    expect(html).not.toContain('googletagmanager');
    expect(html).not.toContain('gtag(');

    const summary = JSON.parse(readFileSync(join(reportDir, 'summary.json'), 'utf8')) as { stats: Record<string, number>; name: string };
    expect(summary.stats).toMatchObject({ total: count, passed: 2, failed: 1, broken: 1, skipped: 1 });
    expect(summary.name).toBe(REPORT_NAME);

    // Nothing left behind next to the report, no history anywhere.
    expect(readdirSync(join(tmp, 'out')).sort()).toEqual(['allure-report', 'allure-results']);
    expect(readdirSync(resultsDir).some((f) => /history/i.test(f))).toBe(false);
  });

  it('reads and appends history only when historyPath is given', async () => {
    const historyPath = join(tmp, 'history', 'history.jsonl');
    expect((await generateAllureReport({ resultsDir, reportDir, name: REPORT_NAME, historyPath })).ok).toBe(true);
    expect(readFileSync(historyPath, 'utf8').trim().split('\n')).toHaveLength(1);
    expect((await generateAllureReport({ resultsDir, reportDir, name: REPORT_NAME, historyPath })).ok).toBe(true);
    expect(readFileSync(historyPath, 'utf8').trim().split('\n')).toHaveLength(2);
    expect((await generateAllureReport({ resultsDir, reportDir, name: REPORT_NAME })).ok).toBe(true);
    expect(readFileSync(historyPath, 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('handles a results folder whose path contains glob characters', async () => {
    const odd = join(tmp, 'we[ir]d (run)*', 'allure-results');
    writeResults(odd);
    const out = join(tmp, 'we[ir]d (run)*', 'allure-report');
    expect(await generateAllureReport({ resultsDir: odd, reportDir: out, name: 'odd' })).toEqual({ ok: true });
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { stats: { total: number } };
    expect(summary.stats.total).toBe(count);
  });

  it('returns ok:false with a reason instead of throwing, and keeps the old report', async () => {
    const missing = await generateAllureReport({ resultsDir: join(tmp, 'nope'), reportDir, name: 'x' });
    expect(missing.ok).toBe(false);
    expect(missing.message).toContain('no Allure results folder');
    expect(existsSync(join(reportDir, 'index.html'))).toBe(true);

    const tooSlow = await generateAllureReport({ resultsDir, reportDir, name: 'x', timeoutMs: 1 });
    expect(tooSlow).toEqual({ ok: false, message: 'allure generate did not finish within 0.001 s' });
    expect(existsSync(join(reportDir, 'index.html'))).toBe(true);
    expect(readdirSync(join(tmp, 'out')).sort()).toEqual(['allure-report', 'allure-results']);
  });
});

describe('stripAnalytics', () => {
  it('removes the gtag loader and its inline script, and nothing else', () => {
    const html = [
      '<body>',
      '    <script>window.allure = {};</script>',
      '    <script async src="https://www.googletagmanager.com/gtag/js?id=G-X"></script>',
      '    <script>',
      '        window.dataLayer = window.dataLayer || [];',
      "        gtag('config', 'G-X', {});",
      '    </script>',
      '    <script>window.reportData = 1;</script>',
      '</body>',
    ].join('\n');
    expect(stripAnalytics(html)).toBe(
      ['<body>', '    <script>window.allure = {};</script>', '    <script>window.reportData = 1;</script>', '</body>'].join('\n'),
    );
  });
});
