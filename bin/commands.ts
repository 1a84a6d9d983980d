import { existsSync, readdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ParseArgsConfig } from 'node:util';
import { ConfigError } from '../config/types.js';
import { runConformance } from '../app/run/run.js';
import { join } from 'node:path';
import { diffRuns, renderRunDiffJson, renderRunDiffMarkdown, runHasRegressions } from '../reporters/diff.js';
import { readFindingsSet } from '../reporters/findings.js';
import { colorWanted } from '../reporters/console.js';
import { createRedactor, writeRedactedFile } from '../core/redact.js';
import { SEVERITIES, type Severity } from '../core/model.js';
import {
  COMPLETION_HELP,
  DIFF_HELP,
  DOCTOR_HELP,
  INIT_HELP,
  MERGE_HELP,
  PKI_HELP,
  REPLAY_HELP,
  RULES_HELP,
  RUN_HELP,
  SANDBOX_HELP,
  VALIDATE_HELP,
  VERIFY_BUNDLE_HELP,
} from './help.js';

export type Values = Record<string, string | string[] | boolean | undefined>;
export interface Command {
  /** The command's own option table (node:util parseArgs); --help is added to every one. */
  options: NonNullable<ParseArgsConfig['options']>;
  help: string;
  run(values: Values, positionals: string[]): Promise<number>;
}

const list = (v: Values[string]): string[] =>
  (Array.isArray(v) ? v : typeof v === 'string' ? [v] : [])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
const str = (v: Values[string]): string | undefined => (typeof v === 'string' ? v : undefined);
/** A string option as an absolute path (an empty string stays empty, an absent option absent). */
const resolvedStr = (v: Values[string]): string | undefined => {
  const s = str(v);
  return s && resolve(s);
};

const noPositionals = (command: string, positionals: string[]): void => {
  if (positionals.length > 0) throw new ConfigError(command, undefined, `unexpected argument '${positionals[0]}' (card-conformance ${command} --help)`);
};

/** --history DIR; --save-history needs it, and --no-report would leave nothing to record. */
const historyDir = (values: Values): string | undefined => {
  const dir = str(values.history);
  if (values['save-history'] === true && !dir) throw new ConfigError('run', '--save-history', 'needs --history DIR (the folder the history is kept in)');
  if (dir && values['no-report'] === true) throw new ConfigError('run', '--history', 'the history is recorded by the HTML report; leave out --no-report');
  if (dir && existsSync(dir) && !statSync(dir).isDirectory()) throw new ConfigError('run', '--history', `${dir} is not a folder`);
  return dir && resolve(dir);
};

/** --sign-key / --sign-cert belong to --certify, which needs the HTML report for its bundle. */
const certifyFile = (values: Values, name: 'sign-key' | 'sign-cert'): string | undefined => {
  const file = str(values[name]);
  if (file && values.certify !== true) throw new ConfigError('run', `--${name}`, 'signs the certification bundle; give --certify too');
  if (values.certify === true && values['no-report'] === true)
    throw new ConfigError('run', '--certify', 'the certification bundle holds the HTML report; leave out --no-report');
  return file && resolve(file);
};

/** --fail-on SEVERITY: one of the severities, most severe first. */
const failOn = (v: Values[string]): Severity | undefined => {
  const s = str(v);
  if (s === undefined) return undefined;
  if (!(SEVERITIES as readonly string[]).includes(s)) {
    throw new ConfigError('--fail-on', undefined, `unknown severity '${s}' (one of: ${SEVERITIES.join(', ')})`);
  }
  return s as Severity;
};

/** Options the built-in reference bank takes, in run and in sandbox. */
const REFERENCE_BANK_OPTIONS = {
  profile: { type: 'string' },
  defects: { type: 'string', multiple: true },
  variants: { type: 'string', multiple: true },
  faults: { type: 'string', multiple: true },
} as const satisfies Command['options'];

