// Issue 8 item 3: nothing unredacted outlives the run, and a signal stops it cleanly.
// The CLI runs as a child process against the leaky bank (which echoes every secret), with its own
// TMPDIR so that everything it could leave in a temporary folder is searched.
// - SIGINT while collecting (a slow bank: every answer waits) → exit 130 within seconds,
//   findings.json says "interrupted": true.
// - SIGTERM while judging (a long transaction list keeps the judges busy; the run says when the
//   first verdict is in) → exit 143, the rules judged so far are kept.
// - SIGKILL while judging → no secret and no full card number readable anywhere on disk (the
//   recorded exchanges only ever lived in memory), and the previous run's outputs are untouched.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../core/model.js';
import { projectPath } from '../core/paths.js';
import { generateTestPki } from '../transport/pki/index.js';
import { GLUED_PAN, LEAKED_PAN, NEIGHBOUR_PAN, startLeakyBank, type LeakyBank, type LeakyBankOptions } from './fixtures/leaky-bank.js';
import { findLeaksInFiles, walk, type Needle } from './fixtures/secret-search.js';

const SECRETS = {
  consentId: 'intr-consent-7c2e91d4',
  token: 'tok/intr-5a8e3f0b',
  psuId: 'psu-intr-40917',
  apiKey: 'key-intr-9b3d6e21',
  pathSecret: 'tenant-intr-e4c1',
};
const NEEDLES: Needle[] = [
  ['consent id', SECRETS.consentId],
  ['bearer token', SECRETS.token],
  ['PSU id', SECRETS.psuId],
  ['API key', SECRETS.apiKey],
  ['baseUrl path secret', SECRETS.pathSecret],
  ['full card number', LEAKED_PAN],
  ['card number after digits', NEIGHBOUR_PAN],
  ['card number glued to digits', GLUED_PAN],
];

let work: string;
let bank: LeakyBank | undefined;
let child: ReturnType<typeof spawn> | undefined;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'cc-interrupt-'));
});
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await bank?.close();
  bank = undefined;
  rmSync(work, { recursive: true, force: true });
});

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  at: number;
}

/** Starts the CLI against the leaky bank with a private TMPDIR; `exited` resolves when it ends. */
async function startRun(
  options: LeakyBankOptions & { maxBodyBytes?: number },
): Promise<{ exited: Promise<Exit>; out: string; tmp: string; stdout: () => string }> {
  const pki = generateTestPki();
  writeFileSync(join(work, 'qseal.pem'), pki.qseal.certPem);
  writeFileSync(join(work, 'qseal.key'), pki.qseal.keyPem, { mode: 0o600 });
  bank = await startLeakyBank(SECRETS, options);
  const file = join(work, 'leaky.yaml');
  writeFileSync(
    file,
    [
      'id: leaky-bank',
      'profile: berlin-group',
      `baseUrl: ${new URL(bank.baseUrl).origin}/\${LEAKY_PATH}`,
      'consent:',
      '  id: ${LEAKY_CONSENT}',
      'psu:',
      '  id: ${LEAKY_PSU}',
      'signing:',
      '  certificate: qseal.pem',
      '  key: qseal.key',
      'headers:',
      '  authorization: "Bearer ${LEAKY_TOKEN}"',
      '  x-api-key: ${LEAKY_KEY}',
      `limits: { requestsPerSecond: 0, concurrency: 1, timeoutMs: 60000, maxBodyBytes: ${options.maxBodyBytes ?? 5_000_000} }`,
      '',
    ].join('\n'),
  );
  const tmp = join(work, 'tmp');
  mkdirSync(tmp);
  const out = join(work, 'runs', 'out');
  let stdout = '';
  let stderr = '';
  child = spawn(process.execPath, [projectPath('dist', 'bin', 'card-conformance.js'), 'run', '--bank', file, '--out', out, '--no-report'], {
    cwd: projectPath(),
    env: {
      ...process.env,
      TMPDIR: tmp,
      TMP: tmp,
      TEMP: tmp,
      LEAKY_CONSENT: SECRETS.consentId,
      LEAKY_PSU: SECRETS.psuId,
      LEAKY_TOKEN: SECRETS.token,
      LEAKY_KEY: SECRETS.apiKey,
      LEAKY_PATH: SECRETS.pathSecret,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => {
    stdout += d;
  });
  child.stderr!.on('data', (d) => {
    stderr += d;
  });
  const running = child;
  const exited = new Promise<Exit>((resolve) => running.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, at: Date.now() })));
  return { exited, out, tmp, stdout: () => stdout };
}

