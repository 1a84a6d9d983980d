// The previous run's outputs stay until the new ones are complete: a run writes into a staging
// folder beside the output folder (same parent, so the same file system) and moves each output
// into place with a rename at the end.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** The outputs a run owns at the top of the output folder: replaced, or removed when not produced. */
const OWNED = ['findings.json', 'junit.xml', 'summary.md', 'diff.txt', 'diff.json', 'certification-bundle.zip', 'allure-results', 'allure-report'];

export interface Staging {
  /** Where this run writes. */
  dir: string;
  /** Moves every output into the output folder (replacing the previous run's) and removes the staging folder. */
  commit(): void;
  /** Removes the staging folder, leaving the output folder as it was. */
  discard(): void;
}

const prefix = (out: string): string => `.${basename(out)}.staging-`;

/** Staging folders of runs that died (SIGKILL): their process is gone. They hold only redacted output. */
function removeAbandoned(out: string): void {
  const parent = dirname(out);
  let names: string[] = [];
  try {
    names = readdirSync(parent);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix(out))) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix(out).length))?.[1]);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function createStaging(out: string): Staging {
  const parent = dirname(out);
  mkdirSync(parent, { recursive: true });
  removeAbandoned(out);
  const dir = mkdtempSync(join(parent, `${prefix(out)}${process.pid}-`));
  return {
    dir,
    commit() {
      mkdirSync(out, { recursive: true });
      const trash = mkdtempSync(join(parent, `${prefix(out)}${process.pid}-old-`));
      const names = new Set([...OWNED, ...readdirSync(dir)]);
      for (const name of names) {
        const target = join(out, name);
        const fresh = join(dir, name);
        if (existsSync(target)) renameSync(target, join(trash, name));
        if (existsSync(fresh)) renameSync(fresh, target);
      }
      rmSync(trash, { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    },
    discard() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
