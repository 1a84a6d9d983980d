// The origin policy end to end: a bank whose next link, _links hrefs and redirects point at
// another port and another host. Nothing is sent there; each is a `links` finding naming the
// href; an allowedOrigins entry makes them followed.
import { afterEach, describe, expect, it } from 'vitest';
import { collectExchanges, type ExchangeLog } from '../collect/collect.js';
import { defaultBankConfig } from '../config/load.js';
import { createHttpClient } from '../transport/http/client.js';
import type { RuleResult } from '../core/model.js';
import { catalogueOf, judgeAll } from './fixtures/engine-run.js';
import { LINK_BANK_CONSENT, startBystander, startLinkBank, type LinkBank, type LinkBankOptions } from './fixtures/link-bank.js';

const { catalogue } = catalogueOf('berlin-group');
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanup.splice(0).map((c) => c()));
});

async function collect(bank: LinkBank, allowedOrigins: string[] = []): Promise<{ log: ExchangeLog; results: RuleResult[] }> {
  const config = { ...defaultBankConfig(bank.baseUrl, 'berlin-group'), consent: { id: LINK_BANK_CONSENT, create: false }, allowedOrigins };
  const client = createHttpClient({ limits: config.limits });
  try {
    const log = await collectExchanges({ catalogue, bank: config, client, consentPollMs: 10 });
    return { log, results: judgeAll(catalogue, log) };
  } finally {
    await client.close();
  }
}

async function setUp(): Promise<{
  bank: LinkBank;
  port: Awaited<ReturnType<typeof startBystander>>;
  host: Awaited<ReturnType<typeof startBystander>>;
  hrefs: string[];
}> {
  // Another port on the same host, and another host (127.0.0.2 is loopback too).
  const port = await startBystander('127.0.0.1');
  cleanup.push(() => port.close());
  const host = await startBystander('127.0.0.2');
  cleanup.push(() => host.close());
  const elsewhere = (i: number): string => (i === 0 ? port.origin : host.origin);
  const opts: LinkBankOptions = {
    accounts: 2,
    nextHref: (i, page) => `${elsewhere(i)}/v1/card-accounts/acc-0000${i}/transactions?bookingStatus=booked&page=${page + 1}`,
    balancesHref: (i) => `${elsewhere(i)}/v1/card-accounts/acc-0000${i}/balances`,
    detailsRedirect: (i) => `${elsewhere(i)}/v1/card-accounts/acc-0000${i}`,
  };
  const bank = await startLinkBank(opts);
  cleanup.push(() => bank.close());
  const hrefs = [0, 1].flatMap((i) => [
    `${elsewhere(i)}/v1/card-accounts/acc-0000${i}/transactions?bookingStatus=booked&page=2`,
    `${elsewhere(i)}/v1/card-accounts/acc-0000${i}/balances`,
    `${elsewhere(i)}/v1/card-accounts/acc-0000${i}`,
  ]);
  return { bank, port, host, hrefs };
}

describe('the origin policy', () => {
  it('sends nothing to another port or host; each link and redirect there is a links finding naming the href', async () => {
    const { bank, port, host, hrefs } = await setUp();
    const { log, results } = await collect(bank);
    expect(port.requests).toEqual([]);
    expect(host.requests).toEqual([]);
    expect(log.exchanges.every((e) => new URL(e.request.url).origin === new URL(bank.baseUrl).origin)).toBe(true);

    const finding = results.find((r) => r.rule.id === 'links:same-origin')!;
    expect(finding).toMatchObject({ status: 'failed', severity: 'major', rule: { category: 'links' } });
    const messages = finding.violations.map((v) => v.message);
    for (const href of hrefs)
      expect(
        messages.some((m) => m.startsWith(`link leaves the bank's origin: ${href} `)),
        href,
      ).toBe(true);
    expect(messages.every((m) => m.includes('it was not followed'))).toBe(true);
    expect(messages.some((m) => m.includes('(_links.next in the answer to GET /v1/card-accounts/acc-00000/transactions?bookingStatus=booked)'))).toBe(true);
    expect(messages.some((m) => m.includes('(redirect (Location) in the answer to GET /v1/card-accounts/acc-00001)'))).toBe(true);
    expect(messages.some((m) => m.includes('(_links.balances in the answer to GET /v1/card-accounts)'))).toBe(true);
    // The evidence is the answer that carried the link.
    const cited = finding.evidence.map((i) => log.exchanges[i]!);
    expect(cited.every((e) => (e.notFollowed ?? []).length > 0)).toBe(true);
    // A chain that leaves the origin is judged on the pages received, not broken.
    expect(results.find((r) => r.rule.id === 'semantic:pagination-complete')!.status).toBe('passed');
  });

  it('follows links and redirects to the origins the bank file allows', async () => {
    const { bank, port, host } = await setUp();
    const { log, results } = await collect(bank, [port.origin, host.origin]);
    for (const b of [port, host]) {
      expect(
        b.requests.some((r) => r.endsWith('/transactions?bookingStatus=booked&page=2')),
        b.origin,
      ).toBe(true);
      expect(
        b.requests.some((r) => r.endsWith('/balances')),
        b.origin,
      ).toBe(true);
      expect(b.requests).toContain(`GET /v1/card-accounts/acc-0000${b === port ? 0 : 1}`);
    }
    expect(results.find((r) => r.rule.id === 'links:same-origin')).toMatchObject({ status: 'passed' });
    const redirected = log.exchanges.find((e) =>
      String(e.context?.redirects ?? '').includes(`302 ${bank.baseUrl}/v1/card-accounts/acc-00000 → ${port.origin}/v1/card-accounts/acc-00000`),
    );
    expect(redirected?.response?.status).toBe(200);
  });
});