export const commands: Record<string, Command> = {
  run: {
    help: RUN_HELP,
    options: {
      ...REFERENCE_BANK_OPTIONS,
      bank: { type: 'string', multiple: true },
      spec: { type: 'string' },
      only: { type: 'string', multiple: true },
      rule: { type: 'string', multiple: true },
      'skip-rule': { type: 'string', multiple: true },
      'last-failed': { type: 'boolean' },
      'fail-on': { type: 'string' },
      json: { type: 'boolean' },
      out: { type: 'string' },
      baseline: { type: 'string' },
      'baseline-optional': { type: 'boolean' },
      'no-report': { type: 'boolean' },
      'no-color': { type: 'boolean' },
      har: { type: 'string' },
      waivers: { type: 'string' },
      certify: { type: 'boolean' },
      'sign-key': { type: 'string' },
      'sign-cert': { type: 'string' },
      shard: { type: 'string' },
      history: { type: 'string' },
      'save-history': { type: 'boolean' },
    },
    async run(values, positionals) {
      noPositionals('run', positionals);
      if (values['baseline-optional'] && !values.baseline) throw new ConfigError('--baseline-optional', undefined, 'needs --baseline FILE');
      // SIGINT/SIGTERM stop the run at any phase: what was judged is written (interrupted: true) and
      // the process exits 130/143 at once. A second signal, or a run that has not stopped within
      // 5 s, ends the process regardless.
      const controller = new AbortController();
      const codeOf = (sig: NodeJS.Signals): number => (sig === 'SIGTERM' ? 143 : 130);
      const onSignal = (sig: NodeJS.Signals): void => {
        if (controller.signal.aborted) process.exit(codeOf(sig));
        controller.abort(sig);
        setTimeout(() => process.exit(codeOf(sig)), 5_000).unref();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      // --json: stdout carries findings.json only; every line meant for a person goes to stderr.
      const json = values.json === true;
      const human = json ? process.stderr : process.stdout;
      const outcome = await runConformance({
        signal: controller.signal,
        bankFiles: list(values.bank).map((f) => resolve(f)),
        spec: resolvedStr(values.spec),
        profile: str(values.profile),
        only: list(values.only),
        rules: list(values.rule),
        skipRules: list(values['skip-rule']),
        lastFailed: values['last-failed'] === true,
        failOn: failOn(values['fail-on']),
        out: resolve(str(values.out) ?? 'out'),
        baseline: resolvedStr(values.baseline),
        baselineOptional: values['baseline-optional'] === true,
        report: values['no-report'] !== true,
        defects: list(values.defects),
        variants: list(values.variants),
        faults: list(values.faults),
        har: resolvedStr(values.har),
        waivers: resolvedStr(values.waivers),
        certify: values.certify === true,
        history: historyDir(values),
        signKey: certifyFile(values, 'sign-key'),
        signCert: certifyFile(values, 'sign-cert'),
        shard: str(values.shard),
        saveHistory: values['save-history'] === true,
        print: (line) => human.write(`${line}\n`),
        stdout: json ? (text) => process.stdout.write(text) : undefined,
        console: {
          target: human,
          color: colorWanted({ isTTY: human.isTTY, noColorFlag: values['no-color'] === true, env: process.env }),
          // Tests shorten the plain (non-terminal) progress interval to see a line.
          progressIntervalMs: Number(process.env.CARD_CONFORMANCE_PROGRESS_MS) || undefined,
        },
      }).finally(() => {
        if (!controller.signal.aborted) {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      });
      // Requests still under way and the vitest worker would hold the process: it ends now.
      if (outcome.interrupted) process.exit(outcome.exitCode);
      return outcome.exitCode;
    },
  },

  sandbox: {
    help: SANDBOX_HELP,
    options: {
      ...REFERENCE_BANK_OPTIONS,
      port: { type: 'string' },
      tls: { type: 'boolean' },
      trust: { type: 'string' },
      'no-verify': { type: 'boolean' },
    },
    async run(values, positionals) {
      noPositionals('sandbox', positionals);
      const { serveSandbox } = await import('./sandbox-command.js');
      return serveSandbox({
        profile: str(values.profile) ?? 'berlin-group',
        port: str(values.port),
        defects: list(values.defects),
        variants: list(values.variants),
        faults: list(values.faults),
        tls: values.tls === true,
        verify: values['no-verify'] !== true,
        trust: str(values.trust),
      });
    },
  },

  pki: {
    help: PKI_HELP,
    options: { out: { type: 'string' }, force: { type: 'boolean' } },
    async run(values, positionals) {
      noPositionals('pki', positionals);
      const out = str(values.out);
      if (!out) throw new ConfigError('pki', '--out', 'required: the folder to write the certificates to');
      const dir = resolve(out);
      if (existsSync(dir) && !statSync(dir).isDirectory()) throw new ConfigError('pki', '--out', `${dir} is a file, not a folder`);
      // Keys someone may be using are not replaced by accident.
      const existing = existsSync(dir) ? readdirSync(dir).filter((f) => /\.(key|pem)$/.test(f)) : [];
      if (existing.length > 0 && values.force !== true)
        throw new ConfigError(
          'pki',
          '--out',
          `${dir} already holds ${existing.slice(0, 3).join(', ')}${existing.length > 3 ? ', …' : ''}; --force replaces them`,
        );
      const { runPkiCommand } = await import('../transport/pki/write.js');
      await runPkiCommand(dir);
      return 0;
    },
  },

  doctor: {
    help: DOCTOR_HELP,
    options: { bank: { type: 'string', multiple: true } },
    async run(values, positionals) {
      noPositionals('doctor', positionals);
      const files = list(values.bank);
      if (files.length === 0) throw new ConfigError('doctor', '--bank', 'required: the bank file to check');
      const { runDoctor, renderDoctorReport } = await import('../app/doctor/index.js');
      let problems = 0;
      for (const [i, file] of files.entries()) {
        const report = await runDoctor({ file: resolve(file) });
        problems += report.problems;
        process.stdout.write(`${i > 0 ? '\n' : ''}${renderDoctorReport(report)}\n`);
      }
      // Every problem of a bank file is a configuration error: exit 2, like `run` on the first one.
      return problems > 0 ? 2 : 0;
    },
  },

  replay: {
    help: REPLAY_HELP,
    options: { out: { type: 'string' }, 'bank-id': { type: 'string' } },
    async run(values, positionals) {
      const [ruleId] = positionals;
      if (positionals.length !== 1 || ruleId === undefined)
        throw new ConfigError('replay', undefined, 'needs one RULE-ID (from findings.json or the report) (card-conformance replay --help)');
      const { replay } = await import('../app/run/replay.js');
      return replay({
        out: resolve(str(values.out) ?? 'out'),
        ruleId,
        bankId: str(values['bank-id']),
        print: (l) => process.stdout.write(`${l}\n`),
      });
    },
  },

  validate: {
    help: VALIDATE_HELP,
    options: { har: { type: 'string' }, profile: { type: 'string' }, spec: { type: 'string' }, out: { type: 'string' }, 'no-report': { type: 'boolean' } },
    async run(values, positionals) {
      noPositionals('validate', positionals);
      const har = str(values.har);
      if (!har) throw new ConfigError('validate', '--har', 'required: the recorded traffic (HAR 1.2) to judge');
      const { validateHar } = await import('../app/run/validate.js');
      const outcome = await validateHar({
        har: resolve(har),
        profile: str(values.profile),
        spec: resolvedStr(values.spec),
        out: resolve(str(values.out) ?? 'out'),
        report: values['no-report'] !== true,
      });
      return outcome.exitCode;
    },
  },

  merge: {
    help: MERGE_HELP,
    options: { out: { type: 'string' }, history: { type: 'string' }, 'save-history': { type: 'boolean' }, 'no-report': { type: 'boolean' } },
    async run(values, positionals) {
      const { runMerge } = await import('./merge-command.js');
      return runMerge(values, positionals);
    },
  },

  'verify-bundle': {
    help: VERIFY_BUNDLE_HELP,
    options: {},
    async run(_values, positionals) {
      const [bundle] = positionals;
      if (positionals.length !== 1 || bundle === undefined) throw new ConfigError('verify-bundle', undefined, 'needs one file: the certification-bundle.zip');
      const { verifyBundle, renderBundleCheck } = await import('../reporters/bundle/verify.js');
      const file = resolve(bundle);
      const check = verifyBundle(file);
      process.stdout.write(`${createRedactor([]).redactText(renderBundleCheck(file, check))}\n`);
      return check.intact && check.manifest?.eligibility.eligible ? 0 : 1;
    },
  },

  // Single-bank or combined findings on either side, banks matched by id; exit 1 on new failures only.
  diff: {
    help: DIFF_HELP,
    options: { out: { type: 'string' } },
    async run(values, positionals) {
      const [basePath, currentPath] = positionals;
      if (positionals.length !== 2 || basePath === undefined || currentPath === undefined)
        throw new ConfigError('diff', undefined, 'needs two files: BASE.json CURRENT.json (card-conformance diff --help)');
      const read = (p: string): ReturnType<typeof readFindingsSet> => {
        try {
          return readFindingsSet(resolve(p));
        } catch (e) {
          throw new ConfigError('diff', undefined, (e as Error).message);
        }
      };
      const base = read(basePath);
      const current = read(currentPath);
      const diff = diffRuns(base, current);
      // Findings files are redacted when written; a file from elsewhere still gets card numbers and keys masked.
      const redactor = createRedactor([]);
      const out = str(values.out);
      if (out) {
        writeRedactedFile(join(resolve(out), 'diff.md'), renderRunDiffMarkdown(diff), redactor);
        writeRedactedFile(join(resolve(out), 'diff.json'), renderRunDiffJson(diff), redactor);
      }
      process.stdout.write(redactor.redactText(renderRunDiffMarkdown(diff)));
      return runHasRegressions(diff) ? 1 : 0;
    },
  },

  rules: {
    help: RULES_HELP,
    options: { profile: { type: 'string' }, spec: { type: 'string' }, json: { type: 'boolean' } },
    async run(values, positionals) {
      noPositionals('rules', positionals);
      const { listRules, renderRulesTable } = await import('../app/run/rules-list.js');
      const rules = listRules({ profile: str(values.profile), spec: resolvedStr(values.spec) });
      const text = values.json === true ? `${JSON.stringify(rules.rules, null, 2)}\n` : `${renderRulesTable(rules)}\n`;
      // Nothing secret here, but everything that leaves the process passes the one redactor.
      const redactor = createRedactor([]);
      process.stdout.write(values.json === true ? redactor.redactJsonText(text) : redactor.redactText(text));
      return 0;
    },
  },

  init: {
    help: INIT_HELP,
    options: { profile: { type: 'string' }, out: { type: 'string' }, force: { type: 'boolean' } },
    async run(values, positionals) {
      noPositionals('init', positionals);
      const { writeBankFileTemplate } = await import('./init-command.js');
      const file = writeBankFileTemplate({ profile: str(values.profile), out: str(values.out), force: values.force === true });
      process.stdout.write(`wrote ${file}\nNext: fill in baseUrl and the \${VARIABLES} it names, then card-conformance doctor --bank ${file}\n`);
      return 0;
    },
  },

  completion: {
    help: COMPLETION_HELP,
    options: {},
    async run(_values, positionals) {
      const shell = positionals[0];
      if (positionals.length !== 1 || (shell !== 'bash' && shell !== 'zsh')) {
        throw new ConfigError('completion', undefined, 'needs one shell: bash or zsh (card-conformance completion --help)');
      }
      const { completionScript } = await import('./completion.js');
      process.stdout.write(completionScript(shell));
      return 0;
    },
  },
};
