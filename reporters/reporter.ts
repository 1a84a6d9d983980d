// The reporter contract: what a run hands every output format at its end. A format is one object
// with a name and a `write`; reporters/index.ts maps names to reporters and the run loops over them,
// so a new format is one file and one line in that map.
import type { FindingsFile, UntestableBank } from '../core/model.js';
import type { Redactor } from '../core/redact.js';
import type { Colors } from './console.js';
import type { RunDiff } from './diff.js';
import type { RuleDurations } from './junit.js';
import type { WaiverReport } from './waivers.js';

export interface ReportContext {
  /** The folder the files go to (the run's staging folder, moved into place when complete). */
  dir: string;
  /** One findings file per bank that was judged, in the order of the run. */
  findings: FindingsFile[];
  /** Banks that could not be tested at all, with the reason. */
  untestable: UntestableBank[];
  /** How long each rule's test took (JUnit). */
  durations: RuleDurations;
  /** --waivers: what the waivers covered, and which expired or went stale. */
  waiverReport?: WaiverReport;
  /** --baseline: the run compared with the earlier findings. */
  diff?: RunDiff;
  /** The run's one redactor: every byte a reporter writes goes through it (writeRedactedFile, redactText). */
  redactor: Redactor;
  /** A console line; already redacted on the way out. */
  print(line: string): void;
  colors: Colors;
  /** The machine-readable channel (stdout with --json); the reporter redacts what it passes. */
  stdout?: (text: string) => void;
}

export interface Reporter {
  /** The name in the map (reporters/index.ts). */
  readonly name: string;
  write(context: ReportContext): void;
}
