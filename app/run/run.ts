import { join } from 'node:path';
import type { BankConfig } from '../../config/types.js';
import { ConfigError } from '../../config/types.js';
import { defaultBankConfig, loadBankFile } from '../../config/load.js';
import { collectExchanges, type ExchangeLog } from '../../collect/collect.js';
import { checkRequestHeaders } from '../../collect/request-headers.js';
import { createHttpClient } from '../../transport/http/client.js';
import { generateTestPki, type TestPki } from '../../transport/pki/generate.js';
import { signingFor, type RunSigning } from './signing.js';
import { tlsOptionsFromConfig } from '../../transport/http/tls-options.js';
import { severityRank, type FindingsFile, type RuleResult, type Severity, type UntestableBank } from '../../core/model.js';
import { loadProfile, profileNames, type Profile } from '../../config/profile.js';
import { TOOL } from '../../core/paths.js';
import {
  createRedactor,
  headerSecrets,
  redactingStream,
  signatureValue,
  sweepRedact,
  writeRedactedFile,
  type Redactor,
  type Secret,
} from '../../core/redact.js';
import { assertLocalConfig, localChecks } from '../doctor/local.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { buildCatalogue, type Catalogue } from '../../rules/catalogue/generate.js';
import { metaOf } from '../../rules/judge.js';
import { normalisePath } from '../../rules/operations.js';
import { loadProfileSpec } from '../../schemas/load-profile-spec.js';
import { generateAllureReport } from '../../reporters/allure-report.js';
import { buildFindingsFile, readFindingsSet } from '../../reporters/findings.js';
import { diffRuns } from '../../reporters/diff.js';
import type { RuleDurations } from '../../reporters/junit.js';
import { DEFAULT_REPORTERS, writeReports } from '../../reporters/index.js';
import { runSuites } from './vitest.js';
import { parseOnly, readLastFailed, selectRules } from './select-rules.js';
import type { BankRun } from './run-file.js';
import { createStaging } from './staging.js';
import { writeRunHars } from './har.js';
import { consoleColors, type Colors } from '../../reporters/console.js';
import { createProgress, type Progress, type ProgressTarget } from './progress.js';
import { REPLAY_FILE, replayBank, type ReplayFile } from './replay-record.js';
import { assertBuiltInBankPlays, startBuiltInBank, withBuiltInTimeout, type BuiltInBank } from './built-in-bank.js';
// issue 12 (nightly, certification, regression): waivers
import { loadWaiversFile, type WaiversFile } from '../../config/waivers-file.js';
import { readConfigFile } from '../../core/fs/read-bounded.js';
import { allure3Categories, writeAllureCategories } from '../../reporters/allure-categories.js';
import { openHistory } from '../../reporters/allure-history.js';
import { writeCertificationBundle, readSigningMaterial, type SigningMaterial } from './certify.js';
import { parseShard, selectShard } from './shard.js';
import { applyWaivers, hasUnwaivedMandatoryFailure, markWaivedInAllure, waiversOnMandatoryRules, type WaiverReport } from '../../reporters/waivers.js';

