import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateTestPki } from '../../transport/pki/index.js';
import { startReferenceBank } from '../../sandbox/index.js';
import { runDoctor } from './doctor.js';
import { renderDoctorReport } from './render.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-doctor-unit-'));

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

describe('runDoctor', () => {
  it('never prints a value from the environment, even the base URL', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/secret-path-4711`;
    const file = join(dir, 'b.yaml');
    writeFileSync(file, 'id: b\nprofile: berlin-group\nbaseUrl: ${URL}\nconsent: { id: literal-consent-id }\nlimits: { timeoutMs: 2000 }\n');
    const report = await runDoctor({ file, env: { URL: url } });
    const text = renderDoctorReport(report);
    expect(report.problems).toBe(1);
    expect(text).toMatch(/✗ base URL: \[REDACTED\] is not reachable/);
    expect(text).not.toContain('secret-path-4711');
    expect(text).not.toContain('literal-consent-id');
  });

  it('does not try the network with a TLS client key that does not belong to its certificate', async () => {
    const pki = generateTestPki();
    writeFileSync(join(dir, 'qwac.pem'), pki.qwac.certPem);
    writeFileSync(join(dir, 'qseal.key'), pki.qseal.keyPem);
    const file = join(dir, 'tls.yaml');
    writeFileSync(
      file,
      `id: b\nprofile: berlin-group\nbaseUrl: https://127.0.0.1:${await closedPort()}\nconsent: { create: true }\ntls: { certificate: qwac.pem, key: qseal.key }\n`,
    );
    const text = renderDoctorReport(await runDoctor({ file }));
    expect(text).toContain('✗ TLS client key: tls.key does not belong to tls.certificate');
    expect(text).toContain('– network: not checked: tls.key has a problem (see above)');
    expect(text).not.toContain('PRIVATE KEY');
  });

  it('skips every other check when the file cannot be read', async () => {
    const report = await runDoctor({ file: join(dir, 'missing.yaml') });
    expect(renderDoctorReport(report).split('\n').slice(1)).toEqual([
      '  ✗ bank file: cannot read the bank file: no such file',
      '  – environment: the bank file reads no environment variables',
      '  – other checks: not run: the bank file could not be read',
      '1 problem (✗): fix the ✗ lines before a run',
    ]);
  });
});

describe('runDoctor: a baseUrl that ends in a version segment', () => {
  it("warns that requests would go to /v1/v1/… (the spec's paths start with /v1 too), naming baseUrl", async () => {
    const bank = await startReferenceBank({ host: '127.0.0.1', port: 0 });
    try {
      const file = join(dir, 'v1.yaml');
      writeFileSync(file, `id: b\nprofile: berlin-group\nbaseUrl: ${bank.baseUrl}/v1\nconsent: { create: true }\n`);
      const report = await runDoctor({ file });
      expect(report.lines.find((l) => l.field === 'baseUrl' && l.status === 'warn')?.message).toMatch(
        /ends in '\/v1' and the spec's paths start with '\/v1', so requests go to \/v1\/v1\/card-accounts/,
      );
    } finally {
      await bank.close();
    }
  });
});

describe('renderDoctorReport', () => {
  it('marks each line and ends with the verdict', () => {
    const text = renderDoctorReport({
      file: 'bank.yaml',
      bankId: 'b',
      problems: 0,
      warnings: 1,
      lines: [
        { status: 'pass', check: 'a', message: 'fine' },
        { status: 'warn', check: 'b', message: 'soon\nover two lines' },
        { status: 'skip', check: 'c', message: 'not needed' },
      ],
    });
    expect(text).toBe('bank.yaml (b)\n  ✓ a: fine\n  ! b: soon over two lines\n  – c: not needed\nready to run (1 warning: see the ! lines)');
  });
});
