import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../lib/config/types.js';
import { generateTestPki } from '../lib/pki/generate.js';
import { writePki } from '../lib/pki/write.js';
import { loadProfile } from '../lib/profile.js';
import { defectEntries } from '../lib/run/built-in-bank.js';
import { startReferenceBank } from '../sandbox/index.js';
import { referenceBankOptions } from '../sandbox/reference-options.js';

/**
 * `card-conformance sandbox`: serves the reference bank on loopback until SIGINT/SIGTERM.
 * With --tls it serves HTTPS, asks for a client certificate (QWAC) and mandates signed requests;
 * the test PKI it trusts is written to a folder so a bank file can point at it.
 */
export async function serveSandbox(opts: { profile: string; port?: string; defects: string[]; variants?: string[]; faults?: string[]; tls: boolean }): Promise<number> {
  loadProfile(opts.profile); // an unknown profile is a usage error before anything starts
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('sandbox', '--port', `'${opts.port}' is not a port number`);
  const entries = defectEntries(opts); // unknown ids: a usage error before anything starts
  const pki = opts.tls ? generateTestPki() : undefined;
  const bank = await startReferenceBank({
    ...referenceBankOptions({ pki, entries, faults: opts.faults }),
    ...(pki ? { tls: { certPem: pki.server.certPem, keyPem: pki.server.keyPem, caPem: pki.rootCaPem, requestClientCert: true } } : {}),
    profile: opts.profile, host: '127.0.0.1', port,
  });
  process.stdout.write(`reference bank (${opts.profile}) listening on ${bank.baseUrl}\n`);
  if (pki) {
    const dir = mkdtempSync(join(tmpdir(), 'card-conformance-sandbox-pki-'));
    await writePki(pki, dir);
    process.stdout.write(`mTLS and signed requests required; test PKI in ${dir}. A bank file for it:\n`
      + `  baseUrl: ${bank.baseUrl}\n  consent: { create: true }\n`
      + `  signing: { certificate: ${join(dir, 'qseal.pem')}, key: ${join(dir, 'qseal.key')} }\n`
      + `  tls: { certificate: ${join(dir, 'qwac.pem')}, key: ${join(dir, 'qwac.key')}, ca: ${join(dir, 'root-ca.pem')} }\n`);
  }
  if (opts.faults?.length) process.stdout.write(`faults: ${opts.faults.join(', ')}\n`);
  if (opts.defects.length) process.stdout.write(`defects: ${opts.defects.join(', ')}\n`);
  if (opts.variants?.length) process.stdout.write(`variants: ${opts.variants.join(', ')}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await bank.close();
  return 0;
}
