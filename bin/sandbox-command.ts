import { ConfigError } from '../lib/config/types.js';
import { loadProfile } from '../lib/profile.js';
import { defectOptions } from '../lib/run/built-in-bank.js';
import { startReferenceBank } from '../sandbox/index.js';

/** `card-conformance sandbox`: serves the reference bank on loopback until SIGINT/SIGTERM. */
export async function serveSandbox(opts: { profile: string; port?: string; defects: string[]; variants?: string[]; faults?: string[]; tls: boolean }): Promise<number> {
  loadProfile(opts.profile); // an unknown profile is a usage error before anything starts
  const port = opts.port === undefined ? 0 : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('sandbox', '--port', `'${opts.port}' is not a port number`);
  const defects = defectOptions(opts); // unknown ids: a usage error before anything starts
  const bank = await startReferenceBank({ ...defects, profile: opts.profile, host: '127.0.0.1', port, faults: opts.faults });
  process.stdout.write(`reference bank (${opts.profile}) listening on ${bank.baseUrl}\n`);
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
