// The PKI a sandbox trusts when it is told to (`sandbox --trust DIR`): the folder that
// `card-conformance pki --out DIR` wrote. Only certificates and serial lists are read, each
// bounded; the server key only for --tls.
import { X509Certificate } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../config/types.js';
import { FILE_CAPS, readConfigFile } from '../../core/fs/read-bounded.js';

/** What the verifier needs to trust a PKI (a TestPki has all of it). */
export interface TrustAnchors {
  rootCaPem: string;
  /** Lower-case hex serials. */
  revokedSerials: string[];
  blockedSerials: string[];
}

export interface TrustedPki extends TrustAnchors {
  /** The HTTPS certificate and key, for --tls. */
  server?: { certPem: string; keyPem: string };
}

const OPTION = '--trust';

function serials(dir: string, name: string): string[] {
  const file = join(dir, name);
  if (!existsSync(file)) return [];
  const text = readConfigFile(file, { source: OPTION, field: undefined, maxBytes: FILE_CAPS.pem });
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim().toLowerCase())
    .filter(Boolean);
  const bad = lines.find((l) => !/^[0-9a-f]+$/.test(l));
  if (bad !== undefined) throw new ConfigError(OPTION, undefined, `${file}: '${bad.slice(0, 40)}' is not a hexadecimal serial number`);
  return lines;
}

/** Reads DIR as `pki --out DIR` wrote it. Throws ConfigError (exit 2) for a missing or wrong file. */
export function readTrustedPki(dir: string, opts: { server: boolean }): TrustedPki {
  const read = (name: string): string => readConfigFile(join(dir, name), { source: OPTION, field: undefined, maxBytes: FILE_CAPS.pem });
  const rootCaPem = read('root-ca.pem');
  try {
    void new X509Certificate(rootCaPem); // parsed only to refuse a file that is not a certificate
  } catch {
    throw new ConfigError(OPTION, undefined, `${join(dir, 'root-ca.pem')} is not a PEM certificate (write the folder with card-conformance pki --out ${dir})`);
  }
  const out: TrustedPki = { rootCaPem, revokedSerials: serials(dir, 'revoked-serials.txt'), blockedSerials: serials(dir, 'blocked-serials.txt') };
  if (opts.server) out.server = { certPem: read('server.pem'), keyPem: read('server.key') };
  return out;
}
