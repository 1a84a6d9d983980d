// The help texts: one per command (`card-conformance COMMAND --help`) and the overview
// (`card-conformance --help`), which lists the commands and then every command's help.
import { TOOL } from '../core/paths.js';
import { profileNames } from '../config/profile-folders.js';
import { describeFaults } from '../sandbox/faults/index.js';

// The profiles are the folders under specs/profiles/ (and CARD_CONFORMANCE_PROFILES): never listed by hand.
const PROFILES = profileNames().join(', ');

export const EXIT_CODES = `Exit codes: 0 every mandatory rule passed; 1 at least one failed (or could not be judged;
with --fail-on SEVERITY: one of at least that severity);
2 usage or configuration error (nothing was sent); 3 the run could not be completed
(bank unreachable, TLS failure, no consent); 130/143 interrupted by SIGINT/SIGTERM (the rules
judged until then are written, findings.json says "interrupted": true).`;

export const RUN_HELP = `Usage: card-conformance run [--bank FILE ...] [--spec FILE] [--profile NAME] [--only CAT,...]
                            [--rule GLOB ...] [--skip-rule GLOB ...] [--last-failed]
                            [--fail-on SEVERITY] [--json] [--out DIR] [--baseline FINDINGS.json [--baseline-optional]]
                            [--no-report] [--no-color] [--har FILE] [--waivers FILE]
                            [--certify [--sign-key FILE --sign-cert FILE]] [--shard I/N]
                            [--history DIR [--save-history]]
                            [--defects ID,...] [--variants ID,...] [--faults ID[@OP],...]

Generate the rules from the spec, run them against each bank (default: the embedded reference
bank), and write out/findings.json, junit.xml, summary.md, allure-results/ and the HTML report
allure-report/index.html. Every input is checked before the first request: a problem is exit 2
with one line naming the file or flag and the field.

  --bank FILE       a bank file (YAML; see banks/); repeat for several banks, run in parallel
  --spec FILE       generate the rules from this OpenAPI 3.0/3.1 document instead of the profile's
  --profile NAME    ${PROFILES} (default berlin-group). A bank file's own 'profile'
                    is used unless --profile is given; then --profile wins and a notice says so.
  --only CAT,...    run only these rule categories (e.g. masked-pan,currency)
  --rule GLOB       run only the rules whose id matches (repeatable or comma-separated; '*' any
                    characters, '?' one; quote it: --rule '*maskedPan:*'); only the requests they
                    judge are sent. A glob that matches no rule is a usage error (exit 2).
                    The ids: card-conformance rules
  --skip-rule GLOB  leave out the rules whose id matches (repeatable or comma-separated)
  --last-failed     run only the rules that failed or could not be judged in the previous
                    findings.json of --out (per bank, matched by id). Without previous findings,
                    or for a bank with no failure last time, every rule runs and a notice says so.
  --fail-on SEVERITY
                    exit 1 only when a mandatory rule of at least this severity failed or could
                    not be judged: blocker, critical, major, minor, trivial (default: any severity)
  --json            print findings.json (the combined one for several banks) on stdout; progress
                    and every other line go to stderr
  --out DIR         output folder (default: out); must be a folder, not a file
  --baseline FILE   compare with an earlier findings.json (one bank, or the combined file of a
                    multi-bank run: banks are matched by id): per bank new failures, fixed, still
                    failing, newly waived, rules and banks added and removed, on the console, in
                    summary.md and in out/diff.json
  --baseline-optional
                    a --baseline file that does not exist yet is a notice, not an error
                    (a nightly job's first night)
  --no-report       skip the HTML report
  --no-color        no colour on the console (also: NO_COLOR set; never when not a terminal)
  --har FILE        also record the run's traffic as HAR 1.2 (redacted) to FILE, for validate --har
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
  --defects ID,...  make the embedded reference bank misbehave (to see what the suite catches;
                    ids: sandbox/defects/, docs/detection-matrix.md). Not with --bank.
  --variants ID,... serve legal-but-unusual shapes (negative controls: nothing may fail). Not with --bank.
  --faults ID[@OP],...
                    make the embedded reference bank fail at the transport level on operation OP
                    (default readCardAccountDetails); the rules it breaks come out 'broken'.
                    Not with --bank.
${describeFaults(' '.repeat(20))}
                    Env CARD_CONFORMANCE_BUILTIN_TIMEOUT_MS shortens the embedded bank's 10 s timeout.

On a terminal a live line shows each bank's phase, requests sent (and those the collector has
queued and the rate limit still holds back) and the time elapsed; otherwise
a plain progress line is printed every 10 s. At the end: the failed rules by severity (rule id,
message, instances), then the endpoint × category matrix.

${EXIT_CODES}`;

export const SANDBOX_HELP = `Usage: card-conformance sandbox [--profile NAME] [--port N] [--defects ID,...] [--variants ID,...]
                                [--faults ID[@OP],...] [--tls] [--trust DIR | --no-verify]

Serve the reference bank on 127.0.0.1 until interrupted (Ctrl-C, SIGTERM, SIGHUP, or the end of
the process that started it). It prints its base URL, the consent id to use and a bank file.

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
                    Berlin Group code (SIGNATURE_MISSING, SIGNATURE_INVALID, CERTIFICATE_INVALID, ...).`;

export const PKI_HELP = `Usage: card-conformance pki --out DIR

Write a test PKI (root CA, QSealC, QWAC and deliberately bad certificates) as PEM to DIR.

  --out DIR         the folder to write to (created if missing)`;

