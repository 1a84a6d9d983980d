// What card-conformance adds to a HAR file (HAR allows custom fields starting with `_`): the
// contract between the writer (reporters/har) and the offline reader (collect/har).
import type { Exchange, NotFollowed, TransportFailure } from './model.js';

/** What card-conformance adds to an entry (HAR allows custom fields starting with `_`). */
export interface HarEntryExtension {
  probe: string;
  operationId: string;
  endpoint: string;
  context?: Exchange['context'];
  failure?: TransportFailure;
  notFollowed?: NotFollowed[];
  truncated?: boolean;
}

/** What card-conformance adds to the log: the run's facts the rules need besides the exchanges. */
export interface HarLogExtension {
  bank: { id: string; profile: string; baseUrl: string };
  /** Why a probe was not sent, by probe id (the collector's notSent). */
  notSent: Record<string, string>;
  sampling?: string[];
}

/** The property name of both extensions. */
export const HAR_EXTENSION = '_cardConformance';
