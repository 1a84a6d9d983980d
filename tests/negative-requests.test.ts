// What the negative category sends to a bank, counted by the bank itself: the generated negative
// requests stay within limits.negativeRequests (and the left-out cases are named), `--only`
// without the category sends none, and the consent lifecycle (DELETE, reuse after deletion, a
// second consent) never touches a pre-authorised consent the user gave us.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { collectExchanges, type ExchangeLog } from '../collect/collect.js';
import { defaultBankConfig } from '../config/load.js';
import { loadProfile } from '../config/profile.js';
import { buildCatalogue, type Catalogue } from '../rules/catalogue/generate.js';
import { loadProfileSpec } from '../schemas/load-profile-spec.js';
import { startReferenceBank } from '../sandbox/server.js';
import type { RunningBank } from '../sandbox/types.js';
import { createHttpClient } from '../transport/http/client.js';
import { judgeAll } from './fixtures/engine-run.js';

const profile = loadProfile('berlin-group');
const spec = loadProfileSpec(profile);
const TODAY = '2026-11-20';

interface CountingBank {
  bank: RunningBank;
  seen: string[];
}
const banks: RunningBank[] = [];
afterEach(async () => {
  await Promise.all(banks.splice(0).map((b) => b.close()));
});

/** The reference bank, recording "METHOD path?query" of every request it answers, in order. */
async function countingBank(): Promise<CountingBank> {
  const seen: string[] = [];
  const count = {
    id: 'count',
    apply: (ctx: { request: { method: string; path: string } }) => {
      seen.push(`${ctx.request.method} ${ctx.request.path}`);
    },
  };
  const bank = await startReferenceBank({ host: '127.0.0.1', port: 0, today: TODAY, mutations: [count] });
  banks.push(bank);
  return { bank, seen };
}

async function collect(b: CountingBank, catalogue: Catalogue, consent?: string): Promise<ExchangeLog> {
  const preAuthorised = consent ? { consent: { id: consent, create: false } } : {};
  const config = { ...defaultBankConfig(b.bank.baseUrl, 'berlin-group'), signingRequired: false, ...preAuthorised };
  const client = createHttpClient({ limits: { ...config.limits, timeoutMs: 30_000 } });
  try {
    return await collectExchanges({ catalogue, bank: config, client, consentPollMs: 10, today: () => new Date(`${TODAY}T12:00:00Z`) });
  } finally {
    await client.close();
  }
}

describe('limits.negativeRequests', () => {
  it('bounds the negative requests the bank receives, and names the cases left out', async () => {
    const counts = new Map<number, number>();
    for (const budget of [0, 5, 12]) {
      const b = await countingBank();
      const catalogue = buildCatalogue(spec, profile, { limits: { negativeRequests: budget } });
      const log = await collect(b, catalogue);
      expect(log.fatal).toBeUndefined();
      counts.set(budget, b.seen.length);
      expect(log.exchanges.filter((e) => e.probe.startsWith('negative:'))).toHaveLength(budget);
      const note = log.sampling?.find((s) => s.includes('negative requests were generated'));
      const { generated, leftOut } = catalogue.sampling.negative ?? { generated: 0, leftOut: [] };
      expect(leftOut).toHaveLength(generated - budget);
      expect(note).toBe(
        `${generated} negative requests were generated from the spec's parameters; ${budget} were sent ` +
          `(limits.negativeRequests ${budget}, one of each kind of fault first); left out: ${leftOut.join(', ')}`,
      );
      // Every rule of the category is judged: none stands for a request that was not sent.
      const negative = judgeAll(catalogue, log).filter((r) => r.rule.category === 'negative');
      expect(negative.filter((r) => r.status !== 'passed').map((r) => `${r.rule.id}: ${r.status} ${r.message}`)).toEqual([]);
    }
    // The rest of the run is the same whatever the budget: the difference is the negative requests alone.
    expect(counts.get(5)! - counts.get(0)!).toBe(5);
    expect(counts.get(12)! - counts.get(0)!).toBe(12);
  }, 120_000);

  it('sends no negative or lifecycle request when the category is not selected (--only)', async () => {
    const b = await countingBank();
    const catalogue = buildCatalogue(spec, profile);
    catalogue.rules = catalogue.rules.filter((r) => r.category === 'schema');
    const log = await collect(b, catalogue);
    expect(log.exchanges.filter((e) => e.probe.startsWith('negative:') || e.probe.startsWith('lifecycle:'))).toEqual([]);
    expect(b.seen.filter((r) => r.startsWith('POST /v1/consents'))).toHaveLength(1);
    expect(log.sampling?.some((s) => s.includes('negative requests'))).toBe(false);
  }, 60_000);
});

