// Files the configuration names must be regular files under a size cap: `/dev/zero` and a named
// pipe as the bank file or the signing key are a configuration error (exit 2) at once, and no
// request reaches the bank. Runs the built CLI (npm run build) as a child process.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cli } from './fixtures/cli.js';
import { startCountingServer } from './fixtures/counting-server.js';

const CERT = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
// The issue asks for exit 2 within 2 s. The machine running the tests may be shared and busy, so
// the bound is 10 s on top of twice what the CLI takes to refuse a missing bank file (its start-up
// time under the current load). A read that blocks or grows without end never ends at all: the
// child is killed at 60 s and the test fails.
const SLACK_MS = 10_000;
let baselineMs = 0;
const bound = (): number => SLACK_MS + 2 * baselineMs;

let dir: string;
let bank: Awaited<ReturnType<typeof startCountingServer>>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'inputs-bounded-'));
  bank = await startCountingServer();
});
afterEach(async () => {
  await bank.close();
  rmSync(dir, { recursive: true, force: true });
});

beforeAll(async () => {
  const started = Date.now();
  const r = await cli(['run', '--no-report', '--bank', join(tmpdir(), 'inputs-bounded-no-such-bank.yaml')], { timeoutMs: 60_000 });
  expect(r.code).toBe(2);
  baselineMs = Date.now() - started;
}, 90_000);

function fifo(name: string): string {
  const path = join(dir, name);
  execFileSync('mkfifo', [path]);
  return path;
}

function bankFile(extra = ''): string {
  const path = join(dir, `bank-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, `id: counted\nprofile: berlin-group\nbaseUrl: ${bank.url}\nconsent: { create: true }\n${extra}`);
  return path;
}

async function runTimed(args: string[]): Promise<{ code: number | null; stderr: string; ms: number }> {
  const started = Date.now();
  // The child is killed (and the test fails) if it hangs: a blocked FIFO read would.
  const result = await cli(['run', '--no-report', '--out', join(dir, 'out'), ...args], { timeoutMs: 60_000 });
  return { code: result.code, stderr: result.stderr, ms: Date.now() - started };
}

describe.skipIf(process.platform === 'win32')('files named by the configuration are bounded', { timeout: 120_000 }, () => {
  it('/dev/zero as --bank: exit 2 naming the file, nothing sent', async () => {
    const r = await runTimed(['--bank', bankFile(), '--bank', '/dev/zero']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/dev/zero: cannot read the bank file: is a device, not a regular file');
    expect(r.ms).toBeLessThan(bound());
    expect(bank.count()).toBe(0);
  });

  it('a FIFO as --bank: exit 2, no hang, nothing sent', async () => {
    const pipe = fifo('bank.yaml');
    const r = await runTimed(['--bank', bankFile(), '--bank', pipe]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${pipe}: cannot read the bank file: is a named pipe (FIFO), not a regular file`);
    expect(r.ms).toBeLessThan(bound());
    expect(bank.count()).toBe(0);
  });

  it('/dev/zero as signing.key: exit 2 naming the field, nothing sent', async () => {
    writeFileSync(join(dir, 'qseal.pem'), CERT);
    const file = bankFile('signing: { certificate: qseal.pem, key: /dev/zero }\n');
    const r = await runTimed(['--bank', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${file}: signing.key: cannot read /dev/zero: is a device, not a regular file`);
    expect(r.ms).toBeLessThan(bound());
    expect(bank.count()).toBe(0);
  });

  it('a FIFO as signing.key: exit 2 naming the field, nothing sent', async () => {
    writeFileSync(join(dir, 'qseal.pem'), CERT);
    fifo('qseal.key');
    const file = bankFile('signing: { certificate: qseal.pem, key: qseal.key }\n');
    const r = await runTimed(['--bank', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/signing\.key: cannot read qseal\.key \(.*\): is a named pipe \(FIFO\), not a regular file/);
    expect(r.ms).toBeLessThan(bound());
    expect(bank.count()).toBe(0);
  });

  it('a PEM file above 1 MiB (sparse, nothing big on disk) is refused before it is read', async () => {
    writeFileSync(join(dir, 'qseal.pem'), CERT);
    const key = join(dir, 'huge.key');
    writeFileSync(key, '-----BEGIN PRIVATE KEY-----\n');
    truncateSync(key, 64 * 1024 * 1024);
    const file = bankFile('signing: { certificate: qseal.pem, key: huge.key }\n');
    const r = await runTimed(['--bank', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('signing.key: cannot read huge.key');
    expect(r.stderr).toContain('is 67108864 bytes; the limit is 1 MiB');
    expect(bank.count()).toBe(0);
  });

  it('/dev/zero and a FIFO as --spec: exit 2', async () => {
    const zero = await runTimed(['--bank', bankFile(), '--spec', '/dev/zero']);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toContain('/dev/zero: cannot read the spec: is a device, not a regular file');
    const pipe = fifo('spec.yaml');
    const p = await runTimed(['--bank', bankFile(), '--spec', pipe]);
    expect(p.code).toBe(2);
    expect(p.stderr).toContain('cannot read the spec: is a named pipe (FIFO)');
    expect(bank.count()).toBe(0);
  });
});
