// A bank with 10,000 card accounts: the crawl is bounded by limits.maxAccounts and
// limits.maxPages (counted at the bank), says that it sampled, and stays small in memory
// (peak RSS of a child process that runs the built collector).
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { collectExchanges } from '../collect/collect.js';
import { defaultBankConfig } from '../config/load.js';
import { createHttpClient } from '../transport/http/client.js';
import { projectPath } from '../core/paths.js';
import { catalogueOf, judgeAll } from './fixtures/engine-run.js';
import { LINK_BANK_CONSENT, startLinkBank, type LinkBank } from './fixtures/link-bank.js';

const ACCOUNTS = 10_000;
const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0)) await c();
});

async function bank(pages: number): Promise<LinkBank> {
  const b = await startLinkBank({ accounts: ACCOUNTS, pages });
  cleanup.push(() => b.close());
  return b;
}

/** Account indices the bank was asked about (error probes use ids the bank does not know). */
const accountsAsked = (requests: string[]): Set<number> =>
  new Set(
    requests.flatMap((r) => {
      const m = /\/card-accounts\/acc-(\d{5})/.exec(r);
      return m ? [Number(m[1])] : [];
    }),
  );

describe('a bank with 10,000 accounts', () => {
  it('is read up to limits.maxAccounts and limits.maxPages, and the log says it sampled', async () => {
    const { catalogue } = catalogueOf('berlin-group');
    const b = await bank(10);
    const config = defaultBankConfig(b.baseUrl, 'berlin-group');
    config.consent = { id: LINK_BANK_CONSENT, create: false };
    config.limits = { ...config.limits, maxAccounts: 20, maxPages: 3 };
    const client = createHttpClient({ limits: config.limits });
    cleanup.push(() => client.close());
    const log = await collectExchanges({ catalogue, bank: config, client, consentPollMs: 10 });
    expect(log.fatal).toBeUndefined();

    const asked = accountsAsked(b.requests);
    expect(
      [...asked].every((i) => i < 20),
      'only the first 20 accounts are read',
    ).toBe(true);
    expect(asked.size).toBe(20);
    // consent status, information, list; per account details, balances, booked and both (3 pages
    // each) and pending (1 page); one date-filtered chain; the error and negative probes; no extra links.
    const bound = 3 + 20 * (2 + 3 + 3 + 1) + 3 + catalogue.errorProbes.length + catalogue.negativeProbes.length;
    expect(b.requests.length).toBeLessThanOrEqual(bound);
    expect(b.requests.filter((r) => /page=4/.test(r))).toEqual([]);
    expect(log.exchanges.length).toBe(b.requests.length);
    // Booked and both for each of the 20 accounts, and the date-filtered list (this bank does not filter).
    const sampledChains = log.exchanges.filter((e) => e.context?.chainEnd === 'sampled').length;
    expect(sampledChains).toBe(41);
    expect(log.sampling).toEqual(
      expect.arrayContaining([
        'the card-account list named 10000 accounts; the first 20 were read (limits.maxAccounts)',
        `${sampledChains} transaction lists had more than 3 pages; the first 3 pages of each were read (limits.maxPages)`,
        expect.stringMatching(/links in list items beyond the first 20 were not followed/),
      ]),
    );
    // A cut chain is a sample, not a broken pagination rule.
    expect(log.exchanges.some((e) => e.context?.chainEnd === 'limit')).toBe(false);
  });

  it('is collected with the default limits in modest memory (peak RSS of the collecting process)', async () => {
    const b = await bank(2);
    const dir = mkdtempSync(join(tmpdir(), 'crawl-rss-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const dist = (...p: string[]): string => pathToFileURL(projectPath('dist', ...p)).toString();
    // The built collector, as the CLI runs it (`npm test` builds dist/ first).
    const script = join(dir, 'collect.mjs');
    writeFileSync(
      script,
      `
      const { collectExchanges } = await import(${JSON.stringify(dist('collect', 'collect.js'))});
      const { defaultBankConfig } = await import(${JSON.stringify(dist('config', 'load.js'))});
      const { createHttpClient } = await import(${JSON.stringify(dist('transport', 'http', 'client.js'))});
      const { loadProfile } = await import(${JSON.stringify(dist('config', 'profile.js'))});
      const { loadProfileSpec } = await import(${JSON.stringify(dist('schemas', 'load-profile-spec.js'))});
      const { buildCatalogue } = await import(${JSON.stringify(dist('rules', 'catalogue', 'generate.js'))});
      const profile = loadProfile('berlin-group');
      const catalogue = buildCatalogue(loadProfileSpec(profile), profile);
      const config = defaultBankConfig(process.argv[2], 'berlin-group');
      config.consent = { id: process.argv[3], create: false };
      const client = createHttpClient({ limits: config.limits });
      const log = await collectExchanges({ catalogue, bank: config, client, consentPollMs: 10 });
      await client.close();
      process.stdout.write(JSON.stringify({ exchanges: log.exchanges.length, fatal: log.fatal ?? null, sampling: log.sampling, maxRssKb: process.resourceUsage().maxRSS }));
    `,
    );
    const out = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [script, b.baseUrl, LINK_BANK_CONSENT], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => {
        stdout += d;
      });
      child.stderr.on('data', (d) => {
        stderr += d;
      });
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`the collector did not finish in time\n${stderr}`));
      }, 540_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
    expect(out.code, out.stderr).toBe(0);
    const result = JSON.parse(out.stdout) as { exchanges: number; fatal: string | null; sampling: string[]; maxRssKb: number };
    expect(result.fatal).toBeNull();
    expect(result.sampling[0]).toBe('the card-account list named 10000 accounts; the first 50 were read (limits.maxAccounts)');
    expect([...accountsAsked(b.requests)].every((i) => i < 50)).toBe(true);
    expect(b.requests.length).toBe(result.exchanges);
    expect(b.requests.length).toBeLessThan(600);
    // Measured by hand: about 130 MB on Node 20 (most of it the runtime and the spec's validators).
    expect(result.maxRssKb / 1024).toBeLessThan(300);
  });

  it('does not parse a body nested 100,000 deep: the rules that needed it are broken with the reason', async () => {
    const { catalogue } = catalogueOf('berlin-group');
    const b = await startLinkBank({ rawList: `{"cardAccounts":${'['.repeat(100_000)}${']'.repeat(100_000)}}` });
    cleanup.push(() => b.close());
    const config = { ...defaultBankConfig(b.baseUrl, 'berlin-group'), consent: { id: LINK_BANK_CONSENT, create: false } };
    const client = createHttpClient({ limits: config.limits });
    cleanup.push(() => client.close());
    const log = await collectExchanges({ catalogue, bank: config, client, consentPollMs: 10 });
    expect(log.fatal).toBeUndefined();
    expect(log.notSent['per-account']).toContain('named no account');
    const schema = judgeAll(catalogue, log).find((r) => r.rule.id === 'getCardAccountList:schema')!;
    expect(schema.status).toBe('broken');
    expect(schema.message).toContain('more than 64 levels deep');
  });
});
