import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BankConfig } from '../config/types.js';
import { ConfigError } from '../config/types.js';
import { defaultBankConfig, loadBankFile } from '../config/load.js';
import { collectExchanges, type ExchangeLog } from '../collect/collect.js';
import { checkRequestHeaders } from '../collect/request-headers.js';
import { createHttpClient } from '../http/client.js';
import { generateTestPki, type TestPki } from '../pki/generate.js';
import { signingFor, type RunSigning } from './signing.js';
import { tlsOptionsFromConfig } from '../http/tls-options.js';
import { CATEGORIES, type Category, type FindingsFile, type RuleResult } from '../model.js';
import { loadProfile, profileNames, type Profile } from '../profile.js';
import { TOOL } from '../paths.js';
import { createRedactor } from '../redact.js';
import { assertLocalConfig } from '../doctor/local.js';
import { buildCatalogue, type Catalogue } from '../../rules/catalogue/generate.js';
import { metaOf } from '../../rules/judge.js';
import { loadProfileSpec } from '../../schemas/load-profile-spec.js';
import { generateAllureReport } from '../../reporters/allure-report.js';
import { buildFindingsFile, combineFindings, readFindings, writeFindings } from '../../reporters/findings.js';
import { diffFindings, renderDiff } from '../../reporters/diff.js';
import { renderJunit } from '../../reporters/junit.js';
import { renderConsoleMatrix, renderSummaryMarkdown } from '../../reporters/summary.js';
import { runSuites } from './vitest.js';
import { writeRunFile, type BankRun } from './run-file.js';
import { startBuiltInBank, withBuiltInTimeout, type BuiltInBank } from './built-in-bank.js';

export interface RunOptions {
  bankFiles: string[];
  spec?: string;
  profile?: string;
  only?: string[];
  out: string;
  baseline?: string;
  report: boolean;
  /** Deviations the built-in reference bank injects (its --defects). */
  defects?: string[];
  /** Negative-control variants the built-in reference bank serves (its --variants). */
  variants?: string[];
  /** Transport faults the built-in reference bank injects (its --faults: `id` or `id@operationId`). */
  faults?: string[];
  env?: NodeJS.ProcessEnv;
  print?: (line: string) => void;
}

export interface RunOutcome {
  exitCode: 0 | 1 | 2 | 3;
  findings: FindingsFile[];
  /** Why the run could not be completed, per bank (exit 3). */
  incomplete: string[];
}

interface PreparedBank {
  config: BankConfig;
  /** Read before anything is sent, so an unreadable certificate is a configuration error. */
  tls?: ReturnType<typeof tlsOptionsFromConfig>;
  /** What requests are signed with, if anything. */
  signing?: RunSigning;
  profile: Profile;
  catalogue: Catalogue;
  builtIn: boolean;
}

/**
 * `card-conformance run`: reads and checks every input before anything is sent (a problem
 * is a ConfigError, exit 2), talks to each bank, judges every rule in the vitest suites,
 * and writes findings.json, junit.xml, summary.md and the Allure results and report.
 */
export async function runConformance(opts: RunOptions): Promise<RunOutcome> {
  const print = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const only = parseOnly(opts.only);
  const prepared = prepare(opts, only);
  const startedAt = new Date().toISOString();
  let builtIn: BuiltInBank | undefined;
  const banks: PreparedBank[] = [];
  try {
    for (const p of prepared) {
      if (p.builtIn) {
        builtIn = await startBuiltInBank({ profile: p.profile.name, defects: opts.defects ?? [], variants: opts.variants ?? [], faults: opts.faults, pki: p.signing?.pki });
        const config = withBuiltInTimeout(defaultBankConfig(builtIn.baseUrl, p.profile.name), opts.env ?? process.env);
        // An API without consent endpoints: use the consent the built-in bank holds as authorised (a secret like any consent id).
        const consentId = builtIn.preAuthorisedConsentId;
        if (p.profile.consentPolicy.preAuthorisedOnly && consentId) {
          config.consent = { id: consentId, create: false };
          config.secrets = [...config.secrets, consentId];
        }
        banks.push({ ...p, config });
      } else banks.push(p);
    }
    const first = banks[0]!.catalogue;
    print(`${TOOL.name} ${TOOL.version}: ${first.spec.title} ${first.spec.version}, ${banks.length} bank${banks.length > 1 ? 's' : ''}`);
    const logs = await Promise.all(banks.map(async (b) => {
      const t0 = Date.now();
      const client = createHttpClient({ limits: b.config.limits, tls: b.tls, signer: b.signing?.signer });
      try {
        const log = await collectExchanges({ catalogue: b.catalogue, bank: b.config, client, signing: b.signing });
        print(`  ${b.config.id} (${b.profile.name}) at ${b.config.baseUrl}: ${log.exchanges.length} requests in ${((Date.now() - t0) / 1000).toFixed(1)} s${log.fatal ? `: ${log.fatal}` : ''}`);
        return log;
      } finally {
        await client.close();
      }
    }));

    const incomplete = banks.flatMap((b, i) => (logs[i]!.fatal ? [`${b.config.id}: ${redactFor(b, logs[i]!)(logs[i]!.fatal!)}`] : []));
    const judged = banks.map((b, i) => ({ b, log: logs[i]! })).filter(({ log }) => !log.fatal);
    mkdirSync(opts.out, { recursive: true });
    const resultsDir = join(opts.out, 'allure-results');
    rmSync(resultsDir, { recursive: true, force: true });
    const bankRuns: BankRun[] = judged.map(({ b, log }) => ({
      id: b.config.id, name: b.config.name, profile: b.profile.name, baseUrl: b.config.baseUrl,
      secrets: secretsOf(b, log),
      catalogue: { spec: b.catalogue.spec, profile: b.catalogue.profile, defs: b.catalogue.defs, rules: b.catalogue.rules },
      log,
    }));
    let records = new Map<string, Map<string, RuleResult>>();
    if (bankRuns.length > 0) {
      const runFile = writeRunFile({ banks: bankRuns });
      try {
        records = await runSuites({ runFile: runFile.path, resultsDir, environment: environmentInfo(banks) });
      } finally {
        runFile.dispose();
      }
    }
    const finishedAt = new Date().toISOString();
    const findings = judged.map(({ b }) => buildFindingsFile({
      tool: { name: TOOL.name, version: TOOL.version },
      spec: { title: b.catalogue.spec.title, version: b.catalogue.spec.version },
      bank: { id: b.config.id, profile: b.profile.name, baseUrl: b.config.baseUrl },
      startedAt, finishedAt,
      results: b.catalogue.rules.map((r) => records.get(b.config.id)?.get(r.id)
        ?? { rule: metaOf(r), status: 'broken', message: 'the test for this rule did not report a result', severity: r.severity, checked: 0, violations: [], evidence: [] }),
    }));
    writeOutputs(opts, findings, print);
    if (opts.report && findings.length > 0) {
      const report = await generateAllureReport({ resultsDir, reportDir: join(opts.out, 'allure-report'), name: `PSD2 card-account conformance: ${findings.map((f) => f.bank.id).join(', ')}` });
      print(report.ok ? `  report: ${join(opts.out, 'allure-report', 'index.html')}` : `  the HTML report could not be generated: ${report.message}`);
    }
    for (const line of incomplete) print(`run incomplete: ${line}`);
    const failed = findings.some((f) => f.results.some((r) => r.mandatory && (r.status === 'failed' || r.status === 'broken')));
    return { exitCode: incomplete.length > 0 ? 3 : failed ? 1 : 0, findings, incomplete };
  } finally {
    await builtIn?.close();
  }
}

