#!/usr/bin/env node
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { ConfigError } from '../lib/config/types.js';
import { TOOL } from '../lib/paths.js';
import { createRedactor } from '../lib/redact.js';
import { describeFaults } from '../sandbox/faults/index.js';
import { commands, type Command } from './commands.js';

const USAGE = `${TOOL.name} ${TOOL.version}: conformance tests for PSD2 card-account APIs (Berlin Group NextGenPSD2)

Usage:
  card-conformance run      [--bank FILE ...] [--spec FILE] [--profile NAME] [--only CAT,...]
                            [--out DIR] [--baseline FINDINGS.json] [--no-report] [--defects ID,...]
                            [--variants ID,...]
                            [--faults ID[@OP],...] [--har FILE]
  card-conformance validate --har FILE [--profile NAME] [--spec FILE] [--out DIR] [--no-report]
  card-conformance sandbox  [--profile NAME] [--port N] [--defects ID,...] [--variants ID,...]
                            [--faults ID[@OP],...] [--tls] [--trust DIR | --no-verify]
  card-conformance pki      --out DIR
  card-conformance doctor   --bank FILE
  card-conformance diff     BASE.json CURRENT.json [--out DIR]
  card-conformance verify-bundle BUNDLE.zip
  card-conformance merge    SHARD-DIR ... --out DIR [--history DIR [--save-history]] [--no-report]

Commands:
  run       Generate the rules from the spec, run them against each bank (default: the embedded
            reference bank), and write out/findings.json, junit.xml, summary.md, allure-results/
            and the HTML report allure-report/index.html.
  sandbox   Serve the reference bank on 127.0.0.1 until interrupted.
  pki       Write a test PKI (root CA, QSealC, QWAC and deliberately bad certificates) as PEM.
  doctor    Check a bank file before a run and list every problem at once: fields, environment
            variables, signing and TLS certificates and keys (match, expiry, chain, PSD2 role),
            the TLS handshake, the base URL, and the consent. Exit 2 on any problem.
  validate  Judge recorded traffic (HAR 1.2 from a browser, a proxy or run --har) offline with
            the same rules and outputs as run; nothing is sent. Requests that are not
            card-account calls of the spec are skipped and counted.
  merge     Merge the output folders of shard runs (run --shard I/N) into one: per-bank and
            combined findings.json, junit.xml, summary.md, allure-results/ and one HTML report.
  verify-bundle  Check a certification bundle: every file's sha256, the manifest's signature,
            then the eligibility verdict. Exit 0 intact and eligible, 1 otherwise (the changed
            file is named).
  diff      Compare two findings.json files (one bank or combined): per bank new failures, fixed,
            still failing, newly waived, rules and banks added and removed. Exit 1 on new
            failures only. With --out DIR: DIR/diff.md and DIR/diff.json.

Run options:
  --bank FILE       a bank file (YAML; see banks/); repeat for several banks, run in parallel
  --spec FILE       generate the rules from this OpenAPI 3.0/3.1 document instead of the profile's
  --profile NAME    berlin-group (default), or the profile a bank file names
  --only CAT,...    run only these rule categories (e.g. masked-pan,currency)
  --out DIR         output folder (default: out)
  --baseline FILE   compare with an earlier findings.json (one bank or combined): the changes go
                    to the console, summary.md and out/diff.json
  --no-report       skip the HTML report
  --waivers FILE    accepted deviations (YAML, banks/waivers.schema.json): a waived failure does
                    not fail the run; an expired waiver does; unused waivers are reported as stale
  --certify         a certification run: writes out/certification-bundle.zip (findings, JUnit,
                    summary, HTML report, a HAR of every exchange, a manifest with every file's
                    sha256 and the eligibility verdict); a waiver on a mandatory rule is refused (exit 2)
  --sign-key FILE   with --certify: sign the manifest (JWS RS256) with this RSA key (PEM), e.g.
                    the QSealC key; without it the bundle says it is unsigned
  --sign-cert FILE  the key's certificate (e.g. the QSealC), embedded in the signature (x5c)
  --shard I/N       run shard I of N of the bank files: sorted by bank id, every N-th from the
                    I-th (CI matrix jobs); 'merge' puts the shards' outputs together
  --history DIR     Allure history folder (DIR/history.jsonl): the report shows the trend, new
                    failures, fixed and flaky rules across runs; read only, unless --save-history
  --save-history    append this run to DIR/history.jsonl (the nightly job; trial runs leave it out)
  --har FILE        also record the run's traffic as HAR 1.2 (redacted) to FILE, for validate --har
  --defects ID,...  make the embedded reference bank misbehave (to see what the suite catches;
                    ids: sandbox/defects/, docs/detection-matrix.md)
  --variants ID,... serve legal-but-unusual shapes (negative controls: nothing may fail)
  --faults ID[@OP],...
                    make the embedded reference bank fail at the transport level on operation OP
                    (default readCardAccountDetails); the rules it breaks come out 'broken':
${describeFaults(' '.repeat(20))}
                    Env CARD_CONFORMANCE_BUILTIN_TIMEOUT_MS shortens the embedded bank's 10 s timeout.

Sandbox options:
  --profile, --defects, --variants, --faults   as for run
  --port N          listen on 127.0.0.1:N (default: a free port)
  --tls             serve HTTPS and ask for a client certificate (QWAC, mutual TLS)
  --trust DIR       trust the test PKI that 'card-conformance pki --out DIR' wrote: requests must
                    be signed with DIR/qseal.pem and DIR/qseal.key (with --tls: DIR/server.pem
                    serves HTTPS, the client presents DIR/qwac.pem). Nothing is written.
                    Without --trust, a test PKI is generated for the session; the files a client
                    needs (qseal, qwac, root-ca) go to a private temporary folder that is removed
                    when the sandbox stops (Ctrl-C, SIGTERM, SIGHUP, its parent ending). The
                    sandbox prints the folder and a bank file for it.
  --no-verify       accept every request, signed or not (a lenient bank, on purpose). By default
                    the sandbox, with or without --tls, verifies every request's signature
                    (Digest, Signature, TPP-Signature-Certificate) and answers 400/401 with the
                    Berlin Group code (SIGNATURE_MISSING, SIGNATURE_INVALID, CERTIFICATE_INVALID, ...).

Exit codes: 0 every mandatory rule passed; 1 at least one failed (or could not be judged);
2 usage or configuration error (nothing was sent); 3 the run could not be completed
(bank unreachable, TLS failure, no consent); 130/143 interrupted by SIGINT/SIGTERM (the rules
judged until then are written, findings.json says "interrupted": true).`;

