// The main job end to end, run as a user runs it: the built CLI against real loopback servers.
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../core/model.js';
import { loadProfile } from '../config/profile.js';
import { buildCatalogue } from '../rules/catalogue/generate.js';
import { loadSpecDocument } from '../schemas/spec-document.js';
import { cli } from './fixtures/cli.js';
import { startCountingServer } from './fixtures/counting-server.js';
import { writeFullFrameworkSpec } from './fixtures/full-framework-spec.js';
import { OTHER_BANK_CONSENT, startOtherBank } from './fixtures/other-bank.js';

const work = mkdtempSync(join(tmpdir(), 'cc-e2e-'));
const readFindings = (dir: string): FindingsFile => JSON.parse(readFileSync(join(dir, 'findings.json'), 'utf8')) as FindingsFile;
const profile = loadProfile('berlin-group');
const catalogue = buildCatalogue(loadSpecDocument(profile.spec), profile);

describe('card-conformance run against the embedded reference bank', () => {
  const out = join(work, 'default');
  let result: Awaited<ReturnType<typeof cli>>;
  beforeAll(async () => {
    result = await cli(['run', '--out', out]);
  });

  it('exits 0 and judges every generated rule, with no failure and nothing broken', () => {
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const f = readFindings(out);
    expect(f.results.map((r) => r.ruleId).sort()).toEqual(catalogue.rules.map((r) => r.id).sort());
    expect(
      f.summary.failed,
      JSON.stringify(
        f.results.filter((r) => r.status === 'failed'),
        null,
        1,
      ),
    ).toBe(0);
    expect(f.summary.broken).toBe(0);
    expect(f.summary.passed).toBeGreaterThan(150);
    expect(f.bank).toMatchObject({ id: 'reference-bank', profile: 'berlin-group' });
  });

  it('writes the report, JUnit, the summary and the Allure results', () => {
    for (const file of ['allure-report/index.html', 'junit.xml', 'summary.md']) expect(existsSync(join(out, file)), file).toBe(true);
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('reference-bank');
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain('<testsuite name="reference-bank"');
    expect(result.stdout).toContain('PASS');
  });

  it('labels every Allure result with the bank, endpoint, category, severity and rule id', () => {
    const dir = join(out, 'allure-results');
    const results = readdir(dir)
      .filter((f) => f.endsWith('-result.json'))
      .map(
        (f) =>
          JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
            labels: { name: string; value: string }[];
            parameters: { name: string; value: string }[];
            links: { name?: string }[];
          },
      );
    expect(results).toHaveLength(catalogue.rules.length);
    const one = results.find((r) => r.labels.some((l) => l.name === 'ruleId' && l.value === 'readCardAccountDetails:/cardAccount/maskedPan:max-length'))!;
    const label = (n: string) => one.labels.find((l) => l.name === n)?.value;
    expect([label('parentSuite'), label('suite'), label('subSuite'), label('severity')]).toEqual([
      'reference-bank',
      'GET /v1/card-accounts/{account-id}',
      'masked-pan',
      'major',
    ]);
    expect(one.parameters).toContainEqual({ name: 'ruleId', value: 'readCardAccountDetails:/cardAccount/maskedPan:max-length' });
    expect(one.links[0]!.name).toContain('berlin-group.openapi.yaml#/components/schemas/');
  });
});

describe('what a run writes', () => {
  it('carries no Signature value, certificate blob or private key outside the attachments meant for them', async () => {
    const out = join(work, 'default');
    const files = readdirSync(out, { recursive: true })
      .map(String)
      .filter((f) => !f.startsWith('allure-report'));
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const path = join(out, f);
      if (!statSync(path).isFile()) continue;
      const text = readFileSync(path, 'utf8');
      expect(text, f).not.toMatch(/signature="[A-Za-z0-9+/=]{40,}"/i);
      expect(text, f).not.toMatch(/MII[A-Za-z0-9+/]{300,}/);
      expect(text, f).not.toMatch(/PRIVATE KEY/);
    }
  });
});

describe('--spec with a complete NextGenPSD2-shaped document (every service, unanchored patterns, invalid examples)', () => {
  it('generates the same card-account rules and passes against the reference bank', async () => {
    const file = join(work, 'psd2-api-full.json');
    expect(writeFullFrameworkSpec(file)).toBeGreaterThan(400_000);
    const full = buildCatalogue(loadSpecDocument(file), profile);
    expect(full.rules.map((r) => r.id).sort()).toEqual(catalogue.rules.map((r) => r.id).sort());
    const out = join(work, 'full');
    const r = await cli(['run', '--spec', file, '--out', out, '--no-report']);
    expect(r.code, r.stderr + r.stdout).toBe(0);
    expect(readFindings(out).spec.title).toBe('NextGenPSD2 XS2A Framework');
  });
});

