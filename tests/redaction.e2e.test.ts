// docs/architecture.md "Redaction": a run against a bank that leaks full card numbers (alone, next
// to other digits, glued to them, \u-escaped) and echoes every secret back: in bodies (JSON-escaped:
// \u0063onsent…, tok\/…), in response headers and in header NAMES, with the run's own Signature
// values. No file under the output folder (findings, JUnit, summary, Allure results, the HTML
// report) and no console line may contain the private key, the consent id, the bearer token, the
// API key, the PSU id, the secret path of baseUrl, a Signature value or a full card number, in any
// of their escaped forms; the leak itself is reported, masked and marked as masked.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../core/model.js';
import { generateTestPki } from '../transport/pki/index.js';
import { cli, type CliResult } from './fixtures/cli.js';
import { GLUED_PAN, LEAKED_PAN, NEIGHBOUR_PAN, startLeakyBank, type LeakyBank } from './fixtures/leaky-bank.js';
import { findLeaks, walk, type Needle } from './fixtures/secret-search.js';

const work = mkdtempSync(join(tmpdir(), 'cc-redaction-'));
const out = join(work, 'out');
const SECRETS = {
  consentId: 'leaky-consent-5b1e9c3a',
  token: 'tok/8f2d1c7a9e41',
  psuId: 'psu-user-77213',
  apiKey: 'key-31c9e0d4b7',
  pathSecret: 'tenant-9d27c4e1',
};
let bank: LeakyBank;
let result: CliResult;
let keyChunks: string[];

