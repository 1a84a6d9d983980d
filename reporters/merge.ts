// `card-conformance merge DIR… --out DIR`: shard outputs (each a run's --out folder) merged into one
// report: per-bank findings, the combined findings.json, one junit.xml and summary.md, and every
// shard's Allure results in one allure-results folder for one HTML report. Banks are ordered by id;
// a bank that two shards ran is an error (the shards overlap). The merged files are built by the
// same writers as a run's, so they match what one run of all the banks writes.
import { copyFileSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FindingsFile } from '../core/model.js';
import { writeRedactedFile, type Redactor } from '../core/redact.js';
import { combineFindings, readFindingsSet, writeFindings } from './findings.js';
import { renderJunit } from './junit.js';
import { renderSummaryMarkdown } from './summary.js';
import { withAttentionFirst } from './attention.js';

export class MergeError extends Error {}

/** Every bank's findings from the shard folders, ordered by bank id. */
export function readShards(dirs: string[]): FindingsFile[] {
  const byBank = new Map<string, { file: FindingsFile; dir: string }>();
  for (const dir of dirs) {
    const path = join(dir, 'findings.json');
    if (!existsSync(path)) throw new MergeError(`${dir}: no findings.json (not the output folder of a run)`);
    for (const f of readFindingsSet(path)) {
      const seen = byBank.get(f.bank.id);
      if (seen) throw new MergeError(`bank '${f.bank.id}' is in ${seen.dir} and in ${dir}: the shards overlap`);
      byBank.set(f.bank.id, { file: f, dir });
    }
  }
  return [...byBank.values()].map((v) => v.file).sort((a, b) => (a.bank.id < b.bank.id ? -1 : a.bank.id > b.bank.id ? 1 : 0));
}

/** Copies every shard's allure-results into `to` (file names are UUIDs; shared files like categories.json are the same in every shard). */
export function mergeAllureResults(dirs: string[], to: string): number {
  mkdirSync(to, { recursive: true });
  let n = 0;
  for (const dir of dirs) {
    const from = join(dir, 'allure-results');
    if (!existsSync(from)) continue;
    for (const name of readdirSync(from)) {
      const p = join(from, name);
      if (!statSync(p).isFile()) continue;
      copyFileSync(p, join(to, name));
      n++;
    }
  }
  return n;
}

/** Writes the merged findings (per bank and combined), junit.xml and summary.md into `out`. */
export function writeMerged(out: string, findings: FindingsFile[], redactor: Redactor): void {
  const [only, ...others] = findings;
  if (only && others.length === 0) writeFindings(join(out, 'findings.json'), only, redactor);
  else {
    for (const f of findings) writeFindings(join(out, f.bank.id, 'findings.json'), f, redactor);
    writeFindings(join(out, 'findings.json'), combineFindings(findings), redactor);
  }
  writeRedactedFile(join(out, 'junit.xml'), renderJunit(findings), redactor);
  writeRedactedFile(join(out, 'summary.md'), withAttentionFirst(renderSummaryMarkdown(findings), findings), redactor);
}
