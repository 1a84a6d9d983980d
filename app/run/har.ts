// `run --har FILE`: the run's traffic as HAR 1.2 through the run's redactor, to judge it again
// offline (`validate --har`). With several banks, one file per bank: FILE's name gets the bank id.
import type { ExchangeLog } from '../../collect/collect.js';
import type { Redactor } from '../../core/redact.js';
import { writeHar } from '../../reporters/har/write.js';

export interface RecordedBank {
  bank: { id: string; profile: string; baseUrl: string };
  log: ExchangeLog;
}

/** Where each bank's HAR goes: `FILE` for one bank, `FILE-without-.har.<bank-id>.har` for several. */
export function harPathFor(file: string, bankId: string, banks: number): string {
  return banks === 1 ? file : `${file.replace(/\.har$/i, '')}.${bankId}.har`;
}

/** Writes every bank's exchanges; returns the files written. */
export function writeRunHars(file: string, recorded: RecordedBank[], redactor: Redactor): string[] {
  return recorded.map(({ bank, log }) => {
    const path = harPathFor(file, bank.id, recorded.length);
    writeHar(path, { exchanges: log.exchanges, bank, notSent: log.notSent, sampling: log.sampling }, redactor);
    return path;
  });
}
