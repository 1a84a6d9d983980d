// Reads the PEM files a bank file's `tls` section names into createHttpClient's `tls` option.

import { FILE_CAPS, readConfigFile } from '../../core/fs/read-bounded.js';
import type { TlsConfig } from '../../config/types.js';
import type { HttpClientOptions } from './client.js';

/**
 * `source` is the bank file, for the error message. The loader has already checked that the
 * files are readable; a ConfigError here means one changed in between.
 */
export function tlsOptionsFromConfig(tls: TlsConfig | undefined, source: string): HttpClientOptions['tls'] {
  if (!tls) return undefined;
  const read = (path: string | undefined, field: string): string | undefined => {
    if (path === undefined) return undefined;
    return readConfigFile(path, { source, field, maxBytes: FILE_CAPS.pem });
  };
  const out: NonNullable<HttpClientOptions['tls']> = {};
  const certificatePem = read(tls.certificate, 'tls.certificate');
  const keyPem = read(tls.key, 'tls.key');
  const caPem = read(tls.ca, 'tls.ca');
  if (certificatePem !== undefined) out.certificatePem = certificatePem;
  if (keyPem !== undefined) out.keyPem = keyPem;
  if (caPem !== undefined) out.caPem = caPem;
  return out;
}
