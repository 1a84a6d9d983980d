// Links as TPP clients use them: a transactions link without the mandatory bookingStatus gets it
// added (no false alarm), and hrefs that lack baseUrl's path resolve under it.
import { afterEach, describe, expect, it } from 'vitest';
import { collectExchanges, LINK_TRY_PROBE, type ExchangeLog } from '../collect/collect.js';
import { defaultBankConfig } from '../config/load.js';
import { createHttpClient } from '../transport/http/client.js';
import type { RuleResult } from '../core/model.js';
import { LINKS_PROBE } from '../rules/kinds/links-resolve.js';
import { catalogueOf, judgeAll } from './fixtures/engine-run.js';
import { LINK_BANK_CONSENT, startLinkBank, type LinkBank, type LinkBankOptions } from './fixtures/link-bank.js';

const { catalogue } = catalogueOf('berlin-group');
const banks: LinkBank[] = [];
afterEach(async () => {
  await Promise.all(banks.splice(0).map((b) => b.close()));
});

async function run(opts: LinkBankOptions): Promise<{ bank: LinkBank; log: ExchangeLog; results: RuleResult[]; result: (id: string) => RuleResult }> {
  const bank = await startLinkBank(opts);
  banks.push(bank);
  const config = { ...defaultBankConfig(bank.baseUrl, 'berlin-group'), consent: { id: LINK_BANK_CONSENT, create: false } };
  const client = createHttpClient({ limits: config.limits });
  try {
    const log = await collectExchanges({ catalogue, bank: config, client, consentPollMs: 10 });
    const results = judgeAll(catalogue, log);
    return { bank, log, results, result: (id) => results.find((r) => r.rule.id === id)! };
  } finally {
    await client.close();
  }
}

const TX_PROBE = 'ok:getCardAccountTransactionList';

describe('following links', () => {
  it('adds the bookingStatus a transactions link lacks, says so, and the link resolves', async () => {
    const { log, result } = await run({ transactionsLinkQuery: 'withBalance=true' });
    const followed = log.exchanges.filter((e) => e.probe === LINKS_PROBE && e.context?.link === 'transactions');
    expect(followed).toHaveLength(2);
    for (const e of followed) {
      expect(e.context).toMatchObject({ addedQuery: 'bookingStatus=booked', convention: 'against the origin', target: 'getCardAccountTransactionList' });
      expect(e.request.url).toMatch(/\/transactions\?withBalance=true&bookingStatus=booked$/);
      expect(e.response?.status).toBe(200);
    }
    expect(result('semantic:links-resolve')).toMatchObject({ status: 'passed', checked: 2, rule: { category: 'links' } });
  });

  it('raises no false alarm on links shaped like the official examples (no query at all)', async () => {
    const { log, result } = await run({});
    // No request of the run's own reading or of a link asked for transactions without bookingStatus.
    const bare = log.exchanges.filter(
      (e) => [LINKS_PROBE, TX_PROBE, LINK_TRY_PROBE].includes(e.probe) && /\/transactions/.test(e.request.url) && !/bookingStatus=/.test(e.request.url),
    );
    expect(bare).toEqual([]);
    expect(['passed', 'skipped']).toContain(result('semantic:links-resolve').status);
    expect(result('semantic:pagination-complete').status).toBe('passed');
  });

  it("resolves hrefs that lack baseUrl's path under it, and names the URL fetched and the convention", async () => {
    const { bank, log, result } = await run({ basePath: '/api', hrefPrefix: '', transactionsLinkQuery: 'withBalance=true', pages: 3 });
    expect(bank.baseUrl).toMatch(/\/api$/);
    const links = result('semantic:links-resolve');
    expect(links).toMatchObject({ status: 'passed', checked: 2 });
    const worked = log.exchanges.filter((e) => e.probe === LINKS_PROBE && e.response?.status === 200);
    expect(worked.length).toBe(2);
    for (const e of worked) {
      expect(e.context?.convention).toBe("against baseUrl's path /api");
      expect(new URL(e.request.url).pathname).toMatch(/^\/api\/v1\/card-accounts\/acc-0000\d\/transactions$/);
    }
    // Every page of every chain was read under /api, and the chains are complete.
    for (const account of ['acc-00000', 'acc-00001']) {
      for (const page of [2, 3])
        expect(
          bank.requests.some((r) => r.startsWith(`GET /api/v1/card-accounts/${account}/transactions?bookingStatus=booked&page=${page}`)),
          `${account} page ${page}`,
        ).toBe(true);
    }
    expect(result('semantic:pagination-complete')).toMatchObject({ status: 'passed' });
    expect(log.exchanges.filter((e) => e.probe === TX_PROBE).every((e) => e.response?.status === 200)).toBe(true);
    // The tries that did not work are on record, under their own probe, and judged by no page rule.
    const tries = log.exchanges.filter((e) => e.probe === LINK_TRY_PROBE);
    expect(tries.every((e) => e.response?.status === 404 && e.context?.convention === 'against the origin')).toBe(true);
  });

  it('fails a link that resolves in no way, naming each URL fetched', async () => {
    const { result } = await run({ basePath: '/api', hrefPrefix: '/elsewhere', transactionsLinkQuery: 'withBalance=true', pages: 1 });
    const links = result('semantic:links-resolve');
    expect(links.status).toBe('failed');
    expect(links.message).toMatch(
      /link (balances|transactions) \(\/elsewhere\/v1\/card-accounts\/acc-0000\d\/\w+.*\) from GET \/v1\/card-accounts does not resolve: GET http:\/\/127\.0\.0\.1:\d+\/elsewhere\/v1\/.* \(against the origin.*\) answered 404; GET http:\/\/127\.0\.0\.1:\d+\/api\/elsewhere\/v1\/.* \(against baseUrl's path \/api.*\) answered 404/,
    );
  });
});