export interface RunOptions {
  bankFiles: string[];
  spec?: string;
  profile?: string;
  only?: string[];
  /** --rule GLOB: judge only the rules whose id matches (app/run/select-rules.ts). */
  rules?: string[];
  /** --skip-rule GLOB: leave out the rules whose id matches. */
  skipRules?: string[];
  /** --last-failed: judge only what failed or was broken in the previous findings of `out`. */
  lastFailed?: boolean;
  /** --fail-on: exit 1 only for a failed (or unjudged) mandatory rule of at least this severity. */
  failOn?: Severity;
  out: string;
  baseline?: string;
  /** A missing --baseline file is a notice, not an error (a nightly job's first night). */
  baselineOptional?: boolean;
  report: boolean;
  /** Deviations the built-in reference bank injects (its --defects). */
  defects?: string[];
  /** Negative-control variants the built-in reference bank serves (its --variants). */
  variants?: string[];
  /** Transport faults the built-in reference bank injects (its --faults: `id` or `id@operationId`). */
  faults?: string[];
  env?: NodeJS.ProcessEnv;
  /** Where console lines go (already redacted when they arrive); default stdout. */
  print?: (line: string) => void;
  /** --json: findings.json (combined when several banks), redacted, goes here; console lines then belong on stderr. */
  stdout?: (text: string) => void;
  /** Where vitest's and the worker's own output goes (redacted on the way); default stderr. */
  log?: { write(chunk: string): unknown };
  /** Aborted with 'SIGINT' or 'SIGTERM' as the reason: the run stops and keeps what was judged. */
  signal?: AbortSignal;
  // issue 12
  /** A waivers file (YAML, banks/waivers.schema.json). */
  waivers?: string;
  /** A certification run: no waiver may cover a mandatory rule (exit 2). */
  certify?: boolean;
  /** Today's date (YYYY-MM-DD, UTC) for waiver expiry; default the clock's. */
  today?: string;
  /** Folder of the Allure history (history.jsonl): read for trend and new/fixed/flaky markers. */
  history?: string;
  /** Append this run to the history in `history` (only then is the folder written). */
  saveHistory?: boolean;
  /** --certify: the RSA key (PEM) that signs the bundle's manifest, and its certificate (e.g. the QSealC). */
  signKey?: string;
  signCert?: string;
  /** --shard i/n: run only this shard's share of the bank files (app/run/shard.ts). */
  shard?: string;
  /** Record the traffic as HAR 1.2 (redacted) to this file (`--har`; app/run/har.ts). */
  har?: string;
  /**
   * The console `print` writes to, for progress (a live line on a terminal, a plain line every
   * `progressIntervalMs` otherwise) and colour (only when `color`). Without it: no progress, no colour.
   */
  console?: { target: ProgressTarget; color: boolean; progressIntervalMs?: number };
}

export interface RunOutcome {
  exitCode: 0 | 1 | 2 | 3 | 130 | 143;
  findings: FindingsFile[];
  /** Why the run could not be completed, per bank (exit 3). */
  incomplete: string[];
  /** The run was stopped by a signal; findings hold what was judged until then. */
  interrupted?: boolean;
}

interface BankBase {
  /** Read before anything is sent, so an unreadable certificate is a configuration error. */
  tls?: ReturnType<typeof tlsOptionsFromConfig>;
  /** What requests are signed with, if anything. */
  signing?: RunSigning;
  profile: Profile;
  catalogue: Catalogue;
}
/** A bank file's bank, or the embedded reference bank: its config is made when it starts. */
type PreparedBank = BankBase & ({ builtIn: false; config: BankConfig } | { builtIn: true; config?: undefined });
/** A bank the run talks to: its config is known. */
type RunBank = BankBase & { builtIn: boolean; config: BankConfig };

/** Resolves when `signal` aborts (never when there is none). */
function whenAborted(signal: AbortSignal | undefined): Promise<'aborted'> {
  return new Promise((resolve) => {
    if (!signal) return;
    if (signal.aborted) resolve('aborted');
    else signal.addEventListener('abort', () => resolve('aborted'), { once: true });
  });
}

/**
 * `card-conformance run`: reads and checks every input before anything is sent (a problem
 * is a ConfigError, exit 2), talks to each bank, judges every rule in the vitest suites,
 * and writes findings.json, junit.xml, summary.md and the Allure results and report.
 * Every byte it writes or prints goes through the redactor of the run's secrets (core/redact.ts);
 * the outputs are written beside the output folder and moved in at the end (app/run/staging.ts).
 */