function prepare(opts: RunOptions, only: Category[] | undefined): PreparedBank[] {
  const env = opts.env ?? process.env;
  // One test PKI per run, generated only when some bank signs with it (no certificate file can expire).
  let pki: TestPki | undefined;
  const runPki = (): TestPki => (pki ??= generateTestPki());
  const configs: (BankConfig | undefined)[] = opts.bankFiles.length > 0
    // The doctor's local checks (certificates parse, keys match, not expired): exit 2 before anything is sent.
    ? opts.bankFiles.map((f) => assertLocalConfig(loadBankFile(f, env, { profiles: profileNames() })))
    : [undefined];
  const ids = new Set<string>();
  return configs.map((config) => {
    if (config && ids.has(config.id)) throw new ConfigError(config.source, 'id', `'${config.id}' is used by two bank files; each bank needs its own id`);
    if (config) ids.add(config.id);
    const profile = loadProfile(opts.profile ?? config?.profile ?? 'berlin-group');
    if (config) checkRequestHeaders(config, profile); // a header the profile requires and the bank file cannot supply: exit 2
    const spec = loadProfileSpec(profile, opts.spec);
    const catalogue = buildCatalogue(spec, profile);
    if (only) catalogue.rules = catalogue.rules.filter((r) => only.includes(r.category));
    return { config: config!, tls: config && tlsOptionsFromConfig(config.tls, config.source), signing: signingFor(config, profile, runPki), profile, catalogue, builtIn: !config };
  });
}

function parseOnly(only: string[] | undefined): Category[] | undefined {
  if (!only || only.length === 0) return undefined;
  const list = only.flatMap((o) => o.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const c of list) {
    if (!(CATEGORIES as readonly string[]).includes(c)) throw new ConfigError('--only', undefined, `unknown category '${c}' (known: ${CATEGORIES.join(', ')})`);
  }
  return list as Category[];
}

function secretsOf(b: PreparedBank, log: ExchangeLog): string[] {
  return [...b.config.secrets, ...(log.consentId ? [log.consentId] : [])];
}

function redactFor(b: PreparedBank, log: ExchangeLog): (text: string) => string {
  const r = createRedactor(secretsOf(b, log));
  return (t) => r.redactText(t);
}

function environmentInfo(banks: PreparedBank[]): Record<string, string> {
  return {
    tool: `${TOOL.name} ${TOOL.version}`,
    node: process.version,
    spec: [...new Set(banks.map((b) => `${b.catalogue.spec.title} ${b.catalogue.spec.version}`))].join('; '),
    banks: banks.map((b) => `${b.config.id} (${b.profile.name})`).join(', '),
  };
}

function writeOutputs(opts: RunOptions, findings: FindingsFile[], print: (l: string) => void): void {
  if (findings.length === 1) writeFindings(join(opts.out, 'findings.json'), findings[0]!);
  else if (findings.length > 1) {
    for (const f of findings) writeFindings(join(opts.out, f.bank.id, 'findings.json'), f);
    writeFindings(join(opts.out, 'findings.json'), combineFindings(findings));
  }
  writeFileSync(join(opts.out, 'junit.xml'), renderJunit(findings));
  writeFileSync(join(opts.out, 'summary.md'), renderSummaryMarkdown(findings));
  print('');
  print(renderConsoleMatrix(findings));
  if (opts.baseline && findings.length > 0) {
    const base = readFindings(opts.baseline);
    const current = findings.find((f) => f.bank.id === base.bank.id) ?? findings[0]!;
    const diff = diffFindings(base, current);
    writeFileSync(join(opts.out, 'diff.txt'), renderDiff(diff));
    print(renderDiff(diff));
  }
}

