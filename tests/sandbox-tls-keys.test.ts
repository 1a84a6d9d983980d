// `sandbox --tls` leaves no private key behind, however it stops: the client files it prints are
// in a private temporary folder that is gone after SIGINT, SIGTERM, SIGHUP and the death of the
// process that started it. TMPDIR points into the test's own folder, so nothing leaks into /tmp.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type SandboxProcess, startSandboxProcess } from './sandbox-process.js';

const READY = /tls: \{ certificate: \S+, key: \S+, ca: \S+ \}\n/;

let tmp: string;
let started: SandboxProcess[] = [];

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sandbox-tls-keys-'));
  started = [];
});
afterEach(async () => {
  for (const s of started) {
    if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    await s.exited;
  }
  rmSync(tmp, { recursive: true, force: true });
});

async function start(wrapper = false): Promise<SandboxProcess & { dir: string }> {
  const s = await startSandboxProcess(['--tls'], { ready: READY, env: { TMPDIR: tmp }, wrapper });
  started.push(s);
  expect(s.baseUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  const dir = s.dir;
  if (dir === undefined) throw new Error(`no client folder printed:\n${s.stdout()}`);
  // The keys a client needs are there while the sandbox runs, private to the user.
  expect(dir.startsWith(tmp)).toBe(true);
  expect(readdirSync(dir).sort()).toEqual(['qseal.key', 'qseal.pem', 'qwac.key', 'qwac.pem', 'root-ca.pem']);
  expect(statSync(dir).mode & 0o077).toBe(0);
  expect(statSync(join(dir, 'qwac.key')).mode & 0o077).toBe(0);
  return { ...s, dir };
}

describe.skipIf(process.platform === 'win32')('sandbox --tls removes its keys whenever it stops', { timeout: 120_000 }, () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s', async (signal) => {
    const s = await start();
    s.child.kill(signal);
    expect(await s.exited).toBe(0);
    expect(existsSync(s.dir)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('when the process that started it dies (SIGKILL)', async () => {
    const s = await start(true);
    // The wrapper is killed outright; the sandbox notices it has been orphaned and stops.
    s.child.kill('SIGKILL');
    await s.exited; // stdout closes once the sandbox, which shares it, has gone
    expect(existsSync(s.dir)).toBe(false);
    expect(readdirSync(tmp)).toEqual([]);
  });

  it('with --trust DIR it writes no key at all', async () => {
    const { generateTestPki } = await import('../transport/pki/generate.js');
    const { writePki } = await import('../transport/pki/write.js');
    const certs = join(tmp, 'certs');
    await writePki(generateTestPki(), certs);
    const sandboxTmp = mkdtempSync(join(tmp, 'sandbox-'));
    const s = await startSandboxProcess(['--tls', '--trust', certs], { ready: READY, env: { TMPDIR: sandboxTmp } });
    started.push(s);
    expect(s.stdout()).toContain(`tls: { certificate: ${join(certs, 'qwac.pem')}`);
    expect(readdirSync(sandboxTmp)).toEqual([]);
    s.child.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });
});
