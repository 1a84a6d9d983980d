// `card-conformance doctor` as a user runs it: the built CLI against loopback servers, with
// certificates from transport/pki. Each broken configuration must be named in a ✗ line (exit 2),
// a clean one must pass (exit 0), all problems of a file are listed together, and `run`
// refuses the same local problems before sending anything.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBank } from '../sandbox/index.js';
import type { RunningBank } from '../sandbox/index.js';
import { cli, type CliResult } from './fixtures/cli.js';
import { startCountingServer } from './fixtures/counting-server.js';
import { OTHER_BANK_CONSENT, startOtherBank } from './fixtures/other-bank.js';
import { writePkiFiles, type PkiFiles } from './fixtures/pki-files.js';

const work = mkdtempSync(join(tmpdir(), 'cc-doctor-'));
let pki: PkiFiles;
let other: Awaited<ReturnType<typeof startOtherBank>>;
let plain: Awaited<ReturnType<typeof startCountingServer>>;
let closedUrl: string;
let tlsBank: RunningBank;

beforeAll(async () => {
  pki = await writePkiFiles(join(work, 'pki'));
  other = await startOtherBank();
  plain = await startCountingServer();
  const gone = await startCountingServer();
  closedUrl = gone.url;
  await gone.close(); // nothing listens there any more
  tlsBank = await startReferenceBank({
    tls: { certPem: pki.pki.server.certPem, keyPem: pki.pki.server.keyPem, caPem: pki.pki.rootCaPem, requestClientCert: true },
  });
});
afterAll(async () => {
  await Promise.all([other?.close(), plain?.close(), tlsBank?.close()]);
});

let n = 0;
const bankFile = (text: string): string => {
  const file = join(work, `bank-${++n}.yaml`);
  writeFileSync(file, text);
  return file;
};
const signing = (cert: string, key: string): string => `signing:\n  certificate: ${pki.path(cert)}\n  key: ${pki.path(key)}\n`;
const doctor = (file: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> => cli(['doctor', '--bank', file], { env });
const failures = (r: CliResult): string[] => r.stdout.split('\n').filter((l) => l.trimStart().startsWith('✗'));
const line = (r: CliResult, check: string): string => r.stdout.split('\n').find((l) => l.includes(` ${check}: `)) ?? `(no ${check} line in)\n${r.stdout}`;

// Concurrent: each case is its own CLI process.
describe.concurrent('doctor names each broken configuration (exit 2)', () => {
  const cases: [string, () => { file: string; env?: NodeJS.ProcessEnv }, RegExp][] = [
    [
      'an unset variable',
      () => ({ file: bankFile(`id: b\nprofile: berlin-group\nbaseUrl: ${other.baseUrl}\nconsent:\n  id: \${CC_DOCTOR_UNSET}\n`) }),
      /✗ environment: CC_DOCTOR_UNSET is not set \(needed by consent\.id\)/,
    ],
    ['a missing baseUrl', () => ({ file: bankFile('id: b\nprofile: berlin-group\nconsent: { create: true }\n') }), /✗ bank file: baseUrl: required/],
    [
      'a signing key that does not belong to the certificate',
      () => ({ file: bankFile(`id: b\nprofile: berlin-group\nbaseUrl: ${other.baseUrl}\nconsent: { create: true }\n${signing('qseal.pem', 'qwac.key')}`) }),
      /✗ signing key: signing\.key does not belong to signing\.certificate: their public keys differ/,
    ],
    [
      'an expired certificate',
      () => ({
        file: bankFile(`id: b\nprofile: berlin-group\nbaseUrl: ${other.baseUrl}\nconsent: { create: true }\n${signing('bad/expired.pem', 'bad/expired.key')}`),
      }),
      /✗ signing certificate: signing\.certificate expired on \d{4}-\d\d-\d\d/,
    ],
    [
      'a certificate without the PSP_AI role',
      () => ({
        file: bankFile(
          `id: b\nprofile: berlin-group\nbaseUrl: ${other.baseUrl}\nconsent: { create: true }\n${signing('bad/no-psp-ai.pem', 'bad/no-psp-ai.key')}`,
        ),
      }),
      /✗ signing certificate PSD2 role: signing\.certificate has the PSD2 role PSP_PI, not PSP_AI/,
    ],
    [
      'a certificate without a PSD2 statement',
      () => ({
        file: bankFile(
          `id: b\nprofile: berlin-group\nbaseUrl: ${other.baseUrl}\nconsent: { create: true }\n${signing('bad/no-psd2-statement.pem', 'bad/no-psd2-statement.key')}`,
        ),
      }),
      /✗ signing certificate PSD2 role: signing\.certificate has no PSD2 statement/,
    ],
    [
      'an unreachable base URL',
      () => ({ file: bankFile(`id: b\nprofile: berlin-group\nbaseUrl: ${closedUrl}\nconsent: { create: true }\nlimits: { timeoutMs: 2000 }\n`) }),
      /✗ base URL: http:\/\/127\.0\.0\.1:\d+ is not reachable: connection/,
    ],
    [
      'a consent the bank does not know (403)',
      () => ({
        file: bankFile(`id: b\nprofile: berlin-group\nbaseUrl: ${other.baseUrl}\nconsent:\n  id: \${CC_DOCTOR_CONSENT}\n`),
        env: { CC_DOCTOR_CONSENT: 'wrong-consent-0815' },
      }),
      /✗ consent: GET \/v1\/consents\/\{consentId\}\/status with consent\.id answered HTTP 403 CONSENT_UNKNOWN/,
    ],
    [
      'https against a plain-HTTP port',
      () => ({
        file: bankFile(
          `id: b\nprofile: berlin-group\nbaseUrl: ${plain.url.replace('http:', 'https:')}\nconsent: { create: true }\nlimits: { timeoutMs: 3000 }\n`,
        ),
      }),
      /✗ TLS handshake: 127\.0\.0\.1:\d+: .*\(the port does not speak TLS: is baseUrl meant to be http:\/\/\?\)/,
    ],
  ];
  for (const [what, make, expected] of cases) {
    it(what, async () => {
      const { file, env } = make();
      const r = await doctor(file, env);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stdout).toMatch(expected);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/\d+ problems? \(✗\)/);
      // The secret from the environment is never printed, not even in the consent line.
      expect(r.stdout).not.toContain('wrong-consent-0815');
    });
  }
});

