// `run --only CATEGORY` sends only the requests the selected rules judge: a real portal counts
// every call (some allow four unattended calls a day per consent), so a currency check must not
// spend them on the rejection suite, the error probes or link following.
import { describe, expect, it } from 'vitest';
import { okProbe } from '../rules/catalogue/generate.js';
import { problems, runEngine } from './fixtures/engine-run.js';

const kinds = (probes: string[]): string[] => [...new Set(probes.map((p) => p.split(':')[0]!))].sort();

describe('the collector asks only for what the selected rules judge', () => {
  it('the whole catalogue: consent, list, accounts, error probes, the rejection suite and links', async () => {
    const run = await runEngine('berlin-group', { sign: true });
    expect(kinds(run.log.exchanges.map((e) => e.probe))).toEqual(expect.arrayContaining(['error', 'follow', 'ok', 'sig']));
  });

  it('--only currency: the account reads, and no error probe, signature case or link follow', async () => {
    const run = await runEngine('berlin-group', { sign: true, only: ['currency'] });
    const probes = run.log.exchanges.map((e) => e.probe);
    expect(kinds(probes)).toEqual(['ok']);
    expect(probes).toContain(okProbe('getCardAccountBalances'));
    expect(problems(run.results)).toEqual([]);
    expect(run.results.filter((r) => r.status === 'passed').length).toBeGreaterThan(5);
  });

  it('--only signature: the rejection suite on the list, and no account is read', async () => {
    const run = await runEngine('berlin-group', { sign: true, only: ['signature'] });
    const probes = run.log.exchanges.map((e) => e.probe);
    expect(probes.filter((p) => p.startsWith('sig:')).length).toBeGreaterThan(10);
    for (const op of ['readCardAccountDetails', 'getCardAccountBalances', 'getCardAccountTransactionList']) expect(probes).not.toContain(okProbe(op));
    expect(problems(run.results)).toEqual([]);
  });
});
