// `npm run bench`: speed and memory of a run, each figure the median of several runs (with min and
// max) against its target, measured in the same process: JSON.parse of the same bytes and
// openapi-backend (a dev dependency) validating the same body are the peers. A benchmark, not a
// test: `npm test` never depends on the machine's speed. Writes bench/results.json.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { OpenAPIBackend } from 'openapi-backend';
import { defaultBankConfig } from '../config/load.js';
import { collectExchanges } from '../collect/collect.js';
import { createHttpClient } from '../transport/http/client.js';
import type { HttpClient } from '../transport/http/types.js';
import type { Exchange } from '../core/model.js';
import { loadProfile } from '../config/profile.js';
import { projectPath } from '../core/paths.js';
import { buildCatalogue, okProbe } from '../rules/catalogue/generate.js';
import { judgeRule, observe } from '../rules/judge.js';
import { SchemaValidators } from '../schemas/validators.js';
import { loadSpecDocument } from '../schemas/spec-document.js';
import { startReferenceBank } from '../sandbox/index.js';

interface Figure {
  median: number;
  min: number;
  max: number;
  runs: number;
}
interface Row {
  what: string;
  value: Figure;
  unit: string;
  target?: number;
  targetText?: string;
  peer?: string;
}
const rows: Row[] = [];
/** A benchmark input that must exist; without it the figure would be meaningless, so the script stops and says which. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`bench: ${what} is missing`);
  return value;
}
const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
const figure = (xs: number[]): Figure => {
  const s = sorted(xs);
  const at = (i: number): number => must(s[i], 'a timing');
  return { median: at(Math.floor(s.length / 2)), min: at(0), max: at(s.length - 1), runs: s.length };
};
/** Median of `runs` timings of fn (after `warm` untimed runs), in ms. */
function timeSync(fn: () => unknown, runs: number, warm = 2): Figure {
  for (let i = 0; i < warm; i++) fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    xs.push(performance.now() - t);
  }
  return figure(xs);
}
const scale = (f: Figure, k: number): Figure => ({ median: f.median * k, min: f.min * k, max: f.max * k, runs: f.runs });
const ratio = (a: Figure, b: Figure): Figure => ({ median: a.median / b.median, min: a.min / b.max, max: a.max / b.min, runs: Math.min(a.runs, b.runs) });

const profile = loadProfile('berlin-group');
const spec = loadSpecDocument(profile.spec);
const catalogue = buildCatalogue(spec, profile);
const validators = new SchemaValidators(catalogue.defs);
const txOp = must(
  catalogue.operations.find((o) => o.role === 'readTransactions'),
  'the transactions operation',
);
const listOp = must(
  catalogue.operations.find((o) => o.role === 'listCardAccounts'),
  'the card-account list operation',
);

// A real exchange of each kind from the reference bank, as the bodies to grow.
const bank = await startReferenceBank({ host: '127.0.0.1', port: 0, pageSize: 50 });
const client0 = createHttpClient({ limits: { ...defaultBankConfig(bank.baseUrl, 'berlin-group').limits, concurrency: 8 } });
const log0 = await collectExchanges({ catalogue, bank: defaultBankConfig(bank.baseUrl, 'berlin-group'), client: client0, maxAccounts: 3, maxPages: 1 });
await client0.close();
const okOf = (opId: string): Exchange =>
  must(
    log0.exchanges.find((e) => e.probe === okProbe(opId) && e.response?.status === 200),
    `a 200 of ${opId}`,
  );