describe('doctor reports every problem of a file at once', () => {
  it('lists an unset variable, a missing baseUrl, a key mismatch and an expired TLS certificate together', async () => {
    const file = bankFile(
      [
        'id: b',
        'profile: berlin-group',
        'consent: { create: true }',
        'headers:',
        '  authorization: "Bearer ${CC_DOCTOR_TOKEN}"',
        signing('qseal.pem', 'qwac.key').trimEnd(),
        `tls:\n  certificate: ${pki.path('bad/expired.pem')}\n  key: ${pki.path('bad/expired.key')}\n  ca: ${pki.path('root-ca.pem')}`,
        '',
      ].join('\n'),
    );
    const r = await doctor(file);
    expect(r.code, r.stdout).toBe(2);
    const bad = failures(r);
    expect(bad).toHaveLength(4);
    expect(bad.join('\n')).toMatch(/environment: CC_DOCTOR_TOKEN is not set \(needed by headers\.authorization\)/);
    expect(bad.join('\n')).toMatch(/bank file: baseUrl: required/);
    expect(bad.join('\n')).toMatch(/signing key: signing\.key does not belong/);
    expect(bad.join('\n')).toMatch(/TLS client certificate: tls\.certificate expired/);
    // No address, so nothing was sent; that is said, not hidden.
    expect(line(r, 'network')).toMatch(/– network: not checked: baseUrl/);
    expect(r.stdout).toMatch(/4 problems \(✗\)/);
  });
});