export async function runConformance(opts: RunOptions): Promise<RunOutcome> {
  parseOnly(opts.only);
  const notices: string[] = [];
  checkOutFolder(opts.out);
  if (opts.bankFiles.length > 0) {
    for (const [flag, ids] of [
      ['--defects', opts.defects],
      ['--variants', opts.variants],
      ['--faults', opts.faults],
    ] as const) {
      if (ids && ids.length > 0) throw new ConfigError(flag, undefined, 'applies to the embedded reference bank only; leave out --bank');
    }
  }
  const waiversFile = opts.waivers ? loadWaiversFile(opts.waivers) : undefined;
  const baseline = readBaseline(opts, notices);
  const signing: SigningMaterial | undefined = opts.certify ? readSigningMaterial(opts.signKey, opts.signCert) : undefined;
  const prepared = shardOf(opts, prepare(opts, notices));
  // --only, --rule, --skip-rule, --last-failed narrow the catalogues; the collector then asks only what they judge.
  const selectable = prepared.map((p) => ({
    id: p.config?.id ?? 'reference-bank',
    get rules() {
      return p.catalogue.rules;
    },
    set rules(r) {
      p.catalogue.rules = r;
    },
  }));
  const lastFailed = opts.lastFailed
    ? readLastFailed(
        opts.out,
        selectable.map((b) => b.id),
        notices,
      )
    : undefined;
  notices.push(...selectRules(selectable, { only: opts.only, rules: opts.rules, skipRules: opts.skipRules, lastFailed }));
  const waivers = waiversFile && checkRunWaivers(waiversFile, opts, prepared);
  // Secrets grow as the run learns them (a consent id the bank returns, the Signature values sent).
  const secrets: Secret[] = [];
  let redactor = createRedactor([]);
  const addSecrets = (more: Secret[]): void => {
    secrets.push(...more);
    redactor = createRedactor(secrets);
  };
  for (const p of prepared) if (p.config) addSecrets(configSecrets(p));
  const rawPrint = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const colors = consoleColors(opts.console?.color === true);
  // The live progress line is removed before any other line is printed, and redacted like them.
  const progress: Progress | undefined =
    opts.console && createProgress({ target: opts.console.target, redact: (t) => redactor.redactText(t), intervalMs: opts.console.progressIntervalMs });
  const print = (line: string): void => {
    progress?.clear();
    rawPrint(redactor.redactText(line));
  };
  const logTarget = opts.log ?? process.stderr;
  const startedAt = new Date().toISOString();
  const aborted = whenAborted(opts.signal);
  const interruptCode = (): 130 | 143 => (opts.signal?.reason === 'SIGTERM' ? 143 : 130);
  let builtIn: BuiltInBank | undefined;
  const banks: RunBank[] = [];
  const staging = createStaging(opts.out);
  let committed = false;
  try {
    for (const p of prepared) {
      if (p.builtIn) {
        builtIn = await startBuiltInBank({
          profile: p.profile.name,
          defects: opts.defects ?? [],
          variants: opts.variants ?? [],
          faults: opts.faults,
          pki: p.signing?.pki,
          revokedCode: revokedSpelling(p.catalogue),
        });
        // The reference bank serves /v1/…; a spec whose paths carry no version (1.3.6 style) gets it in the base URL, as a user's bank file would.
        const versionless = normalisePath(p.catalogue.operations.find((o) => o.role === 'listCardAccounts')?.path ?? '').prefix === '';
        const config = withBuiltInTimeout(defaultBankConfig(`${builtIn.baseUrl}${versionless ? '/v1' : ''}`, p.profile.name), opts.env ?? process.env);
        // An API without consent endpoints: use the consent the built-in bank holds as authorised (a secret like any consent id).
        const consentId = builtIn.preAuthorisedConsentId;
        if (p.profile.consentPolicy.preAuthorisedOnly && consentId) {
          config.consent = { id: consentId, create: false };
          config.secrets = [...config.secrets, consentId];
        }
        const bank = { ...p, config };
        addSecrets(configSecrets(bank));
        banks.push(bank);
      } else banks.push(p);
    }
    // oxlint-disable-next-line typescript/no-non-null-assertion -- prepare() gives a bank per file, or the reference bank: never none
    const first = banks[0]!.catalogue;
    print(`${TOOL.name} ${TOOL.version}: ${first.spec.title} ${first.spec.version}, ${banks.length} bank${banks.length > 1 ? 's' : ''}`);
    for (const n of notices) print(`  notice: ${n}`);
    for (const w of new Set(banks.flatMap((b) => b.catalogue.warnings))) print(`  warning: ${w}`);
    const collected = Promise.all(
      banks.map(async (b): Promise<{ b: RunBank; log: ExchangeLog }> => {
        const t0 = Date.now();
        const http = createHttpClient({ limits: b.config.limits, tls: b.tls, signer: b.signing?.signer });
        // Queued when the collector asks, "sent" when the answer (or the failure) is in.
        const send: typeof http.send = (r, o) => {
          progress?.queued(b.config.id);
          return http.send(r, o).finally(() => progress?.sent(b.config.id));
        };
        const client: typeof http = { send, close: () => http.close() };
        progress?.phase(b.config.id, 'collecting');
        try {
          const log = await collectExchanges({ catalogue: b.catalogue, bank: b.config, client, signing: b.signing });
          addSecrets(logSecrets(log));
          progress?.phase(b.config.id, log.fatal ? 'reporting' : 'judging');
          print(
            `  ${b.config.id} (${b.profile.name}) at ${b.config.baseUrl}: ${log.exchanges.length} requests in ${((Date.now() - t0) / 1000).toFixed(1)} s${log.fatal ? `: ${log.fatal}` : ''}`,
          );
          for (const note of [...(log.sampling ?? []), ...(log.notices ?? [])]) print(`    note: ${note}`);
          return { b, log };
        } finally {
          // An interrupted run does not wait for the bank: the process is about to exit.
          if (!opts.signal?.aborted) await client.close();
          else void client.close();
        }
      }),
    );
    const logs = await Promise.race([collected, aborted]); // in the banks' order
    // --har: the traffic, redacted, for `validate --har` later.
    if (opts.har && logs !== 'aborted')
      for (const f of writeRunHars(
        opts.har,
        logs.map(({ b, log }) => ({ bank: { id: b.config.id, profile: b.profile.name, baseUrl: b.config.baseUrl }, log })),
        redactor,
      ))
        print(`  traffic recorded: ${f}`);

    // Every line and file these reach is written through the redactor.
    const untestable: UntestableBank[] = logs === 'aborted' ? [] : logs.flatMap(({ b, log }) => (log.fatal ? [{ id: b.config.id, reason: log.fatal }] : []));
    const incomplete = untestable.map((u) => `${u.id}: ${u.reason}`);
    const judged: { b: RunBank; log: ExchangeLog | undefined }[] =
      logs === 'aborted' ? banks.map((b) => ({ b, log: undefined })) : logs.filter(({ log }) => !log.fatal);
    const resultsDir = join(staging.dir, 'allure-results');
    let records = new Map<string, Map<string, RuleResult>>();
    const durations = new Map<string, number>();
    const bankRuns: BankRun[] = judged.flatMap(({ b, log }) =>
      log
        ? [
            {
              id: b.config.id,
              name: b.config.name,
              profile: b.profile.name,
              baseUrl: b.config.baseUrl,
              secrets: [...configSecrets(b), ...logSecrets(log)],
              catalogue: { spec: b.catalogue.spec, profile: b.catalogue.profile, defs: b.catalogue.defs, rules: b.catalogue.rules },
              log,
            },
          ]
        : [],
    );
    if (bankRuns.length > 0 && !opts.signal?.aborted) {
      records = await runSuites({
        run: { banks: bankRuns },
        resultsDir,
        environment: environmentInfo(banks),
        signal: opts.signal,
        durations,
        stdout: redactingStream(logTarget, () => redactor),
        stderr: redactingStream(logTarget, () => redactor),
        onFirstResult: () =>
          print(`  judging ${bankRuns.reduce((n, b) => n + b.catalogue.rules.length, 0)} rules (Ctrl-C stops the run and keeps what was judged)`),
      });
    }
    const interrupted = opts.signal?.aborted === true;
    const finishedAt = new Date().toISOString();
    const findings = judged.map(({ b, log }) =>
      buildFindingsFile({
        tool: { name: TOOL.name, version: TOOL.version },
        spec: { title: b.catalogue.spec.title, version: b.catalogue.spec.version },
        bank: { id: b.config.id, profile: b.profile.name, baseUrl: b.config.baseUrl },
        startedAt,
        finishedAt,
        redactor,
        interrupted,
        notes: log ? [...(log.sampling ?? []), ...(log.notices ?? [])] : [],
        // Interrupted: only the rules judged so far (the rest were not run, which findings.json says).
        results: b.catalogue.rules.flatMap((r) => {
          const judgedResult = records.get(b.config.id)?.get(r.id);
          if (judgedResult) return [judgedResult];
          if (interrupted) return [];
          return [
            {
              rule: metaOf(r),
              status: 'broken' as const,
              message: 'the test for this rule did not report a result',
              severity: r.severity,
              checked: 0,
              violations: [],
              evidence: [],
            },
          ];
        }),
      }),
    );
    const waiverReport = waivers && applyWaivers(findings, waivers.source, waivers.waivers, opts.today ?? new Date().toISOString().slice(0, 10));
    if (waiverReport) markWaivedInAllure(resultsDir, findings, redactor);
    if (bankRuns.length > 0) writeAllureCategories(resultsDir, redactor);
    for (const b of banks) progress?.phase(b.config.id, 'reporting');
    progress?.stop();
    writeOutputs(staging.dir, findings, print, redactor, untestable, colors, durations, waiverReport, baseline, opts.stdout);
    // What `card-conformance replay` needs (bank files only: the embedded bank is gone after the run).
    const replayBanks = judged.flatMap(({ b, log }) =>
      log && !b.builtIn
        ? [
            replayBank({
              id: b.config.id,
              bankFile: b.config.source,
              profile: b.profile.name,
              spec: opts.spec,
              exchanges: log.exchanges,
              consentId: log.consentId,
              results: records.get(b.config.id)?.values() ?? [],
            }),
          ]
        : [],
    );
    if (replayBanks.length > 0)
      writeRedactedFile(
        join(staging.dir, REPLAY_FILE),
        `${JSON.stringify({ tool: `${TOOL.name} ${TOOL.version}`, banks: replayBanks } satisfies ReplayFile, null, 2)}\n`,
        redactor,
      );
    // The report opens with the verdict the exit code gives, and the count of critical findings.
    const verdict = runVerdict(findings, incomplete, waiverReport, opts.failOn);
    const critical = findings.reduce(
      (n, f) => n + f.results.filter((r) => r.status === 'failed' && !r.waived && (r.severity === 'critical' || r.severity === 'blocker')).length,
      0,
    );
    if (existsSync(resultsDir))
      writeRedactedFile(
        join(resultsDir, 'environment.properties'),
        propertiesText({ verdict, 'critical findings': String(critical), ...environmentInfo(banks) }),
        redactor,
      );
    if (opts.report && findings.length > 0 && !interrupted) {
      // Categories, and the history from --history (a private copy; saved back only with --save-history).
      const history = opts.history ? openHistory(opts.history) : undefined;
      try {
        const report = await generateAllureReport({
          resultsDir,
          reportDir: join(staging.dir, 'allure-report'),
          name: `${verdict}${critical > 0 ? ` (${critical} critical)` : ''}: PSD2 card-account conformance of ${findings.map((f) => f.bank.id).join(', ')}`,
          signal: opts.signal,
          categories: allure3Categories(),
          historyPath: history?.path,
        });
        print(report.ok ? `  report: ${join(opts.out, 'allure-report', 'index.html')}` : `  the HTML report could not be generated: ${report.message}`);
        if (report.ok && history && opts.saveHistory) {
          history.save(redactor);
          print(`  history: this run appended to ${opts.history}`);
        }
      } finally {
        history?.dispose();
      }
    }
    // Belt and braces: every file written is searched once more; a hit is a writer that missed.
    for (const file of sweepRedact(staging.dir, redactor))
      logTarget.write(`redacted again (a writer missed a secret): ${file.slice(staging.dir.length + 1)}\n`);
    // issue 12: the certification bundle, from the finished (redacted) outputs.
    if (signing) {
      const bundle = writeCertificationBundle({
        dir: staging.dir,
        findings,
        untestable,
        interrupted,
        startedAt,
        finishedAt,
        signing,
        redactor,
        banks: judged.map(({ b, log }) => ({
          config: b.config,
          builtIn: b.builtIn,
          profile: b.profile.name,
          catalogue: b.catalogue,
          exchanges: log?.exchanges ?? [],
        })),
      });
      print(
        `  certification bundle: ${join(opts.out, 'certification-bundle.zip')} (${bundle.signature}): ${bundle.eligibility.eligible ? 'ELIGIBLE' : `NOT ELIGIBLE: ${bundle.eligibility.reasons.join('; ')}`}`,
      );
    }
    staging.commit();
    committed = true;
    for (const line of incomplete) print(`run incomplete: ${line}`);
    if (interrupted || opts.signal?.aborted) {
      print(
        `run interrupted (${String(opts.signal?.reason)}): ${findings.reduce((n, f) => n + f.results.length, 0)} rule results judged so far are in ${opts.out}`,
      );
      return { exitCode: interruptCode(), findings, incomplete, interrupted: true };
    }
    if (opts.failOn) {
      const below = belowFailOn(findings, opts.failOn);
      const rules = below === 1 ? 'rule' : 'rules';
      if (below > 0) print(`--fail-on ${opts.failOn}: ${below} failed mandatory ${rules} below ${opts.failOn} ${below === 1 ? 'does' : 'do'} not fail the run`);
    }
    return { exitCode: exitCodeOf(findings, incomplete, waiverReport, opts.failOn), findings, incomplete };
  } catch (e) {
    // An unexpected error may quote a URL or an answer: its message leaves redacted like everything else.
    if (e instanceof ConfigError || !(e instanceof Error)) throw e;
    const safe = new Error(redactor.redactText(e.message));
    safe.stack = redactor.redactText(e.stack ?? '');
    throw safe;
  } finally {
    progress?.stop();
    if (!committed) staging.discard();
    if (opts.signal?.aborted) void builtIn?.close();
    else await builtIn?.close();
  }
}

