// `card-conformance validate --har FILE`: judges recorded traffic offline with the same rules and
// outputs as a run (findings.json, junit.xml, summary.md, Allure). Nothing is sent: each HAR entry
// is mapped to the spec operation it calls (method + path template) and to the probe name the
// collector would have recorded it under, so every rule finds its exchanges.
import { basename, join } from 'node:path';
import type { Exchange, FindingsFile, RuleResult } from '../../core/model.js';
import { loadProfile } from '../../config/profile.js';
import { TOOL } from '../../core/paths.js';
import { createRedactor, headerSecrets, redactingStream, signatureValue, sweepRedact, writeRedactedFile, type Secret } from '../../core/redact.js';
import { readHar, type HarFile, type HarRecord } from '../../collect/har/read.js';
import { buildCatalogue, okProbe, type Catalogue } from '../../rules/catalogue/generate.js';
import type { OperationInfo } from '../../rules/operations.js';
import { metaOf } from '../../rules/judge.js';
import { loadProfileSpec } from '../../schemas/load-profile-spec.js';
import { generateAllureReport } from '../../reporters/allure-report.js';
import { buildFindingsFile, writeFindings } from '../../reporters/findings.js';
import { renderJunit } from '../../reporters/junit.js';
import { renderConsoleMatrix, renderSummaryMarkdown } from '../../reporters/summary.js';
import { runSuites } from './vitest.js';
import { createStaging } from './staging.js';
import { describeRequestSignatures, judgeRequestSignatures } from './request-signatures.js';

export interface ValidateOptions {
  har: string;
  profile?: string;
  spec?: string;
  out: string;
  report: boolean;
  print?: (line: string) => void;
  log?: { write(chunk: string): unknown };
}

export interface ValidateOutcome {
  exitCode: 0 | 1;
  findings: FindingsFile;
  /** Entries judged (card-account calls). */
  judged: number;
  /** Entries that are not card-account calls of the spec, with a few examples. */
  skipped: number;
  skippedExamples: string[];
}

/** Probe of an entry from another tool whose call failed (4xx/5xx): only the rules for every exchange judge it. */
export const RECORDED_ERROR_PROBE = 'recorded:error';

/** An operation's path template as a pattern that also matches behind a base path (`/bank/api/v1/...`). */
function matcherFor(op: OperationInfo): { op: OperationInfo; pattern: RegExp; literal: number } {
  const parts = op.path
    .replace(/\/+$/, '')
    .split(/\{[^}]+\}/)
    .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return { op, pattern: new RegExp(`^(?:/.*)?${parts.join('[^/]+')}/?$`), literal: op.path.replace(/\{[^}]+\}/g, '').length };
}

/** The spec operation `method url` calls, the most specific template first; undefined when none. */
export function operationOf(method: string, url: string, matchers: ReturnType<typeof matcherFor>[]): OperationInfo | undefined {
  const path = new URL(url).pathname;
  return matchers.find((m) => m.op.method.toUpperCase() === method && m.pattern.test(path))?.op;
}

/** An entry of another tool's HAR as the collector would have recorded it. */
function foreignExchange(rec: HarRecord, op: OperationInfo): Exchange {
  const ok = rec.response !== undefined && rec.response.status < 400;
  const context: Record<string, string> = {};
  const query = new URL(rec.request.url).searchParams;
  for (const key of ['bookingStatus', 'dateFrom', 'dateTo']) {
    const v = query.get(key);
    if (v !== null) context[key] = v;
  }
  const accountParam = op.parameters.find((p) => p.in === 'path' && !/consent/i.test(p.name));
  if (accountParam) {
    // Aligned from the end: the URL may carry a base path in front of the template.
    const template = op.path.replace(/\/+$/, '').split('/');
    const segments = new URL(rec.request.url).pathname.replace(/\/+$/, '').split('/');
    const id = segments.at(template.indexOf(`{${accountParam.name}}`) - template.length);
    if (id) context.accountId = decodeURIComponent(id);
  }
  return {
    probe: ok ? okProbe(op.operationId) : RECORDED_ERROR_PROBE,
    operationId: op.operationId,
    endpoint: op.endpoint,
    request: rec.request,
    ...(rec.response ? { response: rec.response } : { failure: { kind: 'connection', message: 'the HAR records no answer (status 0)' } }),
    ...(Object.keys(context).length > 0 ? { context } : {}),
  };
}