describe('run --bank against another implementation of the card-account paths', () => {
  let bank: Awaited<ReturnType<typeof startOtherBank>>;
  beforeAll(async () => {
    bank = await startOtherBank();
  });
  afterAll(() => bank.close());

  it('takes the ids from the list response and judges every account', async () => {
    const file = join(work, 'other.yaml');
    writeFileSync(
      file,
      `id: other-bank\nprofile: berlin-group\nbaseUrl: ${bank.baseUrl}\nconsent:\n  id: \${OTHER_CONSENT}\nlimits: { requestsPerSecond: 0 }\n`,
    );
    const out = join(work, 'other');
    const r = await cli(['run', '--bank', file, '--out', out, '--no-report'], { env: { OTHER_CONSENT: OTHER_BANK_CONSENT } });
    const f = readFindings(out);
    expect(
      r.code,
      r.stderr +
        r.stdout +
        JSON.stringify(
          f.results.filter((x) => x.status === 'failed' || x.status === 'broken'),
          null,
          1,
        ),
    ).toBe(0);
    expect(f.summary.failed).toBe(0);
    expect(f.results.find((x) => x.ruleId === 'getCardAccountTransactionList:status-code')!.status).toBe('passed');
    expect(f.results.find((x) => x.ruleId === 'createConsent:status-code')!).toMatchObject({ status: 'skipped' });
    // The pre-authorised consent is a secret: it is in no output file.
    expect(readFileSync(join(out, 'findings.json'), 'utf8')).not.toContain(OTHER_BANK_CONSENT);
    for (const f2 of readdir(join(out, 'allure-results'))) expect(readFileSync(join(out, 'allure-results', f2), 'utf8'), f2).not.toContain(OTHER_BANK_CONSENT);
  });
});

describe('bad input exits 2 with one line naming the file and field, and sends nothing', () => {
  let server: Awaited<ReturnType<typeof startCountingServer>>;
  beforeAll(async () => {
    server = await startCountingServer();
  });
  afterAll(() => server.close());

  const bankFile = (name: string, text: string): string => {
    const f = join(work, name);
    writeFileSync(f, text);
    return f;
  };
  const cases: [string, () => string[], RegExp][] = [
    [
      'an unknown profile',
      () => ['--bank', bankFile('p.yaml', `id: b\nprofile: nordic-x\nbaseUrl: ${server.url}\nconsent: { create: true }\n`)],
      /p\.yaml: profile: .*nordic-x/,
    ],
    ['a missing baseUrl', () => ['--bank', bankFile('u.yaml', 'id: b\nprofile: berlin-group\nconsent: { create: true }\n')], /u\.yaml: baseUrl/],
    ['malformed YAML', () => ['--bank', bankFile('y.yaml', `id: b\nprofile: [berlin-group\nbaseUrl: ${server.url}\n`)], /y\.yaml: .*line/i],
    [
      'an unset ${VAR}',
      () => ['--bank', bankFile('v.yaml', `id: b\nprofile: berlin-group\nbaseUrl: ${server.url}\nconsent:\n  id: \${CC_TEST_UNSET_VAR}\n`)],
      /v\.yaml: consent\.id: .*CC_TEST_UNSET_VAR/,
    ],
    [
      'a spec that is not OpenAPI',
      () => [
        '--bank',
        bankFile('ok.yaml', `id: b\nprofile: berlin-group\nbaseUrl: ${server.url}\nconsent: { create: true }\n`),
        '--spec',
        bankFile('not-openapi.yaml', 'hello: world\n'),
      ],
      /not-openapi\.yaml: openapi: missing/,
    ],
    [
      'an unreadable spec',
      () => [
        '--bank',
        bankFile('ok2.yaml', `id: b\nprofile: berlin-group\nbaseUrl: ${server.url}\nconsent: { create: true }\n`),
        '--spec',
        join(work, 'nope.yaml'),
      ],
      /nope\.yaml: cannot read/,
    ],
    ['an unknown --only category', () => ['--only', 'masked-pans'], /--only: unknown category 'masked-pans'/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const r = await cli(['run', '--out', join(work, 'bad'), ...args()]);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
      expect(server.count()).toBe(0);
    });
  }
});

describe('a bank that cannot be reached', () => {
  it('exits 3', async () => {
    const srv = await startCountingServer();
    const url = srv.url;
    await srv.close(); // nothing listens there any more
    const f = join(work, 'gone.yaml');
    writeFileSync(f, `id: gone\nprofile: berlin-group\nbaseUrl: ${url}\nconsent: { create: true }\nlimits: { timeoutMs: 2000, retries: 0 }\n`);
    const r = await cli(['run', '--bank', f, '--out', join(work, 'gone'), '--no-report']);
    expect(r.code, r.stdout + r.stderr).toBe(3);
    expect(r.stdout + r.stderr).toMatch(/unreachable/);
  });
});

function readdir(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir) : [];
}
