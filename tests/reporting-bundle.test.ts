// The certification bundle (`run --certify`) and `verify-bundle`: a signed bundle of a clean run
// verifies and is eligible; a changed byte in a file, and a changed manifest, are detected with the
// file named; an unsigned bundle of a run with failures is intact but not eligible.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import type { Har } from 'har-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../reporters/bundle/bundle.js';
import { sha256 } from '../reporters/bundle/bundle.js';
import { cli, type CliResult } from './fixtures/cli.js';

const work = mkdtempSync(join(tmpdir(), 'cc-bundle-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const pki = join(work, 'pki');
const signedOut = join(work, 'signed');
const unsignedOut = join(work, 'unsigned');
let signed: CliResult;
let unsigned: CliResult;

beforeAll(async () => {
  expect((await cli(['pki', '--out', pki])).code).toBe(0);
  [signed, unsigned] = await Promise.all([
    cli(['run', '--only', 'masked-pan', '--out', signedOut, '--certify', '--sign-key', join(pki, 'qseal.key'), '--sign-cert', join(pki, 'qseal.pem')]),
    cli(['run', '--only', 'masked-pan', '--defects', 'masked-pan-too-long', '--out', unsignedOut, '--certify']),
  ]);
});

const bundleOf = (out: string): string => join(out, 'certification-bundle.zip');
const rezip = (from: string, to: string, change: (files: Record<string, Uint8Array>) => void): string => {
  const files = unzipSync(new Uint8Array(readFileSync(from)));
  change(files);
  writeFileSync(to, zipSync(files));
  return to;
};

describe('run --certify', () => {
  it('writes a signed bundle with findings, JUnit, summary, the HTML report, a HAR and the manifest', () => {
    expect(signed.code, signed.stdout + signed.stderr).toBe(0);
    expect(signed.stdout).toMatch(/certification bundle: .*certification-bundle\.zip \(JWS RS256 \(manifest\.jws\)\): ELIGIBLE/);
    const files = unzipSync(new Uint8Array(readFileSync(bundleOf(signedOut))));
    expect(Object.keys(files).sort()).toEqual([
      'allure-report/index.html',
      'exchanges.har',
      'findings.json',
      'junit.xml',
      'manifest.json',
      'manifest.jws',
      'summary.md',
    ]);
    const manifest = JSON.parse(strFromU8(files['manifest.json']!)) as Manifest;
    expect(manifest.eligibility).toEqual({ eligible: true, reasons: [] });
    expect(manifest.signature).toBe('JWS RS256 (manifest.jws)');
    expect(manifest.spec.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(manifest.profiles).toEqual(['berlin-group']);
    expect(manifest.interrupted).toBe(false);
    for (const [name, hash] of Object.entries(manifest.files)) expect(sha256(files[name]!), name).toBe(hash);
    const har = JSON.parse(strFromU8(files['exchanges.har']!)) as Har;
    expect(har.log.version).toBe('1.2');
    expect(har.log.entries.length).toBeGreaterThan(20);
    // Redacted: the run's Signature values are masked in the HAR like everywhere else.
    const sigs = har.log.entries.flatMap((e) => e.request.headers.filter((h) => h.name === 'signature').map((h) => h.value));
    expect(sigs.length).toBeGreaterThan(0);
    for (const s of sigs) expect(s).toMatch(/signature="\[REDACTED signature\]"/);
  });

  it('verify-bundle: intact, signed by the QSealC, eligible (exit 0)', async () => {
    const r = await cli(['verify-bundle', bundleOf(signedOut)], { timeoutMs: 120_000 });
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/signature: valid, signed by .*CN=/);
    expect(r.stdout).toContain('Verdict: intact; ELIGIBLE for certification');
  });

  it('a changed byte in a file fails verification, naming the file', async () => {
    const tampered = rezip(bundleOf(signedOut), join(work, 'byte.zip'), (files) => {
      const f = files['findings.json']!;
      f[100] = f[100] === 0x20 ? 0x21 : 0x20;
    });
    const r = await cli(['verify-bundle', tampered], { timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED findings\.json: changed/);
    expect(r.stdout).toContain('Verdict: NOT INTACT');
  });

  it('a changed manifest (hashes recomputed, verdict rewritten) fails the signature check', async () => {
    // Take the signed bundle, alter a file AND recompute its hash in the manifest: only the signature can tell.
    const forged = rezip(bundleOf(signedOut), join(work, 'manifest.zip'), (files) => {
      files['summary.md'] = strToU8('all good\n');
      const m = JSON.parse(strFromU8(files['manifest.json']!)) as Manifest;
      m.files['summary.md'] = sha256(files['summary.md']);
      files['manifest.json'] = strToU8(`${JSON.stringify(m, null, 2)}\n`);
    });
    const r = await cli(['verify-bundle', forged], { timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAILED manifest\.jws: manifest\.json differs from the signed manifest/);
    expect(r.stdout).toContain('signature: INVALID');
  });

  it('an unsigned bundle of a failing run says so: intact, not eligible (exit 1)', async () => {
    expect(unsigned.code).toBe(1);
    expect(unsigned.stdout).toMatch(/certification bundle: .* \(unsigned\): NOT ELIGIBLE: reference-bank: \d+ mandatory rules not passed/);
    const r = await cli(['verify-bundle', bundleOf(unsignedOut)], { timeoutMs: 120_000 });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('signature: none (unsigned bundle');
    expect(r.stdout).toMatch(/Verdict: intact; NOT ELIGIBLE: reference-bank: \d+ mandatory rules not passed/);
  });

  it('a bad signing key is a configuration error before anything is sent (exit 2)', async () => {
    const r = await cli(['run', '--certify', '--sign-key', join(pki, 'qseal.pem'), '--out', join(work, 'x')], { timeoutMs: 120_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(pki, 'qseal.pem')}: not a readable unencrypted private key`);
    const wrongCert = await cli(['run', '--certify', '--sign-key', join(pki, 'qseal.key'), '--sign-cert', join(pki, 'qwac.pem'), '--out', join(work, 'y')], {
      timeoutMs: 120_000,
    });
    expect(wrongCert.code).toBe(2);
    expect(wrongCert.stderr).toContain('does not belong to the key');
  });
});
