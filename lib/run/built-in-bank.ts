import { startReferenceBank } from '../../sandbox/index.js';

export interface BuiltInBank {
  baseUrl: string;
  close(): Promise<void>;
}

/** The embedded reference bank, started in-process on a free loopback port for a run without a bank file. */
export async function startBuiltInBank(opts: { profile: string; defects: string[] }): Promise<BuiltInBank> {
  return startReferenceBank({ profile: opts.profile, host: '127.0.0.1', port: 0 });
}
