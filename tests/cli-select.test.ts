// Selecting rules from the command line, with the CLI as a child process against the reference bank
// (`card-conformance sandbox`, its own process) behind a loopback proxy that counts every request:
// --rule / --skip-rule send only what the selected rules judge, a glob that matches nothing is exit 2
// with nothing sent, --last-failed re-runs what failed in the previous findings (a combined file too,
// banks matched by id), --fail-on sets the severity that fails the run, and --json puts findings.json
// alone on stdout.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../core/model.js';
import { combineFindings, readFindings, readFindingsSet } from '../reporters/findings.js';
import { cli } from './fixtures/cli.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

let dir: string;
let sandbox: SandboxProcess | undefined;
let proxy: { url: string; count: () => number; close: () => Promise<void> } | undefined;
let bankFile: string;

/** A secret path segment of the bank file's baseUrl (a `${VAR}`): it must never reach an output. */
const TENANT = 'tenant-7f3a9c2e51d4';

/** Forwards every request to `target` (without the secret path segment) and counts it: what the bank really received. */
async function startCountingProxy(target: string): Promise<NonNullable<typeof proxy>> {
  let n = 0;
  const to = new URL(target);
  const server: Server = createServer((req, res) => {
    n++;
    const path = req.url?.replace(`/${TENANT}`, '');
    const upstream = request({ host: to.hostname, port: to.port, method: req.method, path, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => {
      res.statusCode = 502;
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => n,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cc-cli-select-'));
  // A lenient sandbox (no signature check) that exposes full card numbers: the masked-pan rules fail.
  sandbox = await startSandboxProcess(['--no-verify', '--defects', 'pan-unmasked'], { ready: /consent: \{ create: true \}\n/ });
  proxy = await startCountingProxy(sandbox.baseUrl);
  bankFile = join(dir, 'bank.yaml');
  writeFileSync(
    bankFile,
    [
      'id: counted-bank',
      'profile: berlin-group',
      `baseUrl: ${proxy.url}/\${CC_SELECT_TENANT}`,
      'consent: { create: true }',
      'limits: { requestsPerSecond: 0, timeoutMs: 60000, retries: 0 }',
      '',
    ].join('\n'),
  );
}, 120_000);
afterAll(async () => {
  await proxy?.close();
  if (sandbox) {
    sandbox.child.kill('SIGTERM');
    await sandbox.exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Runs the CLI against the counted bank; resolves with the result and the requests the bank received. */
async function counted(args: string[]): Promise<Awaited<ReturnType<typeof cli>> & { sent: number }> {
  const before = proxy!.count();
  const r = await cli(['run', '--bank', bankFile, '--no-report', ...args], { env: { CC_SELECT_TENANT: TENANT } });
  return { ...r, sent: proxy!.count() - before };
}

const ids = (f: FindingsFile): string[] => f.results.map((r) => r.ruleId).sort();
const failedIds = (f: FindingsFile): string[] =>
  f.results
    .filter((r) => r.status === 'failed' || r.status === 'broken')
    .map((r) => r.ruleId)
    .sort();

let full: { sent: number; findings: FindingsFile } | undefined;

describe('rule selection on the command line', () => {
  it('usage errors are exit 2 before anything is sent', async () => {
    const out = join(dir, 'usage');
    const cases: [string[], RegExp][] = [
      [['--rule', 'no-such-rule*'], /^card-conformance run: --rule: 'no-such-rule\*' matches no rule/],
      [['--skip-rule', '*:no-such-kind'], /^card-conformance run: --skip-rule: '\*:no-such-kind' matches no rule/],
      [['--skip-rule', '*'], /the selection leaves no rule to judge/],
      [['--fail-on', 'severe'], /^card-conformance run: --fail-on: unknown severity 'severe' \(one of: blocker, critical, major, minor, trivial\)/],
    ];
    for (const [args, message] of cases) {
      const r = await counted([...args, '--out', out]);
      expect(r.code, r.stderr + r.stdout).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.sent).toBe(0);
    }
    // --last-failed with previous findings that cannot be read.
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'findings.json'), '{ not json');
    const bad = await counted(['--last-failed', '--out', out]);
    expect(bad.code, bad.stderr).toBe(2);
    expect(bad.stderr).toMatch(/--last-failed: .*findings\.json: not valid JSON/);
    expect(bad.sent).toBe(0);
  }, 300_000);

  it("--json: findings.json alone on stdout (the file's bytes, redacted), every human line on stderr", async () => {
    const out = join(dir, 'full');
    const r = await counted(['--json', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const parsed = JSON.parse(r.stdout) as FindingsFile;
    expect(r.stdout).toBe(readFileSync(join(out, 'findings.json'), 'utf8'));
    expect(parsed.bank.id).toBe('counted-bank');
    // Through the run's redactor like every other output: the secret in the base URL is masked.
    expect(r.stdout).toContain('[REDACTED');
    expect(r.stdout + r.stderr).not.toContain(TENANT);
    expect(r.stdout).not.toMatch(/card-conformance \d|requests in|passed \d+ {2}failed/);
    expect(r.stderr).toMatch(/^card-conformance \S+: .*, 1 bank$/m);
    expect(r.stderr).toMatch(/^counted-bank \(berlin-group\): FAIL/m);
    expect(r.stderr).toMatch(/^ {4}✗ \S+:masking \[\d+ instances?\]$/m);
    expect(r.sent).toBeGreaterThan(50);
    full = { sent: r.sent, findings: parsed };
  }, 600_000);

  it('--rule and --skip-rule: only the matching rules are judged, and fewer requests go out', async () => {
    expect(full).toBeDefined();
    const out = join(dir, 'rule');
    const r = await counted(['--rule', '*maskedPan:*', '--skip-rule', 'getConsentInformation:*', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const f = readFindings(join(out, 'findings.json'));
    const expected = full!.findings.results
      .map((x) => x.ruleId)
      .filter((id) => /maskedPan:/.test(id) && !id.startsWith('getConsentInformation:'))
      .sort();
    expect(expected.length).toBeGreaterThan(3);
    expect(ids(f)).toEqual(expected);
    expect(r.stdout).toMatch(new RegExp(`notice: ${expected.length} of ${full!.findings.results.length} rules selected`));
    // No error probe and no link following: fewer requests than the full run (the account reads remain).
    expect(r.sent).toBeGreaterThan(0);
    expect(r.sent).toBeLessThan(full!.sent);
  }, 600_000);

  it('--last-failed: the rules that failed last time, from a combined findings file, the bank matched by id', async () => {
    expect(full).toBeDefined();
    const out = join(dir, 'last-failed');
    mkdirSync(out, { recursive: true });
    // Another bank in the same combined file, with everything failed: it must not widen the selection.
    const other: FindingsFile = {
      ...full!.findings,
      bank: { ...full!.findings.bank, id: 'another-bank' },
      results: full!.findings.results.map((x) => ({ ...x, status: 'failed' as const })),
    };
    writeFileSync(join(out, 'findings.json'), JSON.stringify(combineFindings([other, full!.findings]), null, 2));
    const previouslyFailed = failedIds(full!.findings);
    expect(previouslyFailed.length).toBeGreaterThan(0);
    const r = await counted(['--last-failed', '--out', out]);
    expect(r.code, r.stderr).toBe(1);
    const n = previouslyFailed.length;
    expect(r.stdout).toContain(`--last-failed: counted-bank: ${n} of the ${n} rules that failed or could not be judged last time`);
    const now = readFindingsSet(join(out, 'findings.json'));
    expect(now.map((f) => f.bank.id)).toEqual(['counted-bank']);
    expect(ids(now[0]!)).toEqual(previouslyFailed);
    expect(r.sent).toBeLessThan(full!.sent);
  }, 600_000);

  it('--last-failed without previous findings: a notice, and every selected rule runs', async () => {
    const r = await counted(['--last-failed', '--rule', '*:/cardAccounts/*/maskedPan:masking', '--out', join(dir, 'fresh')]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toMatch(/notice: --last-failed: no previous findings at .*fresh\/findings\.json; every rule runs/);
  }, 600_000);

  it('--fail-on: a critical failure fails the run at critical, not at blocker', async () => {
    const rule = ['--rule', '*:/cardAccounts/*/maskedPan:masking'];
    const atBlocker = await counted([...rule, '--fail-on', 'blocker', '--out', join(dir, 'fail-on-blocker')]);
    expect(atBlocker.code, atBlocker.stderr).toBe(0);
    const f = readFindings(join(dir, 'fail-on-blocker', 'findings.json'));
    expect(f.results.filter((x) => x.status === 'failed').map((x) => x.severity)).toEqual(['critical']);
    expect(atBlocker.stdout).toMatch(/--fail-on blocker: 1 failed mandatory rule below blocker does not fail the run/);
    const atCritical = await counted([...rule, '--fail-on', 'critical', '--out', join(dir, 'fail-on-critical')]);
    expect(atCritical.code, atCritical.stderr).toBe(1);
  }, 600_000);
});
