// `card-conformance init --profile NAME [--out FILE] [--force]`: a commented bank file to start from.
// The profile's example (specs/profiles/<profile>/example-bank.yaml) where there is one, else a small template;
// either way every secret is a ${VARIABLE}, so `doctor` then names what is still to be set.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, relative, resolve } from 'node:path';
import { ConfigError } from '../config/types.js';
import { loadProfile } from '../config/profile.js';
import { projectPath } from '../core/paths.js';

const template = (profile: string): string => `# yaml-language-server: $schema=./bank-file.schema.json
#
# A bank file for the ${profile} profile. Fill in baseUrl and set the variables it names.
# \${NAME} reads the environment; an unset variable stops the run before anything is sent (exit 2).
# Every value read from the environment and the consent id are kept out of all output.

id: my-bank-sandbox             # [a-z0-9-]+, names the bank in every report
profile: ${profile}
baseUrl: https://sandbox.bank.example/psd2

consent:
  id: \${BANK_CONSENT_ID}        # a consent the PSU has already authorised in the sandbox
  # create: true                # instead of id: POST /v1/consents, for sandboxes that auto-approve

# Omit \`signing\` to sign with a test QSealC generated for the run.
# signing:
#   certificate: certs/qseal.pem
#   key: certs/qseal.key

limits:
  concurrency: 2
  requestsPerSecond: 2
  timeoutMs: 15000
`;

/** The example or template for `profile`, pointed at the schema and named as the file it becomes. */
function bankFileText(profile: string, example: string | undefined, out: string): string {
  let text = example ? readFileSync(example, 'utf8') : template(profile);
  // The schema comment and the example's own name, as seen from where the file is written.
  const schema = relative(dirname(out), projectPath('banks', 'bank-file.schema.json')) || 'bank-file.schema.json';
  text = text.replace(/^# yaml-language-server: \$schema=.*$/m, `# yaml-language-server: $schema=${schema}`);
  if (example) text = text.split(relative(projectPath(), example)).join(basename(out));
  const header = `# Written by card-conformance init --profile ${profile}; check it with: card-conformance doctor --bank ${basename(out)}`;
  // After the schema line, which editors look for at the top.
  const cut = text.indexOf('\n') + 1;
  return `${text.slice(0, cut)}${header}\n${text.slice(cut)}`;
}

export function writeBankFileTemplate(opts: { profile?: string; out?: string; force: boolean }): string {
  if (!opts.profile) throw new ConfigError('--profile', undefined, 'required: the profile the bank follows (card-conformance init --help)');
  const { name: profile, exampleBank } = loadProfile(opts.profile, '--profile'); // an unknown profile is exit 2, naming the known ones
  const out = resolve(opts.out ?? `${profile}-bank.yaml`);
  if (existsSync(out)) {
    if (statSync(out).isDirectory()) throw new ConfigError('--out', undefined, `${out} is a folder; name the file to write`);
    if (!opts.force) throw new ConfigError('--out', undefined, `${out} exists; --force replaces it`);
  }
  if (!existsSync(dirname(out))) throw new ConfigError('--out', undefined, `${dirname(out)}: no such folder`);
  writeFileSync(out, bankFileText(profile, exampleBank, out), { encoding: 'utf8', mode: 0o644 });
  return out;
}