export const DOCTOR_HELP = `Usage: card-conformance doctor --bank FILE [--bank FILE ...]

Check a bank file before a run and list every problem at once: fields, environment variables,
signing and TLS certificates and keys (match, expiry, chain, PSD2 role), then, only when the
file has no problem, the TLS handshake, the base URL and the consent. Exit 2 on any problem.

  --bank FILE       the bank file to check; repeat for several`;

export const DIFF_HELP = `Usage: card-conformance diff BASE.json CURRENT.json [--out DIR]

Compare two findings.json files (one bank or the combined file of a multi-bank run; banks are
matched by id): per bank new failures, fixed, still failing, newly waived, rules and banks added
and removed. Exit 1 on new failures only, 2 on a usage error (a file missing or not a findings file).

  --out DIR         also write DIR/diff.md and DIR/diff.json`;

export const VALIDATE_HELP = `Usage: card-conformance validate --har FILE [--profile NAME] [--spec FILE] [--out DIR] [--no-report]

Judge recorded traffic (HAR 1.2 from a browser, a proxy or run --har) offline with the same rules
and outputs as run; nothing is sent. Requests that are not card-account calls of the spec are
skipped and counted. A malformed HAR is exit 2 naming the entry.`;

export const MERGE_HELP = `Usage: card-conformance merge SHARD-DIR ... --out DIR [--history DIR [--save-history]] [--no-report]

Merge the output folders of shard runs (run --shard I/N) into one: per-bank and combined
findings.json, junit.xml, summary.md, allure-results/ and one HTML report.`;

export const VERIFY_BUNDLE_HELP = `Usage: card-conformance verify-bundle BUNDLE.zip

Check a certification bundle (run --certify): every file's sha256, the manifest's signature, then
the eligibility verdict. Exit 0 when intact and eligible, 1 otherwise (the changed file is named).`;

export const REPLAY_HELP = `Usage: card-conformance replay [--out DIR] [--bank-id ID] RULE-ID

Re-send the request(s) a failed or broken rule cites, exactly as the run sent them, with a fresh
signature (Digest, Signature, TPP-Signature-Certificate) where the run signed, and print the
bank's answer next to what the run got. The run recorded in DIR/replay.json which bank file and
profile it used (never a secret); replay reads that bank file and its environment variables
again, fills in the masked values (consent id, PSU id, headers the file gives) and, where the run
created its consent, creates one again. Only for runs against a bank file (--bank).

  --out DIR         the run's output folder (default: out)
  --bank-id ID      the bank, when the rule failed for several`;

export const RULES_HELP = `Usage: card-conformance rules [--profile NAME] [--spec FILE] [--json]

List the rules a run generates for the profile (and --spec), the same catalogue run judges:
id, category, severity, mandatory and spec reference; a table, or with --json an array of
{ id, category, severity, mandatory, specRef, endpoint, title }. Ids are what --rule and
--skip-rule match, and what waivers and the run diff key on.

  --profile NAME    ${PROFILES} (default berlin-group)
  --spec FILE       generate the rules from this OpenAPI 3.0/3.1 document instead of the profile's
  --json            a JSON array on stdout`;

export const INIT_HELP = `Usage: card-conformance init --profile NAME [--out FILE] [--force]

Write a commented bank file to start from: the profile's example (specs/profiles/NAME/example-bank.yaml) with
every secret as a \${VARIABLE}. Then run card-conformance doctor --bank FILE: it names what is
still missing (an unset variable, a placeholder URL) and contacts the bank only once the file is
complete. An unknown profile is exit 2.

  --profile NAME    ${PROFILES}
  --out FILE        the file to write (default: NAME-bank.yaml in the current folder)
  --force           replace FILE if it exists (without it, an existing file is exit 2)`;

export const COMPLETION_HELP = `Usage: card-conformance completion bash|zsh

Print a shell completion script (commands, flags, profile names, severities, categories),
generated from the commands' option tables.

  bash:  source <(card-conformance completion bash)
  zsh:   source <(card-conformance completion zsh)   (or save it as _card-conformance in $fpath)`;

export const GLOBAL_USAGE = `${TOOL.name} ${TOOL.version}: conformance tests for PSD2 card-account APIs (Berlin Group NextGenPSD2)

Usage: card-conformance COMMAND [options]     (card-conformance COMMAND --help for one command)

Commands:
  run       run the rules against each bank and write the reports
  sandbox   serve the reference bank on 127.0.0.1 until interrupted
  pki       write a test PKI as PEM
  doctor    check a bank file (and then the bank) before a run
  diff      compare two findings.json files
  replay    re-send a failure's request with a fresh signature and print the answer
  validate  judge recorded traffic (HAR) offline with the same rules
  merge     merge the outputs of shard runs into one report
  verify-bundle  check a certification bundle's hashes, signature and verdict
  rules     list the rules a run generates (id, category, severity, mandatory, spec reference)
  init      write a commented bank file for a profile
  completion  print a bash or zsh completion script

${RUN_HELP}

${SANDBOX_HELP}

${PKI_HELP}

${DOCTOR_HELP}

${DIFF_HELP}

${REPLAY_HELP}

${VALIDATE_HELP}

${MERGE_HELP}

${VERIFY_BUNDLE_HELP}

${RULES_HELP}

${INIT_HELP}

${COMPLETION_HELP}`;
