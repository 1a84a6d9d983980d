// The memory figure of `npm run bench`: one run (collect, then judge every rule, as `run` does)
// against a bank that another process serves, so the peak resident memory measured here is the
// run's alone. Started by scripts/bench.ts as `node bench-memory.js BASE_URL MAX_ACCOUNTS MAX_PAGES [MAX_BODY_BYTES]`;
// prints one JSON line { maxRssMiB, requests, transactions, ms }.
import { performance } from 'node:perf_hooks';
import { defaultBankConfig } from '../config/load.js';
import { loadProfile } from '../config/profile.js';
import { collectExchanges } from '../collect/collect.js';
import { buildCatalogue } from '../rules/catalogue/generate.js';
import { judgeRule, observe } from '../rules/judge.js';
import { loadSpecDocument } from '../schemas/spec-document.js';
import { SchemaValidators } from '../schemas/validators.js';
import { createHttpClient } from '../transport/http/client.js';

const [baseUrl, maxAccountsText, maxPagesText, maxBodyBytesText] = process.argv.slice(2);
if (!baseUrl || !maxAccountsText || !maxPagesText) throw new Error('usage: bench-memory BASE_URL MAX_ACCOUNTS MAX_PAGES [MAX_BODY_BYTES]');
const t = performance.now();
const profile = loadProfile('berlin-group');
const catalogue = buildCatalogue(loadSpecDocument(profile.spec), profile);
const defaults = defaultBankConfig(baseUrl, 'berlin-group');
const bank = { ...defaults, limits: { ...defaults.limits, ...(maxBodyBytesText ? { maxBodyBytes: Number(maxBodyBytesText) } : {}) } };
const client = createHttpClient({ limits: { ...bank.limits, concurrency: 8 } });
try {
  const log = await collectExchanges({ catalogue, bank, client, consentPollMs: 0, maxAccounts: Number(maxAccountsText), maxPages: Number(maxPagesText) });
  const ctx = { exchanges: observe(log.exchanges), profile, validators: new SchemaValidators(catalogue.defs), notSent: log.notSent };
  const results = catalogue.rules.map((r) => judgeRule(r, ctx));
  // Entries judged: every booked or pending entry of every transaction page received.
  const transactions = ctx.exchanges.reduce((n, ex) => {
    const page = (ex.json as { cardTransactions?: { booked?: unknown[]; pending?: unknown[] } } | undefined)?.cardTransactions;
    return n + (page?.booked?.length ?? 0) + (page?.pending?.length ?? 0);
  }, 0);
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  if (log.fatal) console.error(log.fatal);
  console.log(JSON.stringify({ maxRssMiB, requests: log.exchanges.length, transactions, results: results.length, ms: performance.now() - t }));
} finally {
  await client.close();
}