/** --out must be a folder (or not exist yet): a file there would only fail after every request was sent. */
function checkOutFolder(out: string): void {
  let st;
  try {
    st = statSync(out);
  } catch {
    return;
  }
  if (!st.isDirectory()) throw new ConfigError('--out', undefined, `${out} is a file, not a folder`);
}

/** The baseline is read before anything is sent: a missing or unreadable file is exit 2 (or a notice with --baseline-optional). */
function readBaseline(opts: RunOptions, notices: string[]): FindingsFile[] | undefined {
  if (!opts.baseline) return undefined;
  if (opts.baselineOptional && !existsSync(opts.baseline)) {
    notices.push(`no baseline at ${opts.baseline} yet (--baseline-optional): this run is not compared`);
    return undefined;
  }
  return readBaselineFile(opts.baseline);
}

/**
 * The full local certificate checks the doctor makes, where they apply to every bank: a signing
 * certificate must be a PSD2 QSealC with the PSP_AI role whose key usage lets it sign (a root CA
 * fails here), in date and matching its key. The chain is left to the doctor (a bank file need not carry its CA).
 */
function assertRunnableCertificates(config: BankConfig): BankConfig {
  assertLocalConfig(config);
  const problem = localChecks(config, { full: true }).find((l) => l.status === 'fail' && !/chain/.test(l.check));
  if (problem) {
    const detail =
      problem.field && problem.message.startsWith(problem.field) ? problem.message.slice(problem.field.length).replace(/^:?\s*/, '') : problem.message;
    throw new ConfigError(config.source, problem.field, `${detail} (card-conformance doctor --bank FILE checks the whole file)`);
  }
  return config;
}

