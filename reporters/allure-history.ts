// Allure history across runs (`--history DIR`): Allure 3 keeps it in one JSONL file. The run works
// on a private copy of DIR/history.jsonl, which the report generator reads and appends this run's
// point to; the copy goes back to DIR only when asked (`--save-history`), so a trial run never
// pollutes the nightly trend. Trend, "new failure"/"fixed" markers and flaky detection come from it.
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeRedactedFile, type Redactor } from '../core/redact.js';

export const HISTORY_FILE = 'history.jsonl';

export interface HistoryWorkCopy {
  /** The file the report generator reads and appends to. */
  path: string;
  /** Copies the appended history back to DIR/history.jsonl (through the redactor). */
  save(redactor: Redactor): void;
  /** Removes the private copy. */
  dispose(): void;
}

/** A private working copy of DIR/history.jsonl (empty when DIR has none yet). */
export function openHistory(dir: string): HistoryWorkCopy {
  const work = mkdtempSync(join(tmpdir(), 'cc-history-'));
  const path = join(work, HISTORY_FILE);
  const source = join(dir, HISTORY_FILE);
  if (existsSync(source)) writeFileSync(path, readFileSync(source));
  return {
    path,
    save(redactor) {
      if (!existsSync(path)) return;
      // Line by line as JSON: numbers (13-digit timestamps) stay numbers, strings are redacted.
      const lines = readFileSync(path, 'utf8').split('\n');
      const jsonLines: Redactor = {
        ...redactor,
        redactText: (t) =>
          t
            .split('\n')
            .map((l) => (l.trim() ? redactor.redactJsonText(l) : l))
            .join('\n'),
      };
      const tmp = join(dir, `.${HISTORY_FILE}.${process.pid}.tmp`);
      writeRedactedFile(tmp, lines.join('\n'), jsonLines);
      // Renamed into place: an interrupted save leaves the previous history whole.
      renameSync(tmp, source);
    },
    dispose() {
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Points in a history file (one JSON object a line). */
export function historyLength(dir: string): number {
  const source = join(dir, HISTORY_FILE);
  return existsSync(source)
    ? readFileSync(source, 'utf8')
        .split('\n')
        .filter((l) => l.trim()).length
    : 0;
}