describe.concurrent('doctor on clean configurations (exit 0)', () => {
  it('the other-bank fixture with the right consent and a valid QSealC', async () => {
    const file = bankFile(
      `id: other-bank\nprofile: berlin-group\nbaseUrl: ${other.baseUrl}\nconsent:\n  id: \${CC_DOCTOR_CONSENT}\n${signing('qseal.pem', 'qseal.key')}`,
    );
    const r = await doctor(file, { CC_DOCTOR_CONSENT: OTHER_BANK_CONSENT });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(failures(r)).toEqual([]);
    expect(line(r, 'bank file')).toContain(`✓ bank file: id other-bank, profile berlin-group, baseUrl ${other.baseUrl}`);
    expect(line(r, 'environment')).toContain('✓ environment: CC_DOCTOR_CONSENT (consent.id) is set');
    expect(line(r, 'signing key')).toMatch(/✓ signing key: signing\.key belongs to signing\.certificate \(RSA 2048\)/);
    expect(line(r, 'signing certificate')).toMatch(/✓ signing certificate: signing\.certificate valid until/);
    expect(line(r, 'signing certificate chain')).toMatch(/– signing certificate chain: .*no tls\.ca/);
    expect(line(r, 'signing certificate PSD2 role')).toMatch(/✓ .*PSP_AI, PSP_PI \(NCA NO-FSA, Finanstilsynet\)/);
    expect(line(r, 'TLS handshake')).toContain('– TLS handshake: not needed: baseUrl is http');
    expect(line(r, 'base URL')).toMatch(/✓ base URL: .* answered HTTP \d{3}/);
    expect(line(r, 'consent')).toContain('✓ consent: consent.id is valid');
    expect(r.stdout).toContain('ready to run');
    expect(r.stdout).not.toContain(OTHER_BANK_CONSENT);
  });

  it('an https bank with mutual TLS, a CA, and a consent created at run time', async () => {
    const file = bankFile(
      [
        'id: tls-bank',
        'profile: berlin-group',
        `baseUrl: ${tlsBank.baseUrl}`,
        'consent: { create: true }',
        signing('qseal.pem', 'qseal.key').trimEnd(),
        `tls:\n  certificate: ${pki.path('qwac.pem')}\n  key: ${pki.path('qwac.key')}\n  ca: ${pki.path('root-ca.pem')}`,
        '',
      ].join('\n'),
    );
    const r = await doctor(file);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(line(r, 'TLS handshake')).toMatch(/✓ TLS handshake: 127\.0\.0\.1:\d+: TLSv1\.[23], server certificate CN=localhost, .*client certificate sent/);
    expect(line(r, 'signing certificate chain')).toContain('✓ signing certificate chain: signing.certificate chains to CN=Card Conformance Test Root CA');
    expect(line(r, 'TLS client key')).toContain('✓ TLS client key: tls.key belongs to tls.certificate');
    expect(line(r, 'consent')).toMatch(/– consent: consent\.create is true: a consent will be created at run time \(POST \/v1\/consents\)/);
  });

  it('a certificate expiring within 30 days and a self-signed one are warnings, not problems', async () => {
    const soon = bankFile(
      `id: b\nprofile: berlin-group\nbaseUrl: ${other.baseUrl}\nconsent: { create: true }\n${signing('expiring-soon.pem', 'expiring-soon.key')}`,
    );
    const r = await doctor(soon);
    expect(r.code, r.stdout).toBe(0);
    expect(line(r, 'signing certificate')).toMatch(/! signing certificate: signing\.certificate expires in (9|10) days/);
    const selfSigned = bankFile(
      `id: b\nprofile: berlin-group\nbaseUrl: ${other.baseUrl}\nconsent: { create: true }\n${signing('bad/self-signed.pem', 'bad/self-signed.key')}`,
    );
    const s = await doctor(selfSigned);
    expect(s.code, s.stdout).toBe(0);
    expect(line(s, 'signing certificate chain')).toMatch(/! signing certificate chain: signing\.certificate is self-signed/);
    expect(s.stdout).toMatch(/ready to run \(1 warning/);
  });
});

describe('run refuses the local problems doctor finds, before sending anything (exit 2)', () => {
  const cases: [string, string, RegExp][] = [
    ['a key mismatch', 'qseal.pem|qwac.key', /: signing\.key: does not belong to signing\.certificate/],
    ['an expired certificate', 'bad/expired.pem|bad/expired.key', /: signing\.certificate: expired on \d{4}-/],
  ];
  for (const [what, pair, expected] of cases) {
    it(what, async () => {
      const [cert, key] = pair.split('|') as [string, string];
      const file = bankFile(`id: b\nprofile: berlin-group\nbaseUrl: ${plain.url}\nconsent: { create: true }\n${signing(cert, key)}`);
      const before = plain.count();
      const r = await cli(['run', '--bank', file, '--out', join(work, 'run-out'), '--no-report']);
      expect(r.code, r.stdout + r.stderr).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(expected);
      expect(r.stderr).toContain(file);
      expect(plain.count()).toBe(before);
    });
  }
});