function prepare(opts: RunOptions, notices: string[]): PreparedBank[] {
  const env = opts.env ?? process.env;
  // One test PKI per run, generated only when some bank signs with it (no certificate file can expire).
  let pki: TestPki | undefined;
  const runPki = (): TestPki => (pki ??= generateTestPki());
  const configs: (BankConfig | undefined)[] =
    opts.bankFiles.length > 0
      ? // The doctor's local checks (certificates parse, keys match, not expired): exit 2 before anything is sent.
        opts.bankFiles.map((f) => assertRunnableCertificates(loadBankFile(f, env, { profiles: profileNames() })))
      : [undefined];
  const ids = new Set<string>();
  return configs.map((config) => {
    if (config && ids.has(config.id)) throw new ConfigError(config.source, 'id', `'${config.id}' is used by two bank files; each bank needs its own id`);
    if (config) ids.add(config.id);
    // A bank file names its profile; --profile, when given, wins, and says so where they differ.
    if (config && opts.profile && config.profile && config.profile !== opts.profile) {
      notices.push(`${config.source}: --profile ${opts.profile} is used, not the file's profile '${config.profile}'`);
    }
    // An unknown name is named where it came from: the flag, or the bank file's field.
    const fromFile = !opts.profile && config !== undefined;
    const profile = loadProfile(opts.profile ?? config?.profile ?? 'berlin-group', fromFile ? config.source : '--profile', fromFile ? 'profile' : undefined);
    if (!config) assertBuiltInBankPlays(profile.name); // the built-in bank needs the profile's reference-bank data: exit 2 before anything starts
    if (config) checkRequestHeaders(config, profile); // a header the profile requires and the bank file cannot supply: exit 2
    const spec = loadProfileSpec(profile, opts.spec);
    const catalogue = buildCatalogue(spec, profile, config ? { limits: { negativeRequests: config.limits.negativeRequests } } : {});
    const base: BankBase = {
      tls: config && tlsOptionsFromConfig(config.tls, config.source),
      signing: signingFor(config, profile, runPki),
      profile,
      catalogue,
    };
    return config ? { ...base, config, builtIn: false } : { ...base, builtIn: true };
  });
}