describe('the consent lifecycle', () => {
  it("with a consent the run creates: the second consent is deleted, the run's consent is reused only after its DELETE", async () => {
    const b = await countingBank();
    const log = await collect(b, buildCatalogue(spec, profile));
    const deletes = b.seen.filter((r) => r.startsWith('DELETE /v1/consents/'));
    expect(deletes).toHaveLength(2); // the consent for one account, then the run's own
    expect(b.seen.filter((r) => r.startsWith('POST /v1/consents'))).toHaveLength(2);
    const runDelete = b.seen.indexOf(`DELETE /v1/consents/${encodeURIComponent(log.consentId!)}`);
    const reuse = log.exchanges.filter((e) => e.probe.startsWith('lifecycle:deleted-consent:') || e.probe === 'lifecycle:consent-status');
    expect(reuse).toHaveLength(5);
    const asSeen = (url: string): string => `${new URL(url).pathname}${new URL(url).search}`;
    for (const e of reuse) expect(b.seen.lastIndexOf(`${e.request.method} ${asSeen(e.request.url)}`)).toBeGreaterThan(runDelete);
    expect(log.otherConsentIds).toHaveLength(1);
    expect(log.otherConsentIds![0]).not.toBe(log.consentId);
  }, 60_000);

  it('with a pre-authorised consent: no DELETE, no second consent, no lifecycle request; the rules say why they were not judged', async () => {
    const b = await countingBank();
    // The user's consent, authorised beforehand (the sandbox approves it at the first status read).
    const headers = { 'content-type': 'application/json', 'psu-ip-address': '192.0.2.10' };
    const consent = { access: { allPsd2: 'allAccounts' }, recurringIndicator: true, validUntil: '2026-12-31', frequencyPerDay: 4 };
    const body = JSON.stringify({ ...consent, combinedServiceIndicator: false });
    const created = await fetch(`${b.bank.baseUrl}/v1/consents`, { method: 'POST', headers: { ...headers, 'x-request-id': randomUUID() }, body });
    const { consentId } = (await created.json()) as { consentId: string };
    const status = async (): Promise<unknown> => {
      const res = await fetch(`${b.bank.baseUrl}/v1/consents/${consentId}/status`, { headers: { 'x-request-id': randomUUID() } });
      return ((await res.json()) as { consentStatus: unknown }).consentStatus;
    };
    expect(await status()).toBe('valid');
    b.seen.length = 0;

    const catalogue = buildCatalogue(spec, profile);
    const log = await collect(b, catalogue, consentId);
    expect(log.fatal).toBeUndefined();
    expect(b.seen.filter((r) => r.startsWith('DELETE ') || r.startsWith('POST '))).toEqual([]);
    expect(log.exchanges.filter((e) => e.probe.startsWith('lifecycle:'))).toEqual([]);
    // Every request went out with the user's consent, and it is still valid afterwards.
    const sentWith = (e: (typeof log.exchanges)[number]): string | undefined => e.request.headers['consent-id'];
    expect(log.exchanges.every((e) => sentWith(e) === undefined || e.probe.startsWith('error:') || sentWith(e) === consentId)).toBe(true);
    expect(await status()).toBe('valid');
    const lifecycle = judgeAll(catalogue, log).filter((r) => r.rule.id.includes(':consent-lifecycle:'));
    expect(lifecycle).toHaveLength(6);
    for (const r of lifecycle) {
      expect(r.status, r.rule.id).toBe('skipped');
      expect(r.message).toContain('a pre-authorised consent was used');
    }
  }, 60_000);
});