/** Polls `check` until it is true; fails after `timeoutMs` (generous: the machine is shared). */
async function until(what: string, check: () => boolean, timeoutMs = 120_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The run is judging: it said so when the first verdict arrived. */
function judging(stdout: string): boolean {
  return /judging \d+ rules/.test(stdout);
}

function findings(out: string): FindingsFile {
  return JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as FindingsFile;
}

describe('interrupting a run', () => {
  it('SIGINT while collecting: stops within seconds, exit 130, findings.json says interrupted', async () => {
    const run = await startRun({ delayMs: 250 });
    await until('the run to be mid-collection', () => (bank?.requests() ?? 0) >= 4);
    const sent = Date.now();
    child!.kill('SIGINT');
    const exit = await run.exited;
    expect(exit.code, exit.stdout + exit.stderr).toBe(130);
    // The issue asks for 2 s; the bound here has slack for a busy machine.
    expect(exit.at - sent).toBeLessThan(10_000);
    const f = findings(run.out);
    expect(f.interrupted).toBe(true);
    expect(f.results).toEqual([]);
    expect(readFileSync(join(run.out, 'summary.md'), 'utf8')).toMatch(/interrupted/);
    expect(exit.stdout).toMatch(/run interrupted \(SIGINT\)/);
    expect(findLeaksInFiles([join(work, 'runs'), run.tmp], NEEDLES)).toEqual([]);
  }, 180_000);

  it('SIGTERM while judging: exit 143, the rules judged so far are kept', async () => {
    const run = await startRun({ transactions: 30_000, maxBodyBytes: 50_000_000 });
    await until('the run to be judging', () => judging(run.stdout()));
    const sent = Date.now();
    child!.kill('SIGTERM');
    const exit = await run.exited;
    expect(exit.code, exit.stdout + exit.stderr).toBe(143);
    expect(exit.at - sent).toBeLessThan(10_000);
    const f = findings(run.out);
    expect(f.interrupted).toBe(true);
    expect(f.results.length).toBeGreaterThan(0);
    // Fewer than the run set out to judge: it stopped part-way.
    const total = Number(/judging (\d+) rules/.exec(exit.stdout)?.[1]);
    expect(f.results.length).toBeLessThan(total);
    const s = f.summary;
    expect(s.passed + s.failed + s.broken + s.skipped).toBe(f.results.length);
    expect(readFileSync(join(run.out, 'junit.xml'), 'utf8')).toContain('<property name="interrupted" value="true"/>');
    expect(findLeaksInFiles([join(work, 'runs'), run.tmp], NEEDLES)).toEqual([]);
  }, 240_000);

  it('SIGKILL while judging: no readable secret anywhere on disk, and the previous outputs are untouched', async () => {
    // The previous run's outputs, which must survive a run that dies.
    const previous = join(work, 'runs', 'out');
    mkdirSync(join(previous, 'allure-results'), { recursive: true });
    writeFileSync(join(previous, 'findings.json'), '{"previous":true}\n');
    writeFileSync(join(previous, 'allure-results', 'old-result.json'), '{}');
    const run = await startRun({ transactions: 30_000, maxBodyBytes: 50_000_000 });
    await until('the run to be judging', () => judging(run.stdout()));
    child!.kill('SIGKILL');
    const exit = await run.exited;
    expect(exit.signal).toBe('SIGKILL');
    // Everything the run could have written: its TMPDIR, the output folder and the staging folder beside it.
    const files = [...walk(run.tmp), ...walk(join(work, 'runs'))];
    expect(files.filter((p) => p.endsWith('run.json'))).toEqual([]);
    expect(findLeaksInFiles([join(work, 'runs'), run.tmp], NEEDLES)).toEqual([]);
    expect(readFileSync(join(previous, 'findings.json'), 'utf8')).toBe('{"previous":true}\n');
    expect(existsSync(join(previous, 'allure-results', 'old-result.json'))).toBe(true);
  }, 240_000);
});
