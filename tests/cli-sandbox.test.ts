// A first session with the sandbox: it prints its base URL, the consent id to use and a complete
// bank file (with id and profile) that `doctor` accepts and `run` runs with, per profile; and
// `pki --out` replaces existing keys only with --force.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './fixtures/cli.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

let dir: string;
let sandbox: SandboxProcess | undefined;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cc-cli-sandbox-'));
});
afterAll(async () => {
  if (sandbox) {
    sandbox.child.kill('SIGTERM');
    await sandbox.exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the sandbox teaches a first session', () => {
  it('handelsbanken: the consent id and a bank file that doctor accepts and run runs with', async () => {
    sandbox = await startSandboxProcess(['--profile', 'handelsbanken'], { ready: /A bank file for it[\s\S]*signing: \{[^\n]*\}\n/, env: { TMPDIR: dir } });
    const text = sandbox.stdout();
    const consentId = /consent id to use: (\S+)/.exec(text)?.[1];
    expect(consentId).toBeTruthy();
    const lines = text
      .slice(text.indexOf('A bank file for it'))
      .split('\n')
      .slice(1)
      .filter((l) => l.startsWith('  '))
      .map((l) => l.slice(2));
    expect(lines.slice(0, 2)).toEqual(['id: sandbox-handelsbanken', 'profile: handelsbanken']);
    expect(lines).toContain(`consent: { id: ${consentId} }`);
    const file = join(dir, 'sandbox.yaml');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const doctor = await cli(['doctor', '--bank', file], { timeoutMs: 120_000 });
    expect(doctor.code, doctor.stdout).toBe(0);
    const run = await cli(['run', '--bank', file, '--only', 'masked-pan', '--no-report', '--out', join(dir, 'out')]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
  }, 600_000);

  it('pki --out replaces existing keys only with --force', async () => {
    const pki = join(dir, 'pki');
    expect((await cli(['pki', '--out', pki], { timeoutMs: 120_000 })).code).toBe(0);
    const again = await cli(['pki', '--out', pki], { timeoutMs: 120_000 });
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds .*--force replaces them/);
    expect((await cli(['pki', '--out', pki, '--force'], { timeoutMs: 120_000 })).code).toBe(0);
  }, 300_000);
});
