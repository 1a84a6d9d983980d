// `card-conformance replay`: a failure found against a signing sandbox (`card-conformance sandbox`,
// which verifies every signature) is re-sent with a fresh signature and gets the same answer; the
// output folder names the bank file and profile but holds no secret.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './fixtures/cli.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

let dir: string;
let sandbox: SandboxProcess | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cc-cli-replay-'));
  sandbox = await startSandboxProcess(['--defects', 'pan-unmasked'], { ready: /signing: \{ certificate: .*\n/, env: { TMPDIR: dir } });
}, 120_000);
afterAll(async () => {
  if (sandbox) {
    sandbox.child.kill('SIGTERM');
    await sandbox.exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('replay', () => {
  it("re-sends a failure's request with a fresh signature and gets the same answer", async () => {
    const snippet = sandbox!
      .stdout()
      .split('\n')
      .filter((l) => /^ {2}(baseUrl|consent|signing):/.test(l))
      .map((l) => l.slice(2));
    const bankFile = join(dir, 'sandbox.yaml');
    writeFileSync(bankFile, ['id: signing-sandbox', 'profile: berlin-group', ...snippet, ''].join('\n'));
    const out = join(dir, 'out');
    const run = await cli(['run', '--bank', bankFile, '--only', 'masked-pan', '--no-report', '--out', out]);
    expect(run.code, run.stdout + run.stderr).toBe(1);

    const recorded = JSON.parse(readFileSync(join(out, 'replay.json'), 'utf8')) as {
      banks: {
        bankFile: string;
        profile: string;
        results: Record<string, { signed: boolean; answered: number; request: { headers: Record<string, string> } }[]>;
      }[];
    };
    expect(recorded.banks[0]!.bankFile).toBe(bankFile);
    expect(recorded.banks[0]!.profile).toBe('berlin-group');
    const [ruleId, requests] = Object.entries(recorded.banks[0]!.results).find(([id]) => id.startsWith('getCardAccountList:'))!;
    expect(requests[0]!.signed).toBe(true);
    expect(Object.keys(requests[0]!.request.headers)).not.toContain('signature'); // signed afresh, never replayed

    const replay = await cli(['replay', '--out', out, ruleId], { timeoutMs: 120_000 });
    expect(replay.code, replay.stdout + replay.stderr).toBe(0);
    expect(replay.stdout).toMatch(/^GET http:\/\/127\.0\.0\.1:\d+\/v1\/card-accounts\S* \(signed afresh\)$/m);
    expect(replay.stdout).toMatch(/^HTTP 200$/m); // a signature the sandbox accepts
    expect(replay.stdout).toContain('(the run got: HTTP 200)');
    expect(replay.stdout).toContain('"maskedPan"'); // the answer that broke the rule, card numbers masked on the way out
    expect(replay.stdout).toContain('[masked by card-conformance]'); // the full card numbers the defect exposes
  }, 600_000);

  it('usage errors exit 2', async () => {
    const none = await cli(['replay', '--out', join(dir, 'nothing-here'), 'x'], { timeoutMs: 60_000 });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--out: .*replay\.json does not exist/);
    const missing = await cli(['replay', '--out', join(dir, 'out')], { timeoutMs: 60_000 });
    expect(missing.code).toBe(2);
  }, 120_000);
});