/** The official 1.3.12 file spells the error CERTIFICATE_REVOKE; the built-in bank answers what the spec allows. */
function revokedSpelling(catalogue: Catalogue): 'CERTIFICATE_REVOKED' | 'CERTIFICATE_REVOKE' {
  const text = JSON.stringify(catalogue.defs);
  return text.includes('"CERTIFICATE_REVOKE"') && !text.includes('"CERTIFICATE_REVOKED"') ? 'CERTIFICATE_REVOKE' : 'CERTIFICATE_REVOKED';
}

/** The bank file's secrets, labelled: consent and PSU ids, substituted values, secret-looking headers. */
export function configSecrets(b: { config: BankConfig }): Secret[] {
  const c = b.config;
  const out: Secret[] = [];
  if (c.consent.id) out.push({ value: c.consent.id, kind: 'consent-id' });
  for (const id of [c.psu.id, c.psu.corporateId]) if (id) out.push({ value: id, kind: 'psu-id' });
  for (const [name, value] of Object.entries(c.headers)) out.push(...headerSecrets(name, value));
  for (const s of c.secrets) out.push({ value: s, kind: 'secret' });
  return out;
}

/** What the run learnt while talking to the bank: the consent id it returned, the Signature values sent. */
function logSecrets(log: ExchangeLog): Secret[] {
  const out: Secret[] = [];
  if (log.consentId) out.push({ value: log.consentId, kind: 'consent-id' });
  for (const id of log.otherConsentIds ?? []) out.push({ value: id, kind: 'consent-id' });
  for (const ex of log.exchanges) {
    const sig = ex.request.headers.signature ?? ex.request.headers.Signature;
    const value = sig ? signatureValue(sig) : undefined;
    if (value) out.push({ value, kind: 'signature' });
    // Credentials the bank hands out (a session cookie, an x-auth-token header) are secrets too,
    // wherever it echoes them later.
    for (const [name, v] of Object.entries(ex.response?.headers ?? {})) {
      if (name.toLowerCase() === 'set-cookie') {
        for (const m of v.matchAll(/(?:^|,\s*)[^=;,\s]+=([^;,]+)/g)) {
          const cookie = m[1]?.trim();
          if (cookie && cookie.length >= 4) out.push({ value: cookie, kind: 'credential' });
        }
      } else out.push(...headerSecrets(name, v));
    }
  }
  return out;
}