/** Maps every entry: our own HAR carries the probe; another tool's is matched by method and path. */
export function exchangesOf(har: HarFile, catalogue: Catalogue): { exchanges: Exchange[]; skipped: string[] } {
  const matchers = catalogue.operations.map(matcherFor).sort((a, b) => b.literal - a.literal);
  const exchanges: Exchange[] = [];
  const skipped: string[] = [];
  for (const rec of har.records) {
    if (rec.ext) {
      exchanges.push({
        probe: rec.ext.probe,
        operationId: rec.ext.operationId,
        endpoint: rec.ext.endpoint,
        request: rec.request,
        ...(rec.response ? { response: rec.response } : {}),
        ...(rec.ext.failure ? { failure: rec.ext.failure } : {}),
        ...(rec.ext.context ? { context: rec.ext.context } : {}),
        ...(rec.ext.notFollowed ? { notFollowed: rec.ext.notFollowed } : {}),
      });
      continue;
    }
    const op = operationOf(rec.request.method, rec.request.url, matchers);
    if (op) exchanges.push(foreignExchange(rec, op));
    else skipped.push(`log.entries[${rec.index}] ${rec.request.method} ${new URL(rec.request.url).pathname}`);
  }
  return { exchanges, skipped };
}

/** The request side: required request headers (the spec's header parameters) and signatures, of the calls a TPP made (not our deliberate faults). */
function requestSide(exchanges: Exchange[], catalogue: Catalogue): string[] {
  const calls = exchanges.filter((e) => e.probe.startsWith('ok:') || e.probe === RECORDED_ERROR_PROBE);
  const where = (e: Exchange): string => `${e.request.method} ${new URL(e.request.url).pathname}`;
  const missing: string[] = [];
  for (const e of calls) {
    const op = catalogue.operations.find((o) => o.operationId === e.operationId);
    const lacks = (op?.parameters ?? [])
      .filter((p) => p.in === 'header' && p.required && e.request.headers[p.name.toLowerCase()] === undefined)
      .map((p) => p.name);
    if (lacks.length > 0) missing.push(`${where(e)} lacks ${lacks.join(', ')}`);
  }
  const sig = judgeRequestSignatures(calls, where);
  return [
    `request headers: ${calls.length - missing.length} of ${calls.length} calls sent every header the spec requires${missing.length > 0 ? `; ${missing.length} did not, e.g. ${missing.slice(0, 3).join('; ')}` : ''}`,
    `${describeRequestSignatures(sig)}${sig.failed.length > 0 ? `; e.g. ${sig.failed.slice(0, 3).join('; ')}` : ''}`,
  ];
}

/** Secrets in recorded traffic: consent and PSU ids, credentials, Signature values. */
function recordedSecrets(exchanges: Exchange[]): Secret[] {
  const out: Secret[] = [];
  for (const ex of exchanges) {
    for (const [name, value] of Object.entries(ex.request.headers)) {
      if (name === 'consent-id' && value.length >= 4) out.push({ value, kind: 'consent-id' });
      else if (name === 'psu-id' && value.length >= 4) out.push({ value, kind: 'psu-id' });
      else if (name === 'signature') {
        const v = signatureValue(value);
        if (v) out.push({ value: v, kind: 'signature' });
      } else out.push(...headerSecrets(name, value));
    }
    for (const [name, value] of Object.entries(ex.response?.headers ?? {})) out.push(...headerSecrets(name, value));
  }
  return out;
}

