// Every usage and configuration error is found before the first request: exit 2, one line naming
// the file or flag and the field, and a loopback listener standing in for the bank counts nothing.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './fixtures/cli.js';
import { startCountingServer } from './fixtures/counting-server.js';
import { writePkiFiles, type PkiFiles } from './fixtures/pki-files.js';

let dir: string;
let bank: Awaited<ReturnType<typeof startCountingServer>>;
let pki: PkiFiles;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cc-cli-usage-'));
  bank = await startCountingServer();
  mkdirSync(join(dir, 'pki'));
  pki = await writePkiFiles(join(dir, 'pki'));
}, 120_000);
afterAll(async () => {
  await bank?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A bank file for the counting listener; `extra` is appended as YAML. */
function bankFile(name: string, extra = ''): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `id: ${name}\nprofile: berlin-group\nbaseUrl: ${bank.url}\nconsent:\n  id: consent-for-tests-1\nlimits:\n  retries: 0\n  timeoutMs: 2000\n${extra}`,
  );
  return file;
}

const signingWith = (cert: string, key: string): string => `signing:\n  certificate: ${cert}\n  key: ${key}\n`;

async function expectUsageError(args: string[], mention: RegExp): Promise<void> {
  const before = bank.count();
  const r = await cli(args, { timeoutMs: 60_000 });
  expect(r.code, r.stderr + r.stdout).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines[0]).toMatch(mention);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  expect(bank.count()).toBe(before);
}

describe('usage and configuration errors: exit 2, nothing sent', () => {
  it('--out naming a file', async () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'x');
    await expectUsageError(['run', '--bank', bankFile('out-file'), '--out', file], /--out: .*not-a-folder is a file, not a folder/);
  });

  it('--baseline missing, and not JSON', async () => {
    await expectUsageError(
      ['run', '--bank', bankFile('baseline-missing'), '--out', join(dir, 'o1'), '--baseline', join(dir, 'none.json')],
      /--baseline: cannot read .*none\.json: no such file/,
    );
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ not json');
    await expectUsageError(['run', '--bank', bankFile('baseline-bad'), '--out', join(dir, 'o2'), '--baseline', bad], /--baseline: .*bad\.json: not valid JSON/);
  });

  it('--defects, --variants and --faults with --bank', async () => {
    await expectUsageError(['run', '--bank', bankFile('defects'), '--defects', 'pan-unmasked'], /--defects: applies to the embedded reference bank only/);
    await expectUsageError(['run', '--bank', bankFile('variants'), '--variants', 'x'], /--variants: applies to the embedded reference bank only/);
    await expectUsageError(['run', '--bank', bankFile('faults'), '--faults', 'timeout'], /--faults: applies to the embedded reference bank only/);
  });

  it('a flag the command does not take, and a stray argument', async () => {
    await expectUsageError(['run', '--port', '1'], /^card-conformance run: Unknown option '--port'/);
    await expectUsageError(['run', 'extra'], /unexpected argument 'extra'/);
  });

  it('the certificate checks doctor makes: a CA as signing certificate, no PSP_AI role, expired', async () => {
    await expectUsageError(
      ['run', '--bank', bankFile('root-ca', signingWith(pki.path('root-ca.pem'), pki.path('root-ca.key')))],
      /root-ca\.yaml: signing\.certificate: .*(keyUsage|PSD2|qcStatements)/,
    );
    await expectUsageError(
      ['run', '--bank', bankFile('no-psp-ai', signingWith(pki.path('bad/no-psp-ai.pem'), pki.path('bad/no-psp-ai.key')))],
      /no-psp-ai\.yaml: signing\.certificate: .*not PSP_AI/,
    );
    await expectUsageError(
      ['run', '--bank', bankFile('expired', signingWith(pki.path('bad/expired.pem'), pki.path('bad/expired.key')))],
      /expired\.yaml: signing\.certificate: .*expired/,
    );
  });

  it('doctor does not contact the bank when the file has errors', async () => {
    const file = bankFile('doctor-broken', 'psu:\n  id: ${CC_TEST_UNSET_PSU}\n');
    const before = bank.count();
    const r = await cli(['doctor', '--bank', file], { timeoutMs: 60_000 });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/network.*not checked: the bank file has \d+ problem/);
    expect(bank.count()).toBe(before);
  });

  it('diff and pki usage errors', async () => {
    await expectUsageError(['diff', join(dir, 'only-one.json')], /^card-conformance diff: diff: needs two files/);
    await expectUsageError(['diff', join(dir, 'a.json'), join(dir, 'b.json')], /diff: .*a\.json: cannot read/);
    await expectUsageError(['pki'], /pki: --out: required/);
    await expectUsageError(['pki', '--out', pki.dir], /pki: --out: .* already holds .*--force replaces them/);
  });

  it('each command has its own --help', async () => {
    const run = await cli(['run', '--help'], { timeoutMs: 30_000 });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: card-conformance run /);
    expect(run.stdout).toContain('--baseline-optional');
    expect(run.stdout).not.toContain('Usage: card-conformance sandbox');
    const doctor = await cli(['doctor', '-h'], { timeoutMs: 30_000 });
    expect(doctor.stdout).toMatch(/^Usage: card-conformance doctor /);
  });
});
