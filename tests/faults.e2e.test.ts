// Bank faults (--faults) end to end: the built CLI against the embedded reference bank with
// one transport-level fault per operation. Each run must complete (exit 1, no hang), the
// faulted endpoint's rules come out `broken` with a message naming what happened, and the
// endpoints left alone still pass. Four runs cover the ten faults (three operations each),
// started together so the file stays well under a minute on two cores.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../core/model.js';
import { FAULTS } from '../sandbox/faults/index.js';
import { cli, type CliResult } from './fixtures/cli.js';

const work = mkdtempSync(join(tmpdir(), 'cc-faults-'));
/**
 * Short, so `timeout` and `slow-drip` cost seconds (3 attempts per request with the default 2 retries),
 * yet long enough that a loopback answer on a busy 2-core machine never comes near it.
 */
const TIMEOUT_MS = 4000;

const ENDPOINTS = {
  readCardAccountDetails: 'GET /v1/card-accounts/{account-id}',
  getCardAccountBalances: 'GET /v1/card-accounts/{account-id}/balances',
  getCardAccountTransactionList: 'GET /v1/card-accounts/{account-id}/transactions',
} as const;
type Operation = keyof typeof ENDPOINTS;

interface Case {
  fault: string;
  operation: Operation;
  /** What every broken rule of the faulted endpoint must say. */
  message: RegExp;
}

