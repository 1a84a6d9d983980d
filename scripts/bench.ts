// `npm run bench`: speed and memory of the parts of a run, against the reference bank on loopback.
// Targets are here, not in timed tests, so `npm test` never flakes on a slow machine.
import { performance } from 'node:perf_hooks';
import { defaultBankConfig } from '../lib/config/load.js';
import { collectExchanges } from '../lib/collect/collect.js';
import { createHttpClient } from '../lib/http/client.js';
import { loadProfile } from '../lib/profile.js';
import { buildCatalogue } from '../rules/catalogue/generate.js';
import { judgeRule, observe } from '../rules/judge.js';
import { SchemaValidators } from '../schemas/validators.js';
import { loadSpecDocument } from '../schemas/spec-document.js';
import { startReferenceBank } from '../sandbox/index.js';

interface Row { what: string; value: number; unit: string; target: number }
const rows: Row[] = [];
const time = async <T>(fn: () => Promise<T> | T): Promise<[T, number]> => { const t = performance.now(); const r = await fn(); return [r, performance.now() - t]; };

const profile = loadProfile('berlin-group');
const [spec, tSpec] = await time(() => loadSpecDocument(profile.spec));
rows.push({ what: 'load and parse the spec', value: tSpec, unit: 'ms', target: 500 });
const [catalogue, tCat] = await time(() => buildCatalogue(spec, profile));
rows.push({ what: `generate the catalogue (${catalogue.rules.length} rules)`, value: tCat, unit: 'ms', target: 300 });

const bank = await startReferenceBank({ host: '127.0.0.1', port: 0, pageSize: 5 });
const client = createHttpClient({ limits: { ...defaultBankConfig(bank.baseUrl, 'berlin-group').limits, concurrency: 8 } });
const [log, tCollect] = await time(() => collectExchanges({ catalogue, bank: defaultBankConfig(bank.baseUrl, 'berlin-group'), client }));
await client.close();
await bank.close();
rows.push({ what: `collect (${log.exchanges.length} requests)`, value: tCollect, unit: 'ms', target: 3000 });
rows.push({ what: 'requests per second', value: (log.exchanges.length / tCollect) * 1000, unit: 'req/s', target: -50 });

const validators = new SchemaValidators(catalogue.defs);
const [, tJudge] = await time(() => {
  const ctx = { exchanges: observe(log.exchanges), profile, validators, notSent: log.notSent };
  return catalogue.rules.map((r) => judgeRule(r, ctx));
});
rows.push({ what: `judge every rule (${catalogue.rules.length} × ${log.exchanges.length} exchanges)`, value: tJudge, unit: 'ms', target: 1500 });
rows.push({ what: 'peak resident memory', value: process.resourceUsage().maxRSS / 1024, unit: 'MiB', target: 400 });

let missed = 0;
console.log('card-conformance benchmark (targets: ≤ for time and memory, ≥ for throughput)\n');
for (const r of rows) {
  const ok = r.target < 0 ? r.value >= -r.target : r.value <= r.target;
  if (!ok) missed++;
  console.log(`${ok ? 'ok  ' : 'MISS'} ${r.what.padEnd(52)} ${r.value.toFixed(1).padStart(9)} ${r.unit.padEnd(6)} target ${r.target < 0 ? '≥' : '≤'} ${Math.abs(r.target)}`);
}
process.exitCode = missed > 0 ? 1 : 0;
