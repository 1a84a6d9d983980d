// DESIGN.md "Redaction, everywhere": a run against a bank that leaks a full card number and
// echoes the run's secrets back. No file under the output folder (findings, JUnit, summary,
// Allure results, the HTML report) and no console line may contain the private key, the consent
// id, the bearer token, the PSU id or the full card number; the leak itself is reported, masked.
import { readdirSync, readFileSync, statSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../lib/model.js';
import { generateTestPki } from '../lib/pki/index.js';
import { cli, type CliResult } from './fixtures/cli.js';
import { LEAKED_PAN, startLeakyBank } from './fixtures/leaky-bank.js';

const work = mkdtempSync(join(tmpdir(), 'cc-redaction-'));
const out = join(work, 'out');
const SECRETS = { consentId: 'leaky-consent-5b1e9c3a', token: 'tok-8f2d1c7a9e41', psuId: 'psu-user-77213' };
let bank: Awaited<ReturnType<typeof startLeakyBank>>;
let result: CliResult;
let keyChunks: string[];

/** Every file under `dir`, recursively. */
function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

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
  writeFileSync(file, [
    'id: leaky-bank', 'profile: berlin-group', `baseUrl: ${bank.baseUrl}`,
    'consent:', '  id: ${LEAKY_CONSENT}',
    'psu:', '  id: ${LEAKY_PSU}',
    // Relative paths: resolved against the bank file's folder.
    'signing:', '  certificate: qseal.pem', '  key: qseal.key',
    'headers:', '  authorization: "Bearer ${LEAKY_TOKEN}"',
    'limits: { requestsPerSecond: 0 }', '',
  ].join('\n'));
  result = await cli(['run', '--bank', file, '--out', out], {
    env: { LEAKY_CONSENT: SECRETS.consentId, LEAKY_PSU: SECRETS.psuId, LEAKY_TOKEN: SECRETS.token },
    timeoutMs: 180_000,
  });
});
afterAll(() => bank?.close());

describe('a run against a bank that leaks a card number and echoes secrets', () => {
  it('reaches the bank with the secrets (the token is demanded) and reports a conformance failure', () => {
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(bank.requests()).toBeGreaterThan(10);
    const f = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as FindingsFile;
    expect(f.results.find((r) => r.ruleId === 'getCardAccountList:status-code')?.status).toBe('passed');
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

  it('puts what the bank echoed into the evidence, redacted (so the search below looks where a leak would be)', () => {
    const all = walk(join(out, 'allure-results')).map((p) => readFileSync(p, 'utf8')).join('\n');
    expect(all).toContain('"maskedPan": "492500xxxxxx0004"');
    expect(all).toContain('x-debug-authorization: Bearer [REDACTED]');
    expect(all).toContain('x-debug-consent-id: [REDACTED]');
    expect(all).toContain('"ownerName": "[REDACTED]"');
    // The HTML report embeds its data as Base64: decoded, the evidence is there too.
    const html = readFileSync(join(out, 'allure-report', 'index.html'), 'utf8');
    const decoded = (html.match(/[A-Za-z0-9+/]{200,}={0,2}/g) ?? []).map((b) => Buffer.from(b, 'base64').toString('utf8')).join('\n');
    expect(decoded).toContain('492500xxxxxx0004');
    expect(decoded).toContain('[REDACTED]');
  });

  it('writes no secret and no full card number to any file under the output folder, or to the console', () => {
    const needles: [string, string][] = [
      ...keyChunks.map((c, i): [string, string] => [`private key chunk ${i + 1}`, c]),
      ['consent id', SECRETS.consentId],
      ['bearer token', SECRETS.token],
      ['PSU id', SECRETS.psuId],
      ['full card number', LEAKED_PAN],
      ['card number with separators', '4925 0000 0000 0004'],
    ];
    const files = walk(out);
    expect(files.length).toBeGreaterThan(5);
    const leaks: string[] = [];
    const search = (where: string, text: string): void => {
      for (const [what, needle] of needles) if (text.includes(needle)) leaks.push(`${what} in ${where}`);
    };
    for (const path of files) {
      const text = readFileSync(path, 'utf8');
      search(relative(out, path), text);
      // Reports embed data as Base64 (or URL-encoded); decode what looks like it and search that too.
      for (const blob of text.match(/[A-Za-z0-9+/]{200,}={0,2}/g) ?? []) search(`${relative(out, path)} (Base64)`, Buffer.from(blob, 'base64').toString('utf8'));
      if (text.includes('%')) { try { search(`${relative(out, path)} (URL-decoded)`, decodeURIComponent(text)); } catch { /* not URL-encoded as a whole */ } }
    }
    search('stdout', result.stdout);
    search('stderr', result.stderr);
    expect(leaks).toEqual([]);
  });
});