const OPTIONS = {
  bank: { type: 'string', multiple: true },
  spec: { type: 'string' },
  profile: { type: 'string' },
  only: { type: 'string', multiple: true },
  out: { type: 'string' },
  baseline: { type: 'string' },
  'no-report': { type: 'boolean' },
  defects: { type: 'string', multiple: true },
  variants: { type: 'string', multiple: true },
  faults: { type: 'string', multiple: true },
  port: { type: 'string' },
  tls: { type: 'boolean' },
  trust: { type: 'string' },
  'no-verify': { type: 'boolean' },
  har: { type: 'string' },
  // issue 12: nightly, certification and regression
  waivers: { type: 'string' },
  certify: { type: 'boolean' },
  history: { type: 'string' },
  'save-history': { type: 'boolean' },
  'sign-key': { type: 'string' },
  'sign-cert': { type: 'string' },
  shard: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const satisfies ParseArgsConfig['options'];

async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  } catch (e) {
    process.stderr.write(`card-conformance: ${(e as Error).message}\nRun card-conformance --help for usage.\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.version) { process.stdout.write(`${TOOL.version}\n`); return 0; }
  const [name, ...rest] = positionals;
  if (values.help || !name) { process.stdout.write(`${USAGE}\n`); return name || values.help ? 0 : 2; }
  const command: Command | undefined = commands[name];
  if (!command) {
    process.stderr.write(`card-conformance: unknown command '${name}' (commands: ${Object.keys(commands).join(', ')})\n`);
    return 2;
  }
  try {
    return await command(values as Record<string, string | string[] | boolean | undefined>, rest);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`card-conformance: ${e.message}\n`);
      return 2;
    }
    // Without the bank's secrets at hand, the redactor still masks card numbers and private keys.
    const redactor = createRedactor([]);
    process.stderr.write(`card-conformance: ${redactor.redactText((e as Error).message ?? String(e))}\n`);
    if (process.env.CARD_CONFORMANCE_DEBUG) process.stderr.write(`${redactor.redactText(String((e as Error).stack))}\n`);
    return 3;
  }
}

// `card-conformance run | head` closes the pipe early; that is not an error of the run.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => { if (e.code !== 'EPIPE') throw e; });
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