const RUNS: Case[][] = [
  [
    { fault: 'timeout', operation: 'readCardAccountDetails', message: new RegExp(`timeout: no complete response within ${TIMEOUT_MS} ms \\(5 requests`) },
    {
      fault: 'http-503',
      operation: 'getCardAccountBalances',
      message: /answered 503 \(Retry-After: 120, the bank asks to come back later\), so its body could not be judged/,
    },
    { fault: 'malformed-json', operation: 'getCardAccountTransactionList', message: /: the body is not JSON \(Expected double-quoted property name/ },
  ],
  [
    { fault: 'connection-reset', operation: 'readCardAccountDetails', message: /connection: connection failure: .*(ECONNRESET|closed the connection)/ },
    { fault: 'http-500', operation: 'getCardAccountBalances', message: /answered 500, so its body could not be judged/ },
    { fault: 'truncated-json', operation: 'getCardAccountTransactionList', message: /: the body is not JSON \((Unterminated|Unexpected end|Expected)/ },
  ],
  [
    {
      fault: 'slow-drip',
      operation: 'readCardAccountDetails',
      message: new RegExp(`timeout: no complete response within ${TIMEOUT_MS} ms \\(status 200 and \\d+ body bytes had arrived\\)`),
    },
    {
      fault: 'html-error-page',
      operation: 'getCardAccountBalances',
      message: /answered 502 \(Content-Type 'text\/html; charset=utf-8'\), so its body could not be judged/,
    },
    {
      fault: 'html-200',
      operation: 'getCardAccountTransactionList',
      message: /: the body is not JSON \(Content-Type 'text\/html; charset=utf-8'; Unexpected token '<'/,
    },
  ],
  [
    // The default operation (readCardAccountDetails) with no @operationId.
    { fault: 'huge-body', operation: 'readCardAccountDetails', message: /too-large: response body exceeds 5242880 bytes; cut there \(limits\.maxBodyBytes\)/ },
  ],
];

/** Faults that leave no complete HTTP answer. */
const TRANSPORT = new Set(['timeout', 'slow-drip', 'connection-reset', 'huge-body']);

interface Outcome {
  result: CliResult;
  findings: FindingsFile;
}
const outcomes: Outcome[] = [];

beforeAll(async () => {
  await Promise.all(
    RUNS.map(async (cases, i) => {
      const out = join(work, `run-${i}`);
      const faults = cases.map((c) => (c.operation === 'readCardAccountDetails' && cases.length === 1 ? c.fault : `${c.fault}@${c.operation}`)).join(',');
      const result = await cli(['run', '--no-report', '--out', out, '--faults', faults], {
        env: { CARD_CONFORMANCE_BUILTIN_TIMEOUT_MS: String(TIMEOUT_MS) },
      });
      const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as FindingsFile;
      outcomes[i] = { result, findings };
    }),
  );
});

describe('card-conformance run --faults (the embedded bank misbehaves at the transport level)', () => {
  it('covers every fault the sandbox knows', () => {
    expect(
      RUNS.flat()
        .map((c) => c.fault)
        .sort(),
    ).toEqual(FAULTS.map((f) => f.id).sort());
  });

  RUNS.forEach((cases, i) => {
    const name = cases.map((c) => `${c.fault}@${c.operation}`).join(', ');

    it(`${name}: completes with exit 1 and leaves the other endpoints passing`, () => {
      const { result, findings } = outcomes[i]!;
      expect(result.code, result.stderr + result.stdout).toBe(1);
      const faulted = new Set<string>(cases.map((c) => ENDPOINTS[c.operation]));
      // `GET {_links href}` depends on what the faulted endpoints returned, so it is left out; the
      // transport rule covers every request and is checked below.
      const others = findings.results.filter((r) => !faulted.has(r.endpoint) && r.endpoint !== 'GET {_links href}' && r.category !== 'transport');
      expect(others.filter((r) => r.status === 'failed' || r.status === 'broken').map((r) => `${r.ruleId}: ${r.message}`)).toEqual([]);
      expect(others.filter((r) => r.endpoint === 'GET /v1/card-accounts' && r.status === 'passed').length).toBeGreaterThan(20);
      if (cases.length === 1) {
        // Balances and transactions untouched: their rules are judged and pass.
        for (const op of ['getCardAccountBalances', 'getCardAccountTransactionList'] as const) {
          expect(findings.results.filter((r) => r.endpoint === ENDPOINTS[op] && r.status === 'passed').length, op).toBeGreaterThan(5);
        }
      }
    });

    for (const c of cases) {
      it(`${c.fault} on ${c.operation}: the endpoint's rules are broken, saying what happened`, () => {
        const { findings } = outcomes[i]!;
        // Error probes and negative requests still get their 4xx (faults replace successful answers only), so their rules are judged.
        const mine = findings.results.filter((r) => r.endpoint === ENDPOINTS[c.operation] && r.category !== 'error-response' && r.category !== 'negative');
        const broken = mine.filter((r) => r.status === 'broken');
        expect(broken.length).toBeGreaterThan(5);
        for (const r of broken) expect(r.message, r.ruleId).toMatch(c.message);
        // A complete answer (5xx, HTML, bad JSON) is judged on its status and headers, which may pass
        // or fail; a cut-off one (timeout, reset, size limit) is judged on nothing.
        const responseLevel = (r: { category: string }): boolean => r.category === 'status-code' || r.category === 'headers';
        const passed = mine.filter((r) => r.status === 'passed');
        const transportRule = findings.results.find((r) => r.ruleId === 'transport:every-request-answered')!;
        if (TRANSPORT.has(c.fault)) {
          expect(passed.map((r) => r.ruleId)).toEqual([]);
          expect(transportRule.status).toBe('failed');
        } else expect(passed.filter((r) => !responseLevel(r)).map((r) => r.ruleId)).toEqual([]);
        const failed = mine.filter((r) => r.status === 'failed');
        expect(failed.every(responseLevel), JSON.stringify(failed, null, 1)).toBe(true);
        expect(mine.find((r) => r.ruleId === `${c.operation}:schema`)?.status).toBe('broken');
      });
    }
  });
});

describe('--faults usage errors (exit 2, nothing sent)', () => {
  it('names the unknown fault and lists the known ones', async () => {
    const [run, sandbox] = await Promise.all([
      cli(['run', '--no-report', '--out', join(work, 'bad'), '--faults', 'http-500,nope']),
      cli(['sandbox', '--faults', 'nope']),
    ]);
    for (const r of [run, sandbox]) {
      expect(r.code, r.stderr + r.stdout).toBe(2);
      expect(r.stderr).toContain("--faults: unknown fault 'nope' (known: timeout, http-500");
    }
  });
});
