// A private temporary folder that is removed when the process ends, however it ends short of
// SIGKILL: the owner removes it on its own way out, and the 'exit' hook catches the rest
// (process.exit, an uncaught exception). Signals must be handled by the owner (a handled signal
// ends in a normal exit; an unhandled one would skip the hook).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface EphemeralDir {
  readonly path: string;
  /** Removes the folder now; safe to call more than once. */
  remove(): void;
}

export function createEphemeralDir(prefix: string): EphemeralDir {
  // mkdtemp creates the folder with mode 0700: private to this user.
  const path = mkdtempSync(join(tmpdir(), prefix));
  let removed = false;
  const remove = (): void => {
    if (removed) return;
    removed = true;
    process.off('exit', remove);
    rmSync(path, { recursive: true, force: true });
  };
  process.on('exit', remove);
  return { path, remove };
}