function exitCodeOf(findings: FindingsFile[], incomplete: string[], waiverReport?: WaiverReport, failOn?: Severity): 0 | 1 | 3 {
  // A waived result does not fail the run; an expired waiver does. --fail-on raises the bar to a severity.
  const failed = (failOn ? failsAt(findings, failOn) : hasUnwaivedMandatoryFailure(findings)) || (waiverReport?.expired.length ?? 0) > 0;
  return incomplete.length > 0 ? 3 : failed ? 1 : 0;
}

/** --fail-on: an unwaived mandatory rule that failed or could not be judged, at `failOn` or more severe. */
function failsAt(findings: FindingsFile[], failOn: Severity): boolean {
  return findings.some((f) =>
    f.results.some((r) => r.mandatory && (r.status === 'failed' || r.status === 'broken') && !r.waived && severityRank(r.severity) <= severityRank(failOn)),
  );
}

/** How many unwaived mandatory rules failed (or were not judged) below the --fail-on severity. */
function belowFailOn(findings: FindingsFile[], failOn: Severity): number {
  return findings.reduce(
    (n, f) =>
      n +
      f.results.filter((r) => r.mandatory && (r.status === 'failed' || r.status === 'broken') && !r.waived && severityRank(r.severity) > severityRank(failOn))
        .length,
    0,
  );
}

/** PASS, FAIL or INCOMPLETE, exactly as the exit code (0, 1, 3) says. */
function runVerdict(findings: FindingsFile[], incomplete: string[], waiverReport?: WaiverReport, failOn?: Severity): 'PASS' | 'FAIL' | 'INCOMPLETE' {
  const code = exitCodeOf(findings, incomplete, waiverReport, failOn);
  return code === 0 ? 'PASS' : code === 1 ? 'FAIL' : 'INCOMPLETE';
}

