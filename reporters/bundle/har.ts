// A HAR 1.2 log of every exchange of a run, for the certification bundle: several banks in one log,
// each entry built by the same writer as `run --har` (reporters/har/write.ts) and named by its bank.
// Each exchange is redacted through the run's redactor before it becomes an entry, so the HAR
// holds no more than the other outputs do.
import type { Har } from 'har-format';
import { harEntry } from '../har/write.js';
import type { Exchange } from '../../core/model.js';
import type { Redactor } from '../../core/redact.js';

/** Every bank's exchanges as one HAR 1.2 log, redacted. `startedAt` dates the entries (exchanges carry no clock time). */
export function buildHar(
  banks: Array<{ id: string; exchanges: Exchange[] }>,
  redactor: Redactor,
  tool: { name: string; version: string },
  startedAt: string,
): Har {
  const started = new Date(startedAt);
  return {
    log: {
      version: '1.2',
      creator: { name: tool.name, version: tool.version },
      entries: banks.flatMap((b) =>
        b.exchanges.map((ex) => ({ ...harEntry(redactor.redactExchange(ex), started), comment: `${b.id} ${ex.probe} (${ex.endpoint})` })),
      ),
    },
  };
}
