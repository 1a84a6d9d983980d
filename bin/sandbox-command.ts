import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config/types.js';
import { createEphemeralDir, type EphemeralDir } from '../core/fs/ephemeral-dir.js';
import { generateTestPki, type TestPki } from '../transport/pki/generate.js';
import { loadProfile } from '../config/profile.js';
import { defectEntries } from '../app/run/built-in-bank.js';
import { getProfile, parseFaults, startReferenceBank } from '../sandbox/index.js';
import { referenceBankOptions } from '../sandbox/reference-options.js';
import { readTrustedPki, type TrustAnchors } from '../sandbox/signature/trusted-pki.js';

export interface SandboxCommandOptions {
  profile: string;
  port?: string;
  defects: string[];
  variants?: string[];
  faults?: string[];
  tls: boolean;
  /** false: `--no-verify`, any request is accepted, signed or not. */
  verify?: boolean;
  /** `--trust DIR`: the PKI `card-conformance pki --out DIR` wrote. */
  trust?: string;
}

/** What to do about a profile folder without reference-bank.yaml. */
const NO_DATA_HINT = 'the reference bank cannot play it; add reference-bank.yaml to the folder (docs/architecture.md, "Adding a profile")';

/** How often the sandbox checks that the process that started it is still there. */
const PARENT_POLL_MS = 500;

/**
 * `card-conformance sandbox`: serves the reference bank on loopback until SIGINT, SIGTERM, SIGHUP
 * or the end of the process that started it. It verifies the signature of every request (as a
 * bank mandating signing does) unless --no-verify, trusting either the PKI in --trust DIR or a
 * test PKI generated for this session. A generated PKI lives in memory; the certificates and keys a
 * client needs are written to a private temporary folder that is removed whenever the sandbox stops.
 * With --tls it serves HTTPS and asks for a client certificate (QWAC).
 */
export async function serveSandbox(opts: SandboxCommandOptions): Promise<number> {
  // An unknown profile, or one the reference bank has no data for, is a usage error before anything starts.
  loadProfile(opts.profile);
  getProfile(opts.profile, '--profile', NO_DATA_HINT);
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('sandbox', '--port', `'${opts.port}' is not a port number`);
  const entries = defectEntries(opts); // unknown ids: a usage error before anything starts
  parseFaults(opts.faults ?? []); // likewise, before a PKI is generated
  const verify = opts.verify !== false;
  if (opts.trust !== undefined && !verify) throw new ConfigError('sandbox', '--trust', 'has no effect with --no-verify; give one or the other');
  const trustDir = opts.trust === undefined ? undefined : resolve(opts.trust);
  const trusted = trustDir === undefined ? undefined : readTrustedPki(trustDir, { server: opts.tls });
  // A fresh PKI only when something needs one: signatures to check, or a TLS server certificate.
  const generated = trusted === undefined && (verify || opts.tls) ? generateTestPki() : undefined;
  const anchors: TrustAnchors | undefined = verify ? (trusted ?? generated) : undefined;
  const server = trusted?.server ?? generated?.server;
  const rootCaPem = (trusted ?? generated)?.rootCaPem;

  const stop = stopSignal();
  let clientFiles: EphemeralDir | undefined;
  try {
    const bank = await startReferenceBank({
      ...referenceBankOptions({ pki: anchors, entries, faults: opts.faults }),
      ...(opts.tls && server && rootCaPem ? { tls: { certPem: server.certPem, keyPem: server.keyPem, caPem: rootCaPem, requestClientCert: true } } : {}),
      profile: opts.profile,
      host: '127.0.0.1',
      port,
    });
    const out: string[] = [`reference bank (${opts.profile}) listening on ${bank.baseUrl}`];
    if (!verify) out.push('signatures are NOT verified (--no-verify): requests are accepted signed or not');
    // Folder with the client's files: the user's own (--trust), or a private one removed at the end.
    let dir = trustDir;
    if (generated && !stop.stopped()) {
      clientFiles = createEphemeralDir('card-conformance-sandbox-');
      writeClientFiles(generated, clientFiles.path, opts.tls);
      dir = clientFiles.path;
    }
    if (dir !== undefined && (verify || opts.tls)) {
      const what = [verify && 'signed requests (QSealC)', opts.tls && 'mutual TLS (QWAC)'].filter(Boolean).join(' and ');
      const source = trusted
        ? `the test PKI in ${dir}`
        : `a test PKI generated for this session; its client files are in ${dir} and are removed when the sandbox stops`;
      out.push(`${what} required, trusting ${source}.`);
    }
    // A first session starts here: a complete bank file to save and run with, per profile.
    const consentId = getProfile(opts.profile).preAuthorisedConsentId;
    if (consentId) out.push(`consent id to use: ${consentId} (this profile's API only takes consents authorised beforehand)`);
    out.push(`A bank file for it (save it as sandbox.yaml, then: card-conformance doctor --bank sandbox.yaml; card-conformance run --bank sandbox.yaml):`);
    out.push(`  id: sandbox-${opts.profile}`, `  profile: ${opts.profile}`);
    out.push(`  baseUrl: ${bank.baseUrl}`, consentId ? `  consent: { id: ${consentId} }` : '  consent: { create: true }');
    if (dir !== undefined && verify) out.push(`  signing: { certificate: ${join(dir, 'qseal.pem')}, key: ${join(dir, 'qseal.key')} }`);
    if (dir !== undefined && opts.tls)
      out.push(`  tls: { certificate: ${join(dir, 'qwac.pem')}, key: ${join(dir, 'qwac.key')}, ca: ${join(dir, 'root-ca.pem')} }`);
    if (opts.faults?.length) out.push(`faults: ${opts.faults.join(', ')}`);
    if (opts.defects.length) out.push(`defects: ${opts.defects.join(', ')}`);
    if (opts.variants?.length) out.push(`variants: ${opts.variants.join(', ')}`);
    process.stdout.write(`${out.join('\n')}\n`);
    await stop.wait;
    await bank.close();
    return 0;
  } finally {
    clientFiles?.remove();
    stop.dispose();
  }
}

/** Only what a client needs: the QSealC and QWAC with their keys, and the root to trust. */
function writeClientFiles(pki: TestPki, dir: string, tls: boolean): void {
  const files: [string, string, number][] = [
    ['root-ca.pem', pki.rootCaPem, 0o644],
    ['qseal.pem', pki.qseal.certPem, 0o644],
    ['qseal.key', pki.qseal.keyPem, 0o600],
  ];
  if (tls) files.push(['qwac.pem', pki.qwac.certPem, 0o644], ['qwac.key', pki.qwac.keyPem, 0o600]);
  for (const [name, content, mode] of files) writeFileSync(join(dir, name), content, { mode });
}

/** Resolves on SIGINT, SIGTERM, SIGHUP, or when the parent process goes away. */
function stopSignal(): { wait: Promise<void>; stopped: () => boolean; dispose: () => void } {
  let stopped = false;
  let resolveWait: () => void = () => {};
  const wait = new Promise<void>((r) => {
    resolveWait = r;
  });
  const onStop = (): void => {
    stopped = true;
    resolveWait();
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const s of signals) process.on(s, onStop);
  // The parent's death reparents us; without this a sandbox started by a test or script that was
  // killed would serve (and keep its files) forever.
  const parent = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid !== parent) onStop();
  }, PARENT_POLL_MS);
  timer.unref();
  return {
    wait,
    stopped: () => stopped,
    dispose: () => {
      clearInterval(timer);
      for (const s of signals) process.off(s, onStop);
    },
  };
}