beforeAll(async () => {
  const pki = generateTestPki();
  writeFileSync(join(work, 'qseal.pem'), pki.qseal.certPem);
  writeFileSync(join(work, 'qseal.key'), pki.qseal.keyPem, { mode: 0o600 });
  // Pieces of the key's Base64 body: its first line, and a run from the middle.
  const body = pki.qseal.keyPem.split('\n').filter((l) => l && !l.startsWith('-----'));
  const joined = body.join('');
  keyChunks = [body[0]!, joined.slice(Math.floor(joined.length / 2), Math.floor(joined.length / 2) + 40)];

  bank = await startLeakyBank(SECRETS);
  const file = join(work, 'leaky.yaml');
  const origin = new URL(bank.baseUrl).origin;
  writeFileSync(
    file,
    [
      // A ${VAR} inside baseUrl: its value is a secret like any other.
      'id: leaky-bank',
      'profile: berlin-group',
      `baseUrl: ${origin}/\${LEAKY_PATH}`,
      'consent:',
      '  id: ${LEAKY_CONSENT}',
      'psu:',
      '  id: ${LEAKY_PSU}',
      // Relative paths: resolved against the bank file's folder.
      'signing:',
      '  certificate: qseal.pem',
      '  key: qseal.key',
      'headers:',
      '  authorization: "Bearer ${LEAKY_TOKEN}"',
      '  x-api-key: ${LEAKY_KEY}',
      'limits: { requestsPerSecond: 0 }',
      '',
    ].join('\n'),
  );
  result = await cli(['run', '--bank', file, '--out', out], {
    env: { LEAKY_CONSENT: SECRETS.consentId, LEAKY_PSU: SECRETS.psuId, LEAKY_TOKEN: SECRETS.token, LEAKY_KEY: SECRETS.apiKey, LEAKY_PATH: SECRETS.pathSecret },
  });
});
afterAll(async () => {
  await bank?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a run against a bank that leaks card numbers and echoes every secret', () => {
  it('reaches the bank with the secrets (token and API key are demanded) and reports a conformance failure', () => {
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(bank.requests()).toBeGreaterThan(10);
    expect(bank.signatures().length).toBeGreaterThan(10);
    const f = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as FindingsFile;
    expect(f.results.find((r) => r.ruleId === 'getCardAccountList:status-code')?.status).toBe('passed');
    expect(f.bank.baseUrl).toBe(`${new URL(bank.baseUrl).origin}/[REDACTED]`);
  });

  it('reports the leak itself as a failed masking rule, with the card number masked', () => {
    const f = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as FindingsFile;
    const masking = f.results.find((r) => r.ruleId === 'getCardAccountList:/cardAccounts/*/maskedPan:masking');
    expect(masking).toMatchObject({ status: 'failed', category: 'masked-pan', severity: 'critical' });
    expect(masking!.message).toContain('492500xxxxxx0004');
    expect(masking!.message).toMatch(/full card number/);
  });

  it('writes the HTML report and Allure results it is about to search', () => {
    const files = walk(out).map((p) => relative(out, p));
    expect(files).toContain(join('allure-report', 'index.html'));
    expect(files.filter((p) => p.startsWith('allure-results'))).not.toHaveLength(0);
    expect(files).toEqual(expect.arrayContaining(['findings.json', 'junit.xml', 'summary.md']));
  });

  it('puts what the bank echoed into the evidence, masked and marked as masked (so the search below looks where a leak would be)', () => {
    const all = walk(join(out, 'allure-results'))
      .map((p) => readFileSync(p, 'utf8'))
      .join('\n');
    // The bank's full card number, pretty-printed and then masked: visibly not the bank's own mask.
    expect(all).toContain('"maskedPan": "492500xxxxxx0004 [masked by card-conformance]"');
    expect(all).toContain('x-echo-authorization: [REDACTED credential]');
    expect(all).toContain('x-debug-consent-id: [REDACTED consent-id]');
    expect(all).toContain('x-leak-[REDACTED consent-id]: 1');
    expect(all).toContain('"ownerName": "[REDACTED psu-id]"');
    expect(all).toContain('"debugConsent": "[REDACTED consent-id]"');
    expect(all).toContain('"debugSignature": "[REDACTED signature]"');
    // A secret id in a URL path is written as the path's template.
    expect(all).toContain('/v1/consents/{consentId}');
    // The HTML report embeds its data as Base64: decoded, the evidence is there too.
    const html = readFileSync(join(out, 'allure-report', 'index.html'), 'utf8');
    const decoded = (html.match(/[A-Za-z0-9+/]{200,}={0,2}/g) ?? []).map((b) => Buffer.from(b, 'base64').toString('utf8')).join('\n');
    expect(decoded).toContain('492500xxxxxx0004');
    expect(decoded).toContain('[REDACTED');
  });

  it('writes no secret and no full card number, in any escaped form, to any file under the output folder, or to the console', () => {
    const needles: Needle[] = [
      ...keyChunks.map((c, i): Needle => [`private key chunk ${i + 1}`, c]),
      ['consent id', SECRETS.consentId],
      ['bearer token', SECRETS.token],
      ['API key', SECRETS.apiKey],
      ['PSU id', SECRETS.psuId],
      ['baseUrl path secret', SECRETS.pathSecret],
      ['full card number', LEAKED_PAN],
      ['card number after other digits', NEIGHBOUR_PAN],
      ['card number glued to other digits', GLUED_PAN],
      ['card number with separators', '4925 0000 0000 0004'],
      ...bank.signatures().map((s, i): Needle => [`Signature value ${i + 1}`, s]),
    ];
    const files = walk(out);
    expect(files.length).toBeGreaterThan(5);
    const leaks: string[] = [];
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      leaks.push(...findLeaks(relative(out, path), text, needles));
      if (text.includes('%')) {
        try {
          leaks.push(...findLeaks(`${relative(out, path)} (URL-decoded)`, decodeURIComponent(text), needles));
        } catch {
          /* not URL-encoded as a whole */
        }
      }
    }
    leaks.push(...findLeaks('stdout', result.stdout, needles), ...findLeaks('stderr', result.stderr, needles));
    expect(leaks).toEqual([]);
  });

  it('leaves no run file with the recorded exchanges behind, and no staging folder', () => {
    expect(walk(work).filter((p) => p.endsWith('run.json'))).toEqual([]);
    expect(walk(work).filter((p) => p.includes('.staging-'))).toEqual([]);
  });
});
