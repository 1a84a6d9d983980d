// `run --certify`: what the certification bundle is made of, gathered from the run.
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BankConfig } from '../../config/types.js';
import { ConfigError } from '../../config/types.js';
import { readConfigFile } from '../../core/fs/read-bounded.js';
import type { Exchange, FindingsFile, RuleMeta, UntestableBank } from '../../core/model.js';
import { TOOL } from '../../core/paths.js';
import type { Redactor } from '../../core/redact.js';
import { eligibility, sha256, writeBundle, type BankEvidence, type Manifest } from '../../reporters/bundle/bundle.js';
import { buildHar } from '../../reporters/bundle/har.js';

export interface SigningMaterial {
  keyPem?: string;
  certPem?: string;
}

const MAX_PEM_BYTES = 1024 * 1024;

/** Read and checked before anything is sent: a bad key is a configuration error (exit 2). */
export function readSigningMaterial(keyPath: string | undefined, certPath: string | undefined): SigningMaterial {
  if (!keyPath) {
    if (certPath) throw new ConfigError('--sign-cert', undefined, 'needs --sign-key (the private key of the certificate)');
    return {};
  }
  const keyPem = readConfigFile(keyPath, { source: '--sign-key', field: undefined, maxBytes: MAX_PEM_BYTES });
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch (e) {
    throw new ConfigError(keyPath, undefined, `not a readable unencrypted private key (PEM): ${(e as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new ConfigError(keyPath, undefined, `a ${key.asymmetricKeyType ?? 'non-RSA'} key; the manifest is signed RS256, which needs an RSA key`);
  if (!certPath) return { keyPem };
  const certPem = readConfigFile(certPath, { source: '--sign-cert', field: undefined, maxBytes: MAX_PEM_BYTES });
  let cert;
  try {
    cert = new X509Certificate(certPem);
  } catch (e) {
    throw new ConfigError(certPath, undefined, `not a readable certificate (PEM): ${(e as Error).message}`);
  }
  if (!cert.checkPrivateKey(key)) throw new ConfigError(certPath, undefined, `does not belong to the key ${keyPath}`);
  return { keyPem, certPem };
}

export interface CertifyInput {
  /** The staging folder with the finished outputs. */
  dir: string;
  findings: FindingsFile[];
  untestable: UntestableBank[];
  interrupted: boolean;
  startedAt: string;
  finishedAt: string;
  signing: SigningMaterial;
  redactor: Redactor;
  banks: Array<{
    config: BankConfig;
    builtIn: boolean;
    profile: string;
    catalogue: { spec: { title: string; version: string; file: string }; rules: RuleMeta[] };
    exchanges: Exchange[];
  }>;
}

/** Every file of the output folder that belongs in the bundle (not the Allure raw results). */
function outputs(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const add = (rel: string): void => {
    const p = join(dir, rel);
    if (existsSync(p)) files[rel] = readFileSync(p, 'utf8');
  };
  for (const name of ['findings.json', 'junit.xml', 'summary.md', 'diff.json', 'allure-report/index.html']) add(name);
  for (const name of readdirSync(dir, { withFileTypes: true })) {
    if (name.isDirectory() && existsSync(join(dir, name.name, 'findings.json'))) add(`${name.name}/findings.json`);
  }
  return files;
}

export function writeCertificationBundle(input: CertifyInput): Manifest {
  const { redactor } = input;
  const evidence: BankEvidence[] = input.banks.map((b) => ({
    id: b.config.id,
    profile: b.profile,
    mandatoryRules: b.catalogue.rules.filter((r) => r.mandatory).map((r) => r.id),
    // The bank file as written (placeholders, not the environment's values), with any secret it holds masked.
    ...(b.builtIn ? {} : { bankFileSha256: sha256(redactor.redactText(readFileSync(b.config.source, 'utf8'))) }),
    spec: { title: b.catalogue.spec.title, version: b.catalogue.spec.version, sha256: sha256(readFileSync(b.catalogue.spec.file)) },
  }));
  const files = outputs(input.dir);
  const har = buildHar(
    input.banks.map((b) => ({ id: b.config.id, exchanges: b.exchanges })),
    redactor,
    TOOL,
    input.startedAt,
  );
  // The final text goes through the redactor too, as every other output does.
  files['exchanges.har'] = redactor.redactJsonText(`${JSON.stringify(har, null, 2)}\n`);
  const verdict = eligibility(evidence, input.findings, input.untestable, input.interrupted);
  if (!files['allure-report/index.html']) {
    verdict.reasons.push('the HTML report is missing');
    verdict.eligible = false;
  }
  return writeBundle(
    join(input.dir, 'certification-bundle.zip'),
    {
      files,
      banks: evidence,
      tool: TOOL,
      startedAt: input.startedAt,
      finishedAt: input.finishedAt,
      interrupted: input.interrupted,
      eligibility: verdict,
      signKeyPem: input.signing.keyPem,
      signCertPem: input.signing.certPem,
    },
    redactor,
  );
}
