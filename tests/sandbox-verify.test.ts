// The reference bank verifies signatures in every mode: `card-conformance sandbox` over plain HTTP
// refuses unsigned and garbage-signed requests with the Berlin Group code and accepts a correctly
// signed one; `--trust DIR` trusts the PKI `pki --out DIR` wrote; `--no-verify` accepts anything.
import { createHash, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateTestPki } from '../transport/pki/generate.js';
import { writePki } from '../transport/pki/write.js';
import { createSigner } from '../transport/signing/signer.js';
import { type SandboxProcess, startSandboxProcess } from './sandbox-process.js';

const VALID_UNTIL = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
const CONSENT_BODY = JSON.stringify({
  access: { allPsd2: 'allAccounts' },
  recurringIndicator: true,
  validUntil: VALID_UNTIL,
  frequencyPerDay: 4,
  combinedServiceIndicator: false,
});
const VERIFYING = /signing: \{ certificate: \S+, key: \S+ \}\n/;

let tmp: string;
let sandbox: SandboxProcess | undefined;

beforeEach(() => {
  tmp = mkdtempSync(join(tmpdir(), 'sandbox-verify-'));
});
afterEach(async () => {
  if (sandbox && sandbox.child.exitCode === null) {
    sandbox.child.kill('SIGTERM');
    await sandbox.exited;
  }
  sandbox = undefined;
  rmSync(tmp, { recursive: true, force: true });
});

type Headers = Record<string, string>;

function consentRequest(baseUrl: string): { method: string; url: string; headers: Headers; body: string } {
  return {
    method: 'POST',
    url: `${baseUrl}/v1/consents`,
    headers: { 'x-request-id': randomUUID(), 'content-type': 'application/json', 'psu-ip-address': '192.0.2.10' },
    body: CONSENT_BODY,
  };
}

function signWith(certPem: string, keyPem: string, req: ReturnType<typeof consentRequest>): ReturnType<typeof consentRequest> {
  const signer = createSigner({
    certificatePem: certPem,
    keyPem,
    keyIdFormat: 'bg-example',
    signDate: false,
    signRequestTarget: false,
    digestAlgorithm: 'SHA-256',
  });
  const signed = signer(req);
  return { ...req, headers: signed.headers };
}

/** One request on its own connection (no keep-alive: a reused socket the bank closed meanwhile would fail the test for nothing). */
function send(req: ReturnType<typeof consentRequest>): Promise<{ status: number; code?: string }> {
  return new Promise((resolve, reject) => {
    const r = request(req.url, { method: req.method, headers: { ...req.headers, 'content-length': Buffer.byteLength(req.body) }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let code: string | undefined;
        try {
          code = (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { tppMessages?: { code?: string }[] }).tppMessages?.[0]?.code;
        } catch {
          /* no JSON body */
        }
        resolve({ status: res.statusCode ?? 0, ...(code ? { code } : {}) });
      });
    });
    r.on('error', reject);
    r.end(req.body);
  });
}