/** Java-properties text (Allure's environment.properties): one `key=value` a line, separators escaped. */
function propertiesText(entries: Record<string, string>): string {
  const esc = (t: string, key: boolean): string =>
    t
      .replace(/\\/g, '\\\\')
      .replace(/\r?\n/g, ' ')
      .replace(key ? /[=: ]/g : /[=:]/g, (c) => `\\${c}`);
  return `${Object.entries(entries)
    .map(([k, v]) => `${esc(k, true)}=${esc(v, false)}`)
    .join('\n')}\n`;
}

function sha256Of(file: string): string {
  try {
    return createHash('sha256').update(readFileSync(file)).digest('hex');
  } catch {
    return 'unknown (the spec file could not be read again)';
  }
}

function environmentInfo(banks: RunBank[]): Record<string, string> {
  const unique = (xs: string[]): string => [...new Set(xs)].join('; ');
  return {
    tool: `${TOOL.name} ${TOOL.version}`,
    node: process.version,
    spec: unique(banks.map((b) => `${b.catalogue.spec.title} ${b.catalogue.spec.version}`)),
    'spec sha256': unique(banks.map((b) => sha256Of(b.catalogue.spec.file))),
    profile: unique(banks.map((b) => b.profile.name)),
    // No base URL: allure-vitest writes this block itself, outside the redactor (a URL may carry a secret path).
    banks: banks.map((b) => `${b.config.id} (${b.profile.name})`).join(', '),
  };
}

/** The end of a run: every selected reporter of the map (reporters/index.ts), in order. */
function writeOutputs(
  dir: string,
  findings: FindingsFile[],
  print: (l: string) => void,
  redactor: Redactor,
  untestable: UntestableBank[],
  colors: Colors,
  durations: RuleDurations,
  waiverReport?: WaiverReport,
  baseline?: FindingsFile[],
  stdout?: (text: string) => void,
): void {
  // issue 12: the run diff across banks (--baseline), in summary.md, diff.json and the console.
  const diff = baseline && findings.length > 0 ? diffRuns(baseline, findings) : undefined;
  const names = [...DEFAULT_REPORTERS, ...(stdout ? ['json' as const] : [])];
  writeReports(names, { dir, findings, untestable, durations, waiverReport, diff, redactor, print, colors, stdout });
}

// issue 12: the waivers file is read and checked before anything is sent; in a certification run a
// waiver that would cover a mandatory rule is refused (exit 2), so an eligible run never rests on one.
function checkRunWaivers(file: WaiversFile, opts: RunOptions, prepared: PreparedBank[]): WaiversFile {
  if (opts.certify) {
    // The built-in reference bank has no bank file (config unset until it starts); its id is fixed.
    const banks = prepared.map((p) => ({ id: p.config?.id ?? 'reference-bank', rules: p.catalogue.rules }));
    const bad = waiversOnMandatoryRules(file.waivers, banks)[0];
    if (bad)
      throw new ConfigError(
        file.source,
        `waivers[${bad.index}].rule`,
        `'${bad.waiver.rule}' covers the mandatory rule ${bad.ruleId} (bank ${bad.bankId}); a certification run (--certify) accepts no waiver on a mandatory rule`,
      );
  }
  return file;
}

const MAX_BASELINE_BYTES = 512 * 1024 * 1024;

/** The baseline is read before anything is sent: an unreadable one is a configuration error (exit 2). */
function readBaselineFile(path: string): FindingsFile[] {
  // Bounded like every input file: a FIFO or a huge file is an error, not a hang.
  const text = readConfigFile(path, { source: '--baseline', field: undefined, maxBytes: MAX_BASELINE_BYTES });
  try {
    return readFindingsSet(path, text);
  } catch (e) {
    throw new ConfigError('--baseline', undefined, (e as Error).message);
  }
}

/** issue 12: --shard i/n keeps this shard's share of the bank files (all were loaded and checked). */
function shardOf(opts: RunOptions, prepared: PreparedBank[]): PreparedBank[] {
  if (!opts.shard) return prepared;
  const shard = parseShard(opts.shard);
  if (opts.bankFiles.length === 0) throw new ConfigError('--shard', undefined, 'splits a set of bank files; give --bank files');
  const mine = selectShard(prepared, (p) => p.config?.id ?? 'reference-bank', shard); // only bank files get here
  if (mine.length === 0)
    throw new ConfigError(
      '--shard',
      undefined,
      `shard ${shard.index}/${shard.total} has no bank (${prepared.length} bank files); use at most ${prepared.length} shards`,
    );
  return mine;
}