const txEx = must(
  log0.exchanges.find((e) => e.probe === okProbe(txOp.operationId) && e.response?.status === 200 && /"booked":\[\{/.test(e.response.body)),
  'a transaction page with booked entries',
);
const txResponse = must(txEx.response, 'its response');
const listEx = okOf(listOp.operationId);

// The 10,000-transaction page: the reference bank's booked entries repeated with distinct ids.
const page = JSON.parse(txResponse.body) as { cardTransactions: { booked: Record<string, unknown>[]; pending?: unknown[]; _links?: unknown } };
const booked = page.cardTransactions.booked;
const big = {
  ...page,
  cardTransactions: {
    ...page.cardTransactions,
    booked: Array.from({ length: 10_000 }, (_, i) => ({ ...must(booked[i % booked.length], 'a booked entry'), cardTransactionId: `tx-${i}` })),
    pending: [],
  },
};
const bigBody = JSON.stringify(big);
const bigEx: Exchange = { ...txEx, context: { ...txEx.context, page: 1 }, response: { ...txResponse, body: bigBody } };
const smallBody = must(listEx.response, 'the list response').body;

/** Every rule of the catalogue judged on one exchange, its body parsed once (what a run does per exchange). */
const judgeAll = (ex: Exchange): void => {
  const ctx = { exchanges: observe([ex]), profile, validators, notSent: {} };
  for (const r of catalogue.rules) judgeRule(r, ctx);
};

// openapi-backend validating the same response body against the same spec.
const backend = new OpenAPIBackend({
  definition: structuredClone(spec.document) as never,
  quick: false,
  validate: true,
  strict: false,
  ajvOpts: { logger: false },
});
await backend.init();
const peerValidate = (body: string, opId: string): void => {
  backend.validateResponse(JSON.parse(body), opId, 200);
};
const peerCheck = backend.validateResponse(JSON.parse(smallBody), listOp.operationId, 200);

// `npm run bench -- validation` measures only the judging figures (before/after a change to the rules);
// `npm run bench -- memory` only the memory figures. Partial runs write bench/results.MODE.json.
const mode = process.argv[2];
const full = mode === undefined;
const validation = mode === undefined || mode === 'validation';
for (const [label, body, ex, opId, runs, targetRatio] of validation
  ? ([
      [`10,000-transaction page (${(Buffer.byteLength(bigBody) / 1e6).toFixed(1)} MB)`, bigBody, bigEx, txOp.operationId, 9, 1.5],
      [`account list (${(Buffer.byteLength(smallBody) / 1024).toFixed(1)} KB)`, smallBody, listEx, listOp.operationId, 101, undefined],
    ] as const)
  : []) {
  const parse = timeSync(() => JSON.parse(body), runs);
  const all = timeSync(() => judgeAll(ex), runs);
  const peer = timeSync(() => peerValidate(body, opId), runs);
  rows.push({ what: `${label}: JSON.parse`, value: parse, unit: 'ms' });
  rows.push({ what: `${label}: openapi-backend (parse + validate)`, value: peer, unit: 'ms', peer: `${ratio(peer, parse).median.toFixed(2)}× JSON.parse` });
  rows.push({
    what: `${label}: every rule (${catalogue.rules.length}), parse included`,
    value: all,
    unit: 'ms',
    ...(targetRatio ? {} : { target: 0.1, targetText: '≤ 0.1 ms per exchange' }),
    peer: `${ratio(all, peer).median.toFixed(2)}× openapi-backend`,
  });
  rows.push({
    what: `${label}: every rule ÷ JSON.parse`,
    value: ratio(all, parse),
    unit: '×',
    ...(targetRatio ? { target: targetRatio, targetText: `≤ ${targetRatio}× JSON.parse` } : {}),
  });
  rows.push({ what: `${label}: every rule ÷ openapi-backend`, value: ratio(all, peer), unit: '×', target: 1, targetText: '< 1 (faster than the peer)' });
}
// What one more exchange costs: the rules of a run are judged once, each on every exchange of its
// probes, so a run's per-exchange cost is the difference between a log of many such exchanges and
// a log of one, divided by the extra exchanges (every rule judged, parse included).
if (validation) {
  const K = 51;
  const judgeLog = (n: number): void => {
    const ctx = { exchanges: observe(Array.from({ length: n }, () => listEx)), profile, validators, notSent: {} };
    for (const r of catalogue.rules) judgeRule(r, ctx);
  };
  const manyMs: number[] = [];
  const oneMs: number[] = [];
  for (let i = 0; i < 2; i++) {
    judgeLog(K);
    judgeLog(1);
  }
  for (let i = 0; i < 15; i++) {
    let t = performance.now();
    judgeLog(K);
    manyMs.push(performance.now() - t);
    t = performance.now();
    judgeLog(1);
    oneMs.push(performance.now() - t);
  }
  // Medians first, then the difference: the difference of two noisy samples is noisier than either.
  const many = figure(manyMs);
  const one = figure(oneMs);
  const perExchange = (many.median - one.median) / (K - 1);
  const xs = [perExchange, (many.min - one.min) / (K - 1), (many.max - one.max) / (K - 1)];
  const peer = timeSync(() => peerValidate(smallBody, listOp.operationId), 101);
  rows.push({
    what: `account list: every rule, per additional exchange (log of ${K} lists vs of 1)`,
    value: { median: perExchange, min: Math.min(...xs), max: Math.max(...xs), runs: 15 },
    unit: 'ms',
    target: 0.1,
    targetText: '≤ 0.1 ms per exchange',
    peer: `${(perExchange / peer.median).toFixed(2)}× openapi-backend (${peer.median.toFixed(3)} ms)`,
  });
}
if (!peerCheck.valid) console.log(`note: openapi-backend found the account list invalid: ${JSON.stringify(peerCheck.errors).slice(0, 200)}`);

// A full collection against the reference bank with 50 ms added per request, concurrency 8.
const LATENCY = 50;
const delayed = (inner: HttpClient): HttpClient => ({
  ...inner,
  send: async (req, o) => {
    await new Promise((r) => setTimeout(r, LATENCY));
    return inner.send(req, o);
  },
});
const runOnce = async (banks: number, latency: boolean, concurrency = 8): Promise<{ ms: number; requests: number }> => {
  const t = performance.now();
  const logs = await Promise.all(
    Array.from({ length: banks }, async () => {
      const cfg = defaultBankConfig(bank.baseUrl, 'berlin-group');
      const inner = createHttpClient({ limits: { ...cfg.limits, concurrency } });
      try {
        const log = await collectExchanges({ catalogue, bank: cfg, client: latency ? delayed(inner) : inner, consentPollMs: 0 });
        const ctx = { exchanges: observe(log.exchanges), profile, validators, notSent: log.notSent };
        for (const r of catalogue.rules) judgeRule(r, ctx);
        return log;
      } finally {
        await inner.close();
      }
    }),
  );
  return { ms: performance.now() - t, requests: logs.reduce((n, l) => n + l.exchanges.length, 0) };
};
if (full) {
  const xs: number[] = [];
  let requests = 0;
  for (let i = 0; i < 3; i++) {
    const r = await runOnce(1, true);
    xs.push(r.ms);
    requests = r.requests;
  }
  const bound = (requests * LATENCY) / 8;
  rows.push({
    what: `full run, ${LATENCY} ms latency, concurrency 8 (${requests} requests)`,
    value: figure(xs),
    unit: 'ms',
    peer: `latency-bound minimum ${bound.toFixed(0)} ms`,
  });
  rows.push({ what: 'full run ÷ latency-bound minimum', value: figure(xs.map((x) => x / bound)), unit: '×', target: 1.2, targetText: '≤ 1.2×' });
  // The same run with no limit on connections: what remains is the chain of requests that wait for
  // each other (consent, list, then each account; each page after the one before), not the limit of 8.
  const ys: number[] = [];
  for (let i = 0; i < 3; i++) ys.push((await runOnce(1, true, 64)).ms);
  rows.push({
    what: `full run, ${LATENCY} ms latency, concurrency 64 (the requests that wait for each other)`,
    value: figure(ys),
    unit: 'ms',
    peer: `${(figure(xs).median / figure(ys).median).toFixed(2)}× faster at 64 than at 8`,
  });
}

// Scale: 1, 10 and 50 banks at once in one process (no added latency): per-bank cost, and a night.
const perBank: Record<number, Figure> = {};
for (const n of full ? [1, 10, 50] : []) {
  const xs: number[] = [];
  for (let i = 0; i < (n === 50 ? 1 : 3); i++) xs.push((await runOnce(n, false)).ms);
  perBank[n] = scale(figure(xs), 1 / n);
  rows.push({ what: `${n} bank${n > 1 ? 's' : ''} at once: time per bank`, value: perBank[n], unit: 'ms' });
}
if (full)
  rows.push({
    what: 'growth 1 → 50 banks (per-bank time ratio)',
    value: ratio(must(perBank[50], '50 banks'), must(perBank[1], '1 bank')),
    unit: '×',
    target: 1,
    targetText: '≤ 1 (no worse than linear)',
  });
if (full) {
  // A night of 1,000 banks at 100 ms latency on one runner: the latency-bound time of each bank's
  // requests at concurrency 8, plus the measured CPU cost per bank, for 1,000 banks run 50 at a time.
  const requests = (await runOnce(1, false)).requests;
  const latencyPerBankMs = (requests * 100) / 8;
  const nightMin = ((1000 / 50) * latencyPerBankMs + 1000 * must(perBank[50], '50 banks').median) / 60_000;
  rows.push({
    what: '1,000-bank night at 100 ms latency (computed, 50 banks at a time)',
    value: { median: nightMin, min: nightMin, max: nightMin, runs: 1 },
    unit: 'min',
    target: 30,
    targetText: '≤ 30 min',
  });
}
await bank.close();

// Memory: one run in its own process (scripts/bench-memory.ts) against a sized reference bank served
// from this one, so the peak resident memory is the run's alone.
interface MemoryRun {
  maxRssMiB: number;
  requests: number;
  transactions: number;
  ms: number;
}
type BankSize = { accounts: number; transactionsPerAccount?: number };
const memoryRun = async (size: BankSize, maxAccounts: number, maxPages: number, maxBodyBytes?: number): Promise<MemoryRun> => {
  const sized = await startReferenceBank({ host: '127.0.0.1', port: 0, pageSize: 200, ...size });
  try {
    // Asynchronous: the bank answers from this process's event loop while the run goes on.
    const limits = [String(maxAccounts), String(maxPages), ...(maxBodyBytes ? [String(maxBodyBytes)] : [])];
    const args = [projectPath('dist', 'scripts', 'bench-memory.js'), sized.baseUrl, ...limits];
    const { stdout } = await promisify(execFile)(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 20 });
    return JSON.parse(must(stdout.trim().split('\n').pop(), "the memory run's output")) as MemoryRun; // the script's last line is its JSON (checked by the parse)
  } finally {
    await sized.close();
  }
};
if (full || mode === 'memory') {
  const one = (r: MemoryRun): Figure => ({ median: r.maxRssMiB, min: r.maxRssMiB, max: r.maxRssMiB, runs: 1 });
  const history: Record<number, MemoryRun> = {};
  for (const n of [10_000, 100_000]) {
    const r = await memoryRun({ accounts: 1, transactionsPerAccount: n }, 1, 1000);
    history[n] = r;
    const judged = `${r.requests} requests, ${r.transactions.toLocaleString('en')} entries judged`;
    rows.push({
      what: `memory: ${n.toLocaleString('en')} transactions over pages of 200 (${judged})`,
      value: one(r),
      unit: 'MiB',
      target: 250,
      targetText: '< 250 MiB peak RSS',
    });
  }
  rows.push({
    what: 'memory: 100,000 ÷ 10,000 transactions (flat in history length)',
    value: ratio(one(must(history[100_000], '100,000')), one(must(history[10_000], '10,000'))),
    unit: '×',
    target: 1.2,
    targetText: '≤ 1.2 (flat)',
  });
  // The list of 10,000 accounts is about 6 MB: above the default limits.maxBodyBytes (5 MiB), so the
  // run is given the largest limit a bank file may set (50 MiB); the first limits.maxAccounts (50) accounts are read.
  const r = await memoryRun({ accounts: 10_000 }, defaultBankConfig('http://127.0.0.1', 'berlin-group').limits.maxAccounts, 50, 50 * 1024 * 1024);
  rows.push({
    what: `memory: 10,000 accounts, maxBodyBytes 50 MiB, maxAccounts 50 (${r.requests} requests)`,
    value: one(r),
    unit: 'MiB',
    target: 250,
    targetText: '< 250 MiB peak RSS',
  });
}

// Start-up: the command to its first request, and `npm start` end to end with the report.
if (full) {
  const cli = projectPath('dist', 'bin', 'card-conformance.js');
  const xs = Array.from({ length: 5 }, () => {
    const t = performance.now();
    execFileSync(process.execPath, [cli, '--version']);
    return performance.now() - t;
  });
  rows.push({ what: 'start-up: card-conformance --version', value: figure(xs), unit: 'ms' });
  // Command to first request: `run --bank` against a reference bank here that notes when the first request arrives.
  const firsts: number[] = [];
  for (let i = 0; i < 2; i++) {
    let first: number | undefined;
    const target = await startReferenceBank({
      host: '127.0.0.1',
      port: 0,
      requestGuard: () => {
        first ??= performance.now();
        return undefined;
      },
    });
    const dir = mkdtempSync(join(tmpdir(), 'cc-bench-first-'));
    try {
      writeFileSync(join(dir, 'bank.yaml'), `id: bench\nprofile: berlin-group\nbaseUrl: ${target.baseUrl}\nconsent: { create: true }\n`);
      const t = performance.now();
      // A run with findings exits non-zero: only the time to its first request is wanted here.
      const args = [cli, 'run', '--bank', join(dir, 'bank.yaml'), '--no-report', '--out', join(dir, 'out')];
      await promisify(execFile)(process.execPath, args).catch(() => undefined);
      if (first !== undefined) firsts.push(first - t);
    } finally {
      await target.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  if (firsts.length > 0) rows.push({ what: 'start-up: card-conformance run, command to first request', value: figure(firsts), unit: 'ms' });
  const out = mkdtempSync(join(tmpdir(), 'cc-bench-'));
  try {
    const ys: number[] = [];
    for (let i = 0; i < 2; i++) {
      const t = performance.now();
      const r = spawnSync(process.execPath, [cli, 'run', '--out', out], { stdio: 'ignore' });
      if (r.status !== 0) console.log(`note: npm start exited ${r.status}`);
      ys.push(performance.now() - t);
    }
    rows.push({ what: 'npm start end to end (run + HTML report)', value: figure(ys), unit: 'ms' });
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
// This process holds the sized banks too, so its own peak is no figure of a run (those are above).
const ownPeak = process.resourceUsage().maxRSS / 1024;
rows.push({ what: 'peak resident memory of this benchmark (banks included)', value: { median: ownPeak, min: ownPeak, max: ownPeak, runs: 1 }, unit: 'MiB' });

const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
};
const fmt = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(3));
console.log(`card-conformance benchmark on ${machine.cpu} (${machine.cores} cores, ${machine.memoryGiB} GiB), Node ${machine.node}\n`);
console.log(`    ${'figure'.padEnd(78)} ${'median'.padStart(9)} ${'min'.padStart(9)} ${'max'.padStart(9)}  unit  target / peer`);
let missed = 0;
const results = rows.map((r) => {
  const met = r.target === undefined ? undefined : r.value.median <= r.target;
  if (met === false) missed++;
  const mark = met === undefined ? '   ' : met ? 'ok ' : 'MISS';
  console.log(
    `${mark.padEnd(4)}${r.what.padEnd(78)} ${fmt(r.value.median).padStart(9)} ${fmt(r.value.min).padStart(9)} ${fmt(r.value.max).padStart(9)}  ${r.unit.padEnd(5)} ${[r.targetText, r.target !== undefined ? `(${(r.value.median / r.target).toFixed(2)} of the limit)` : undefined, r.peer].filter(Boolean).join(' ')}`,
  );
  return { ...r, met, ratioToLimit: r.target !== undefined ? r.value.median / r.target : undefined };
});
mkdirSync(projectPath('bench'), { recursive: true });
const resultsFile = mode ? `results.${mode}.json` : 'results.json';
writeFileSync(projectPath('bench', resultsFile), `${JSON.stringify({ takenAt: new Date().toISOString(), machine, rows: results }, null, 1)}\n`);
console.log(`\n${missed} target${missed === 1 ? '' : 's'} missed; bench/${resultsFile} written`);