describe('sandbox over plain HTTP verifies signatures', { timeout: 120_000 }, () => {
  it('refuses unsigned and garbage-signed requests, accepts a correctly signed one (generated PKI)', async () => {
    const other = generateTestPki();
    sandbox = await startSandboxProcess([], { ready: VERIFYING, env: { TMPDIR: tmp } });
    expect(sandbox.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const dir = sandbox.dir!; // printed whenever the sandbox generates its PKI
    const certPem = readFileSync(join(dir, 'qseal.pem'), 'utf8');
    const keyPem = readFileSync(join(dir, 'qseal.key'), 'utf8');

    expect(await send(consentRequest(sandbox.baseUrl))).toEqual({ status: 401, code: 'SIGNATURE_MISSING' });

    const garbage = consentRequest(sandbox.baseUrl);
    garbage.headers = {
      ...garbage.headers,
      // A correct Digest, so the garbage is in the signature and certificate themselves.
      digest: `SHA-256=${createHash('sha256').update(garbage.body).digest('base64')}`,
      signature: 'keyId="SN=1,CA=CN=nobody",algorithm="rsa-sha256",headers="digest x-request-id",signature="Z2FyYmFnZQ=="',
      'tpp-signature-certificate': 'bm90IGEgY2VydGlmaWNhdGU=',
    };
    const g = await send(garbage);
    expect(g.status).toBe(401);
    expect(g.code).toBe('CERTIFICATE_INVALID');

    // The right certificate, but a signature that is not its key's.
    const forged = signWith(certPem, keyPem, consentRequest(sandbox.baseUrl));
    forged.headers.signature = forged.headers.signature!.replace(/signature="[^"]+"/, `signature="${Buffer.alloc(256, 7).toString('base64')}"`);
    expect(await send(forged)).toEqual({ status: 401, code: 'SIGNATURE_INVALID' });

    // Signed, then the body changed: the Digest no longer matches.
    const tampered = signWith(certPem, keyPem, consentRequest(sandbox.baseUrl));
    tampered.body = tampered.body.replace('"frequencyPerDay":4', '"frequencyPerDay":5');
    expect(await send(tampered)).toEqual({ status: 401, code: 'SIGNATURE_INVALID' });

    // A QSealC from another PKI is not trusted.
    expect(await send(signWith(other.qseal.certPem, other.qseal.keyPem, consentRequest(sandbox.baseUrl)))).toEqual({
      status: 401,
      code: 'CERTIFICATE_INVALID',
    });

    const ok = await send(signWith(certPem, keyPem, consentRequest(sandbox.baseUrl)));
    expect(ok.status).toBe(201);
  });

  it('--trust DIR trusts the PKI that pki --out DIR wrote, and writes nothing itself', async () => {
    const pki = generateTestPki();
    const dir = join(tmp, 'certs');
    await writePki(pki, dir);
    const sandboxTmp = mkdtempSync(join(tmp, 'sandbox-tmp-'));
    sandbox = await startSandboxProcess(['--trust', dir], { ready: VERIFYING, env: { TMPDIR: sandboxTmp } });
    expect(sandbox.stdout()).toContain(`trusting the test PKI in ${dir}`);
    expect(sandbox.stdout()).toContain(`signing: { certificate: ${join(dir, 'qseal.pem')}, key: ${join(dir, 'qseal.key')} }`);
    expect(readdirSync(sandboxTmp)).toEqual([]);

    expect(await send(consentRequest(sandbox.baseUrl))).toEqual({ status: 401, code: 'SIGNATURE_MISSING' });
    expect((await send(signWith(pki.qseal.certPem, pki.qseal.keyPem, consentRequest(sandbox.baseUrl)))).status).toBe(201);
    // A revoked certificate of the same PKI is refused: the serial lists are read too.
    const revoked = pki.bad.revoked;
    expect(await send(signWith(revoked.certPem, revoked.keyPem, consentRequest(sandbox.baseUrl)))).toEqual({ status: 401, code: 'CERTIFICATE_REVOKED' });
  });

  it('--no-verify accepts an unsigned request, and says so', async () => {
    sandbox = await startSandboxProcess(['--no-verify'], { ready: /NOT verified.*\n/, env: { TMPDIR: tmp } });
    expect(sandbox.dir).toBeUndefined();
    expect(readdirSync(tmp)).toEqual([]);
    expect((await send(consentRequest(sandbox.baseUrl))).status).toBe(201);
  });

  it('--help documents the verification, --trust and --no-verify', async () => {
    const { cli } = await import('./fixtures/cli.js');
    const help = await cli(['--help'], { timeoutMs: 30_000 });
    expect(help.stdout).toContain('--trust DIR');
    expect(help.stdout).toContain('--no-verify');
    expect(help.stdout).toMatch(/with or without --tls, verifies every request's signature/);
  });
});
