// `card-conformance merge SHARD-DIR… --out DIR`: one report from the output folders of shard runs.
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError } from '../config/types.js';
import { createRedactor, sweepRedact } from '../core/redact.js';
import { allure3Categories } from '../reporters/allure-categories.js';
import { openHistory } from '../reporters/allure-history.js';
import { generateAllureReport } from '../reporters/allure-report.js';
import { MergeError, mergeAllureResults, readShards, writeMerged } from '../reporters/merge.js';
import { renderConsoleMatrix } from '../reporters/summary.js';
import { hasUnwaivedMandatoryFailure } from '../reporters/waivers.js';
import type { Values } from './commands.js';

export async function runMerge(values: Values, positionals: string[]): Promise<number> {
  const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);
  const outArg = str(values.out);
  if (positionals.length === 0) throw new ConfigError('merge', undefined, 'needs the output folders of the shard runs: merge DIR... --out DIR');
  if (!outArg) throw new ConfigError('merge', '--out', 'required: the folder the merged report goes to');
  if (values['save-history'] === true && !str(values.history)) throw new ConfigError('merge', '--save-history', 'needs --history DIR');
  const dirs = positionals.map((p) => resolve(p));
  for (const d of dirs) if (!existsSync(d)) throw new ConfigError('merge', undefined, `${d}: no such folder`);
  const out = resolve(outArg);
  if (dirs.includes(out)) throw new ConfigError('merge', '--out', 'must not be one of the shard folders');
  let findings;
  try {
    findings = readShards(dirs);
  } catch (e) {
    // An overlap of shards, or a folder without a readable findings.json: a usage error (exit 2).
    if (e instanceof MergeError || e instanceof Error) throw new ConfigError('merge', undefined, e.message);
    throw e;
  }
  // The shards' outputs are redacted already; this still masks card numbers and keys in anything that slipped.
  const redactor = createRedactor([]);
  mkdirSync(out, { recursive: true });
  writeMerged(out, findings, redactor);
  const resultsDir = join(out, 'allure-results');
  const copied = mergeAllureResults(dirs, resultsDir);
  const say = (line: string): void => {
    process.stdout.write(`${redactor.redactText(line)}\n`);
  };
  say(`merged ${dirs.length} shard${dirs.length === 1 ? '' : 's'}: ${findings.length} bank${findings.length === 1 ? '' : 's'}, ${copied} Allure result files`);
  say('');
  say(renderConsoleMatrix(findings));
  if (values['no-report'] !== true && copied > 0) {
    const historyArg = str(values.history);
    const historyDir = historyArg ? resolve(historyArg) : undefined;
    const history = historyDir ? openHistory(historyDir) : undefined;
    try {
      const report = await generateAllureReport({
        resultsDir,
        reportDir: join(out, 'allure-report'),
        name: `PSD2 card-account conformance: ${findings.map((f) => f.bank.id).join(', ')}`,
        categories: allure3Categories(),
        historyPath: history?.path,
      });
      say(report.ok ? `  report: ${join(out, 'allure-report', 'index.html')}` : `  the HTML report could not be generated: ${report.message}`);
      if (report.ok && history && values['save-history'] === true) {
        history.save(redactor);
        say(`  history: appended to ${historyDir}`);
      }
    } finally {
      history?.dispose();
    }
  }
  for (const file of sweepRedact(out, redactor)) process.stderr.write(`redacted again (a writer missed a secret): ${file}\n`);
  return hasUnwaivedMandatoryFailure(findings) ? 1 : 0;
}
