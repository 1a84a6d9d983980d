// Requests a real portal counts: consent polling stops at the first 4xx and names the bank's
// error code; a baseUrl ending in a version segment is noticed.
import { afterEach, describe, expect, it } from 'vitest';
import { collectExchanges } from '../collect/collect.js';
import { defaultBankConfig } from '../config/load.js';
import { createHttpClient } from '../transport/http/client.js';
import { catalogueOf } from './fixtures/engine-run.js';
import { LINK_BANK_CONSENT, startLinkBank, type LinkBank, type LinkBankOptions } from './fixtures/link-bank.js';

const { catalogue } = catalogueOf('berlin-group');
const banks: LinkBank[] = [];
afterEach(async () => {
  await Promise.all(banks.splice(0).map((b) => b.close()));
});

async function collect(opts: LinkBankOptions, baseUrl?: (b: LinkBank) => string) {
  const bank = await startLinkBank(opts);
  banks.push(bank);
  const config = { ...defaultBankConfig(baseUrl ? baseUrl(bank) : bank.baseUrl, 'berlin-group'), consent: { id: LINK_BANK_CONSENT, create: false } };
  const client = createHttpClient({ limits: config.limits });
  try {
    return { bank, log: await collectExchanges({ catalogue, bank: config, client, consentPollMs: 10 }) };
  } finally {
    await client.close();
  }
}

describe('consent polling', () => {
  it("stops at the first 4xx and names the bank's error code", async () => {
    const { bank, log } = await collect({
      consentStatus: { status: 403, body: { tppMessages: [{ category: 'ERROR', code: 'CONSENT_EXPIRED', text: 'expired' }] } },
    });
    expect(bank.requests.filter((r) => r.includes('/status'))).toHaveLength(1);
    expect(log.fatal).toBe('consent could not be obtained: GET /v1/consents/{consentId}/status answered 403 CONSENT_EXPIRED; the status was not asked again');
    // Nothing else was asked of the bank once the consent was known to be unusable.
    expect(bank.requests).toHaveLength(1);
  });

  it('keeps polling a consent that is not valid yet, up to its bound', async () => {
    const { bank, log } = await collect({ consentStatus: { status: 200, body: { consentStatus: 'received' } } });
    expect(bank.requests.filter((r) => r.includes('/status'))).toHaveLength(10);
    expect(log.fatal).toContain("still 'received' after 10 status checks");
  });
});

describe('a baseUrl ending in a version segment', () => {
  it('is recorded as a notice naming the doubled path', async () => {
    const { log } = await collect({ basePath: '/v1' }, (b) => b.baseUrl);
    expect(log.notices).toEqual([expect.stringContaining('requests go to /v1/v1/card-accounts')]);
  });
});
