// A bank that could not be tested is an error test case in junit.xml and a line with the reason in
// summary.md; the summary shows per operation the share of the spec's response properties the
// answers exercised; a failed account list leaves the rules that depend on it broken, not skipped.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding, FindingsFile } from '../core/model.js';
import { summarize } from '../reporters/findings.js';
import { renderJunit } from '../reporters/junit.js';
import { renderSummaryMarkdown } from '../reporters/summary.js';
import { cli } from './fixtures/cli.js';
import { startCountingServer } from './fixtures/counting-server.js';

const work = mkdtempSync(join(tmpdir(), 'cc-verdict-reports-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'getCardAccountList:schema',
  category: 'schema',
  severity: 'major',
  endpoint: 'GET /v1/card-accounts',
  status: 'passed',
  message: '',
  specRef: 'spec#/x',
  mandatory: true,
  title: 'the body validates',
  checked: 1,
  ...over,
});
const file = (results: Finding[]): FindingsFile => ({
  tool: { name: 'card-conformance', version: '0.1.0' },
  spec: { title: 'NextGenPSD2', version: '1.3.12' },
  bank: { id: 'bank-a', profile: 'berlin-group', baseUrl: 'https://a.example' },
  startedAt: '2026-11-21T09:00:00.000Z',
  finishedAt: '2026-11-21T09:00:01.000Z',
  results,
  summary: summarize(results),
});
const gone = { id: 'bank-gone', reason: 'the bank is unreachable: GET https://gone.example/v1/consents: connection: ECONNREFUSED' };

describe('render functions with banks that could not be tested', () => {
  it('junit.xml: one error test case per untestable bank, counted in the totals', () => {
    const xml = renderJunit([file([finding({})])], [gone]);
    expect(xml).toMatch(/<testsuites name="card-conformance" tests="2" failures="0" errors="1" skipped="0"/);
    expect(xml).toContain('<testsuite name="bank-gone" tests="1" failures="0" errors="1" skipped="0">');
    expect(xml).toContain('<error message="the bank is unreachable: GET https://gone.example/v1/consents: connection: ECONNREFUSED" type="untestable">');
    // Alone, too: never an empty report.
    expect(renderJunit([], [gone])).toMatch(/<testsuites name="card-conformance" tests="1" failures="0" errors="1"/);
  });

  it('summary.md: a heading and the reason, and a row in the bank table', () => {
    const md = renderSummaryMarkdown([file([finding({})])], [gone]);
    expect(md).toContain('## bank-gone — UNTESTABLE');
    expect(md).toContain('**The bank could not be tested:** the bank is unreachable: GET https://gone.example/v1/consents: connection: ECONNREFUSED');
    expect(md).toContain('| bank-gone | | UNTESTABLE | – | – | – | – |');
    expect(renderSummaryMarkdown([], [gone])).not.toContain('No bank was tested');
  });

  it('summary.md: coverage per operation from the undeclared-properties results', () => {
    const md = renderSummaryMarkdown([
      file([
        finding({}),
        finding({ ruleId: 'getCardAccountList:undeclared-properties', mandatory: false, coverage: { properties: 29, exercised: 29 } }),
        finding({
          ruleId: 'getCardAccountBalances:undeclared-properties',
          endpoint: 'GET /v1/card-accounts/{account-id}/balances',
          mandatory: false,
          coverage: { properties: 23, exercised: 11 },
        }),
      ]),
    ]);
    expect(md).toContain("### Coverage (the spec's response properties the answers carried)");
    expect(md).toContain('| `GET /v1/card-accounts` | 29 | 29 | 100 % |');
    expect(md).toContain('| `GET /v1/card-accounts/{account-id}/balances` | 11 | 23 | 48 % |');
  });
});

describe('end to end (built CLI)', () => {
  it('an unreachable bank: exit 3, an error test case in junit.xml, the reason in summary.md', async () => {
    const srv = await startCountingServer();
    const url = srv.url;
    await srv.close(); // nothing listens there any more
    const f = join(work, 'gone.yaml');
    writeFileSync(f, `id: gone\nprofile: berlin-group\nbaseUrl: ${url}\nconsent: { create: true }\nlimits: { timeoutMs: 2000, retries: 0 }\n`);
    const out = join(work, 'gone');
    const r = await cli(['run', '--bank', f, '--out', out, '--no-report']);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    const xml = readFileSync(join(out, 'junit.xml'), 'utf8');
    expect(xml).toMatch(/<testsuite name="gone" tests="1" failures="0" errors="1" skipped="0">/);
    expect(xml).toMatch(/<error message="the bank is unreachable: POST http:\/\/127\.0\.0\.1:\d+\/v1\/consents: connection: [^"]+" type="untestable">/);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toMatch(
      /## gone — UNTESTABLE\n\n\*\*The bank could not be tested:\*\* the bank is unreachable: POST /,
    );
  }, 60_000);

  it('the account list answers 500: the rules that need an account are broken with that reason, none skipped for it', async () => {
    const out = join(work, 'list-500');
    const r = await cli(['run', '--faults', 'http-500@getCardAccountList', '--out', out, '--no-report']);
    expect(r.code, r.stdout + r.stderr).toBe(1);
    const f = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as FindingsFile;
    const perAccount = f.results.filter(
      (x) => /\{account-id\}/.test(x.endpoint) || (x.ruleId.startsWith('semantic:') && x.ruleId !== 'semantic:links-resolve'),
    );
    expect(perAccount.length).toBeGreaterThan(100);
    for (const x of perAccount) {
      expect(x.status, x.ruleId).toBe('broken');
      expect(x.message, x.ruleId).toMatch(/GET \/v1\/card-accounts answered 500/);
    }
    expect(f.results.find((x) => x.ruleId === 'getCardAccountList:content-type')).toMatchObject({
      status: 'broken',
      message: 'GET /v1/card-accounts answered 500, so its body could not be judged',
    });
    // Skipped results remain only for optional fields the reference bank never sends, each saying so.
    for (const x of f.results.filter((y) => y.status === 'skipped')) expect(x.message, x.ruleId).not.toMatch(/no request was made for ok:/);
    expect(f.results.every((x) => typeof x.checked === 'number')).toBe(true);
  }, 120_000);
});
