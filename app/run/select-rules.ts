// Which rules a run judges: `--only` (categories), `--rule GLOB` / `--skip-rule GLOB` (rule ids)
// and `--last-failed` (the rules that failed or could not be judged in the previous findings of
// `--out`). Only the catalogue is narrowed: the collector then sends just the requests the remaining
// rules judge (their probes), so a selection also saves a portal's counted calls.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../config/types.js';
import { CATEGORIES, type Category, type FindingsFile, type Rule } from '../../core/model.js';
import { readConfigFile } from '../../core/fs/read-bounded.js';
import { readFindingsSet } from '../../reporters/findings.js';
import { globToRegExp } from '../../reporters/waivers.js';

export interface RuleSelection {
  only?: string[];
  /** --rule GLOB: keep the rules whose id matches one of them (`*` any run of characters, `?` one). */
  rules?: string[];
  /** --skip-rule GLOB: drop the rules whose id matches one of them. */
  skipRules?: string[];
  /** --last-failed: the rule ids that failed or were broken, per bank id, in the previous findings. */
  lastFailed?: Map<string, Set<string>>;
}

/** One bank's catalogue as the selection sees it. */
export interface SelectableBank {
  id: string;
  rules: Rule[];
}

const splitList = (values: string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter(Boolean);

/** --only's categories, checked against the known ones (exit 2 on an unknown one). */
export function parseOnly(only: string[] | undefined): Category[] | undefined {
  const list = splitList(only);
  if (list.length === 0) return undefined;
  for (const c of list) {
    if (!(CATEGORIES as readonly string[]).includes(c)) throw new ConfigError('--only', undefined, `unknown category '${c}' (known: ${CATEGORIES.join(', ')})`);
  }
  return list as Category[];
}

/** A glob on rule ids: non-empty, and without characters no rule id has (a line break would hide in a log). */
function parseGlobs(flag: string, globs: string[] | undefined): Array<{ glob: string; re: RegExp }> {
  return (globs ?? [])
    .map((g) => g.trim())
    .map((glob) => {
      if (glob === '') throw new ConfigError(flag, undefined, 'needs a rule id or a glob (e.g. "*maskedPan:*")');
      if (/[\s]/.test(glob)) throw new ConfigError(flag, undefined, `'${glob}': rule ids have no spaces`);
      return { glob, re: globToRegExp(glob) };
    });
}

/**
 * Narrows every bank's rules in place and returns notices for the console. Every glob must match
 * at least one rule of some bank's full catalogue (a typo is a usage error, exit 2, before anything
 * is sent), and the selection must leave some rule to judge.
 */
export function selectRules(banks: SelectableBank[], sel: RuleSelection): string[] {
  const notices: string[] = [];
  const only = parseOnly(sel.only);
  const keep = parseGlobs('--rule', sel.rules);
  const skip = parseGlobs('--skip-rule', sel.skipRules);
  const allIds = banks.flatMap((b) => b.rules.map((r) => r.id));
  for (const [flag, globs] of [
    ['--rule', keep],
    ['--skip-rule', skip],
  ] as const) {
    for (const { glob, re } of globs) {
      if (!allIds.some((id) => re.test(id))) {
        throw new ConfigError(flag, undefined, `'${glob}' matches no rule (card-conformance rules lists them; '*' matches any characters, '?' one)`);
      }
    }
  }
  const before = banks.reduce((n, b) => n + b.rules.length, 0);
  for (const b of banks) {
    const failed = sel.lastFailed?.get(b.id);
    b.rules = b.rules.filter(
      (r) =>
        (!only || only.includes(r.category)) &&
        (keep.length === 0 || keep.some(({ re }) => re.test(r.id))) &&
        !skip.some(({ re }) => re.test(r.id)) &&
        (!failed || failed.has(r.id)),
    );
    if (failed) notices.push(`--last-failed: ${b.id}: ${b.rules.length} of the ${failed.size} rules that failed or could not be judged last time`);
  }
  const after = banks.reduce((n, b) => n + b.rules.length, 0);
  if (after === 0) {
    const flags = [only && '--only', keep.length > 0 && '--rule', skip.length > 0 && '--skip-rule', sel.lastFailed && '--last-failed']
      .filter(Boolean)
      .join(', ');
    throw new ConfigError(flags || 'run', undefined, 'the selection leaves no rule to judge');
  }
  if (keep.length > 0 || skip.length > 0) notices.push(`${after} of ${before} rules selected (--rule/--skip-rule); only the requests they judge are sent`);
  for (const b of banks) {
    if (b.rules.length === 0) notices.push(`${b.id}: no rule of this bank is selected; only the consent and the card-account list are asked`);
  }
  return notices;
}

/**
 * --last-failed: the previous findings.json of `out` (per-bank or combined), read before anything
 * is sent. No previous findings: every rule runs, and a notice says so (like pytest's --lf). A bank
 * the previous findings do not name, or for which nothing failed, also runs every rule.
 */
export function readLastFailed(out: string, bankIds: string[], notices: string[]): Map<string, Set<string>> | undefined {
  const file = join(out, 'findings.json');
  if (!existsSync(file)) {
    notices.push(`--last-failed: no previous findings at ${file}; every rule runs`);
    return undefined;
  }
  const text = readConfigFile(file, { source: '--last-failed', field: undefined, maxBytes: 512 * 1024 * 1024 });
  let previous: FindingsFile[];
  try {
    previous = readFindingsSet(file, text);
  } catch (e) {
    throw new ConfigError('--last-failed', undefined, (e as Error).message);
  }
  const byBank = new Map<string, Set<string>>();
  for (const id of bankIds) {
    const f = previous.find((p) => p.bank.id === id);
    const failed = new Set((f?.results ?? []).filter((r) => r.status === 'failed' || r.status === 'broken').map((r) => r.ruleId));
    if (!f) notices.push(`--last-failed: ${id} is not in ${file}; every rule runs for it`);
    else if (failed.size === 0) notices.push(`--last-failed: nothing failed for ${id} last time; every rule runs for it`);
    else byBank.set(id, failed);
  }
  return byBank;
}