/** Judges the HAR at `opts.har` and writes the run's outputs to `opts.out`. Throws ConfigError on bad input (exit 2). */
export async function validateHar(opts: ValidateOptions): Promise<ValidateOutcome> {
  const har = readHar(opts.har);
  const profileName = opts.profile ?? har.ext?.bank.profile ?? 'berlin-group';
  // An unknown name is named where it came from: the flag, or the HAR's own record of its run.
  const fromHar = opts.profile === undefined && har.ext?.bank.profile !== undefined;
  const profile = loadProfile(profileName, fromHar ? opts.har : '--profile', fromHar ? 'log._cardConformance.bank.profile' : undefined);
  const catalogue = buildCatalogue(loadProfileSpec(profile, opts.spec), profile);
  const { exchanges, skipped } = exchangesOf(har, catalogue);
  const firstCard = exchanges[0] ? new URL(exchanges[0].request.url).origin : '';
  const bank = har.ext?.bank ?? {
    id:
      basename(opts.har)
        .replace(/\.har$/i, '')
        .replace(/[^A-Za-z0-9._-]/g, '-') || 'har',
    profile: profile.name,
    baseUrl: firstCard,
  };
  const notSent: Record<string, string> = { ...har.ext?.notSent };
  if (!har.ext) {
    // Another tool's traffic: a probe nobody sent is "not in the recording", not a failure of the bank.
    const present = new Set(exchanges.map((e) => e.probe));
    for (const rule of catalogue.rules)
      for (const p of rule.probes) if (!present.has(p) && !notSent[p]) notSent[p] = `the recorded traffic (${basename(opts.har)}) has no such request`;
  }
  const secrets = recordedSecrets(exchanges);
  const redactor = createRedactor(secrets);
  const rawPrint = opts.print ?? ((l: string) => process.stdout.write(`${l}\n`));
  const print = (line: string): void => rawPrint(redactor.redactText(line));
  const logTarget = opts.log ?? process.stderr;
  const startedAt = new Date().toISOString();
  const counts = `${har.records.length} entries: ${exchanges.length} card-account calls judged, ${skipped.length} skipped (not card-account calls of the spec)`;
  print(`${TOOL.name} ${TOOL.version}: ${catalogue.spec.title} ${catalogue.spec.version}, recorded traffic ${basename(opts.har)} (${har.creator})`);
  print(`  ${counts}`);
  for (const s of skipped.slice(0, 5)) print(`    skipped ${s}`);
  if (skipped.length > 5) print(`    … and ${skipped.length - 5} more`);
  const requests = requestSide(exchanges, catalogue);
  for (const line of requests) print(`  ${line}`);
  const staging = createStaging(opts.out);
  let committed = false;
  try {
    const resultsDir = join(staging.dir, 'allure-results');
    const records =
      exchanges.length === 0
        ? new Map<string, Map<string, RuleResult>>()
        : await runSuites({
            run: {
              banks: [
                {
                  id: bank.id,
                  name: bank.id,
                  profile: profile.name,
                  baseUrl: bank.baseUrl,
                  secrets,
                  catalogue: { spec: catalogue.spec, profile: catalogue.profile, defs: catalogue.defs, rules: catalogue.rules },
                  log: { exchanges, notSent },
                },
              ],
            },
            resultsDir,
            environment: {
              tool: `${TOOL.name} ${TOOL.version}`,
              node: process.version,
              spec: `${catalogue.spec.title} ${catalogue.spec.version}`,
              recording: basename(opts.har),
            },
            stdout: redactingStream(logTarget, () => redactor),
            stderr: redactingStream(logTarget, () => redactor),
          });
    const findings = buildFindingsFile({
      tool: { name: TOOL.name, version: TOOL.version },
      spec: { title: catalogue.spec.title, version: catalogue.spec.version },
      bank,
      startedAt,
      finishedAt: new Date().toISOString(),
      redactor,
      interrupted: false,
      results: catalogue.rules.map(
        (r) =>
          records.get(bank.id)?.get(r.id) ?? {
            rule: metaOf(r),
            status: exchanges.length === 0 ? ('skipped' as const) : ('broken' as const),
            message: exchanges.length === 0 ? 'the recorded traffic has no card-account call' : 'the test for this rule did not report a result',
            severity: r.severity,
            checked: 0,
            violations: [],
            evidence: [],
          },
      ),
    });
    writeFindings(join(staging.dir, 'findings.json'), findings, redactor);
    writeRedactedFile(join(staging.dir, 'junit.xml'), renderJunit([findings], []), redactor);
    const recording = `\n## Recorded traffic\n\n${basename(opts.har)} (${har.creator}): ${counts}.\n${skipped
      .slice(0, 20)
      .map((s) => `- skipped ${s}\n`)
      .join('')}${skipped.length > 20 ? `- … and ${skipped.length - 20} more\n` : ''}\n${requests.map((l) => `- ${l}\n`).join('')}`;
    writeRedactedFile(join(staging.dir, 'summary.md'), `${renderSummaryMarkdown([findings], [])}${recording}`, redactor);
    print('');
    print(renderConsoleMatrix([findings]));
    if (opts.report && exchanges.length > 0) {
      const report = await generateAllureReport({
        resultsDir,
        reportDir: join(staging.dir, 'allure-report'),
        name: `PSD2 card-account conformance (recorded): ${bank.id}`,
      });
      print(report.ok ? `  report: ${join(opts.out, 'allure-report', 'index.html')}` : `  the HTML report could not be generated: ${report.message}`);
    }
    for (const file of sweepRedact(staging.dir, redactor))
      logTarget.write(`redacted again (a writer missed a secret): ${file.slice(staging.dir.length + 1)}\n`);
    staging.commit();
    committed = true;
    const failed = findings.results.some((r) => r.mandatory && (r.status === 'failed' || r.status === 'broken'));
    return { exitCode: failed ? 1 : 0, findings, judged: exchanges.length, skipped: skipped.length, skippedExamples: skipped.slice(0, 20) };
  } finally {
    if (!committed) staging.discard();
  }
}
