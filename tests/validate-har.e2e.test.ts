// validate --har end to end with the built CLI: a HAR recorded by `run --har` against the reference
// bank is judged offline to the same verdicts; a recorded defect is caught; another tool's HAR has
// its non-card entries skipped and counted; a malformed HAR exits 2 naming the entry.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../core/model.js';
import { cli, type CliResult } from './fixtures/cli.js';

const work = mkdtempSync(join(tmpdir(), 'cc-har-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const findingsOf = (dir: string): FindingsFile => JSON.parse(readFileSync(join(dir, 'findings.json'), 'utf8')) as FindingsFile;
const statuses = (f: FindingsFile): Record<string, string> => Object.fromEntries(f.results.map((r) => [r.ruleId, r.status]));

interface HarDoc {
  log: { entries: Record<string, unknown>[] } & Record<string, unknown>;
}
/** Our own HAR as another tool would have written it: no card-conformance fields. */
function foreign(har: HarDoc): HarDoc {
  const { _cardConformance: _l, ...log } = har.log;
  return { log: { ...log, creator: { name: 'some-proxy', version: '1.0' }, entries: har.log.entries.map(({ _cardConformance: _e, ...entry }) => entry) } };
}
const entryOf = (method: string, url: string, status = 200, text = ''): Record<string, unknown> => ({
  startedDateTime: '2026-01-01T00:00:00.000Z',
  time: 1,
  cache: {},
  timings: { send: 0, wait: 1, receive: 0 },
  request: { method, url, httpVersion: 'HTTP/1.1', cookies: [], headers: [{ name: 'Accept', value: '*/*' }], queryString: [], headersSize: -1, bodySize: 0 },
  response: {
    status,
    statusText: '',
    httpVersion: 'HTTP/1.1',
    cookies: [],
    headers: [{ name: 'Content-Type', value: 'text/html' }],
    content: { size: text.length, mimeType: 'text/html', text },
    redirectURL: '',
    headersSize: -1,
    bodySize: text.length,
  },
});

describe('validate --har on a run recorded against the reference bank', () => {
  const har = join(work, 'clean.har');
  let run: CliResult;
  let validated: CliResult;
  beforeAll(async () => {
    run = await cli(['run', '--out', join(work, 'run'), '--no-report', '--har', har]);
    validated = await cli(['validate', '--har', har, '--out', join(work, 'val'), '--no-report']);
  });

  it('records a redacted HAR 1.2 of every exchange', () => {
    expect(run.code, run.stderr + run.stdout).toBe(0);
    expect(run.stdout).toContain(`traffic recorded: ${har}`);
    const doc = JSON.parse(readFileSync(har, 'utf8')) as HarDoc & { log: { version: string } };
    expect(doc.log.version).toBe('1.2');
    expect(doc.log.entries.length).toBeGreaterThan(50);
    // The consent the run created is masked wherever it appears (URLs, headers); only the error
    // probes' deliberately unknown consent ids are sent in clear.
    type Entry = { request: { url: string; headers: { name: string; value: string }[] }; _cardConformance: { context?: { fault?: string } } };
    const entries = doc.log.entries as unknown as Entry[];
    const consentHeaders = entries
      .filter((e) => e._cardConformance.context?.fault !== 'unknown-consent')
      .flatMap((e) => e.request.headers.filter((h) => h.name === 'consent-id').map((h) => h.value));
    expect(consentHeaders.length).toBeGreaterThan(50);
    expect(new Set(consentHeaders)).toEqual(new Set(['[REDACTED consent-id]']));
    const consentUrls = entries.map((e) => e.request.url).filter((u) => /\/consents\/[^/?]/.test(u) && !u.includes('card-conformance-unknown'));
    expect(consentUrls.length).toBeGreaterThan(2);
    expect(consentUrls.filter((u) => !/REDACTED|\{consentId\}/.test(u))).toEqual([]);
  });

  it('gives every rule the verdict of the live run, and writes the same outputs', () => {
    expect(validated.code, validated.stderr + validated.stdout).toBe(0);
    const live = findingsOf(join(work, 'run'));
    const offline = findingsOf(join(work, 'val'));
    expect(statuses(offline)).toEqual(statuses(live));
    expect(offline.summary).toEqual(live.summary);
    expect(readFileSync(join(work, 'val', 'summary.md'), 'utf8')).toContain('0 skipped (not card-account calls');
    expect(readFileSync(join(work, 'val', 'junit.xml'), 'utf8')).toContain('<testsuite name="reference-bank"');
  });

  it("judges another tool's HAR by method and path, skipping and counting what is not a card-account call", async () => {
    const doc = foreign(JSON.parse(readFileSync(har, 'utf8')) as HarDoc);
    const card = doc.log.entries.length;
    doc.log.entries.unshift(entryOf('GET', 'https://bank.example/assets/app.js'), entryOf('GET', 'https://bank.example/v1/accounts', 200, '{}'));
    doc.log.entries.push(entryOf('POST', 'https://analytics.example/collect', 204));
    const file = join(work, 'proxy.har');
    writeFileSync(file, JSON.stringify(doc));
    const out = join(work, 'proxy');
    const r = await cli(['validate', '--har', file, '--out', out, '--no-report']);
    // Besides the three added, the reference bank's download links are not operations of the spec.
    const downloads = doc.log.entries.filter((e) => (e.request as { url: string }).url.includes('/download')).length;
    expect(r.stdout).toContain(`${card + 3} entries: ${card - downloads} card-account calls judged, ${3 + downloads} skipped`);
    expect(r.stdout).toContain('skipped log.entries[0] GET /assets/app.js');
    // The request side: headers the spec requires (the error probes left some out on purpose), and
    // signatures: ours were redacted when recorded; the rejection suite's malformed one is named.
    expect(r.stdout).toMatch(/request headers: \d+ of \d+ calls sent every header the spec requires; \d+ did not, e\.g\. GET \/v1\/card-accounts lacks/);
    expect(r.stdout).toMatch(/request signatures: 0 verified, \d+ do not verify, \d+ unsigned, \d+ redacted when recorded \(not verifiable\)/);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('- skipped log.entries[1] GET /v1/accounts');
    const f = statuses(findingsOf(out));
    // The responses' own rules are judged from the recording (matched by path, not by our probe names).
    expect(f['readCardAccountDetails:/cardAccount/maskedPan:max-length']).toBe('passed');
    expect(f['getCardAccountTransactionList:schema']).toBe('passed');
    expect(f['getCardAccountList:schema']).toBe('passed');
  });
});

describe('validate --har on a run recorded with defects', () => {
  it('catches what the live run caught, also where the HAR masked a full card number', async () => {
    const har = join(work, 'defects.har');
    const run = await cli(['run', '--out', join(work, 'drun'), '--no-report', '--har', har, '--defects', 'amount-as-number,pan-unmasked']);
    expect(run.code, run.stderr).toBe(1);
    expect(readFileSync(har, 'utf8')).toContain('[masked by card-conformance]');
    const v = await cli(['validate', '--har', har, '--out', join(work, 'dval'), '--no-report']);
    expect(v.code, v.stderr).toBe(1);
    const live = findingsOf(join(work, 'drun'));
    const offline = findingsOf(join(work, 'dval'));
    expect(statuses(offline)).toEqual(statuses(live));
    const failed = offline.results.filter((r) => r.status === 'failed').map((r) => r.category);
    expect(failed).toContain('minor-units');
    expect(failed).toContain('masked-pan');
  });
});

describe('validate --har on a malformed HAR', () => {
  const malformed = async (name: string, content: string): Promise<CliResult> => {
    const file = join(work, name);
    writeFileSync(file, content);
    return cli(['validate', '--har', file, '--out', join(work, `out-${name}`), '--no-report'], { timeoutMs: 60_000 });
  };
  const good = (n: number): Record<string, unknown>[] => Array.from({ length: n }, (_, i) => entryOf('GET', `https://bank.example/v1/card-accounts/${i}`));

  it('exits 2 naming the entry and field', async () => {
    const entries = good(13);
    delete (entries[12]!.response as Record<string, unknown>).status;
    const r = await malformed('no-status.har', JSON.stringify({ log: { version: '1.2', entries } }));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no-status.har: log.entries[12].response.status: is missing');
  });

  it('exits 2 on a wrong type, a relative URL, bad JSON, no log, and a missing file', async () => {
    const typed = good(3);
    (typed[1]!.response as Record<string, unknown>).status = '200';
    let r = await malformed('typed.har', JSON.stringify({ log: { entries: typed } }));
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('log.entries[1].response.status: must be integer')]);
    const relative = good(2);
    (relative[1]!.request as Record<string, unknown>).url = '/v1/card-accounts';
    r = await malformed('relative.har', JSON.stringify({ log: { entries: relative } }));
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('log.entries[1].request.url: is not an absolute URL')]);
    r = await malformed('broken.har', '{"log": {"entries": [');
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('broken.har: not a HAR file: the JSON does not parse')]);
    r = await malformed('nolog.har', '{"entries": []}');
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('nolog.har: log: is missing')]);
    r = await cli(['validate', '--har', join(work, 'absent.har'), '--out', join(work, 'x')], { timeoutMs: 60_000 });
    expect([r.code, r.stderr]).toEqual([2, expect.stringContaining('no such file')]);
  });
});
