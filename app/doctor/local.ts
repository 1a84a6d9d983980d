// The checks that need nothing but the files: certificates and keys parse, belong together and
// are in date (and, for the doctor, chain, PSD2 role and key usage). `run` does the cheap part
// before it sends anything, so a wrong key is exit 2 instead of a run full of 401s.
import type { BankConfig } from '../../config/types.js';
import { ConfigError } from '../../config/types.js';
import type { CertificateInfo } from '../../transport/pki/certificate-info.js';
import { checkChain } from './chain.js';
import { checkExpiry } from './expiry.js';
import { checkKeyMatch } from './key-match.js';
import { describeName, readCertificates, readPrivateKey } from './pem.js';
import { checkKeyUsage, checkPsd2Role } from './psd2-role.js';
import { fail, pass, skip, type CheckLine } from './types.js';

export interface LocalCheckOptions {
  now?: Date;
  /** Also chain, PSD2 role and key usage (the doctor); without it: files, key match, expiry (a run). */
  full?: boolean;
  /** Why a section cannot be checked (the doctor's broken fields), or undefined. */
  unusable?: (section: 'signing' | 'tls') => string | undefined;
}

interface Pair {
  label: 'signing' | 'TLS client';
  certificate: string;
  key: string;
  /** Passphrase of an encrypted key (signing.keyPassphrase). */
  keyPassphrase?: string;
  fields: { certificate: string; key: string };
  /** A QSealC: its PSD2 role and key usage are checked too. */
  seal: boolean;
}

export function localChecks(config: BankConfig, options: LocalCheckOptions = {}): CheckLine[] {
  const now = options.now ?? new Date();
  const full = options.full ?? false;
  const lines: CheckLine[] = [];

  const tlsUnusable = options.unusable?.('tls');
  let cas: CertificateInfo[] | undefined;
  if (config.tls?.ca && !tlsUnusable) {
    const read = readCertificates(config.tls.ca);
    if (!read.ok) lines.push(fail('TLS CA', read.error, 'tls.ca'));
    else {
      cas = read.value;
      if (full) lines.push(pass('TLS CA', `tls.ca holds ${cas.map((c) => describeName(c.subjectRdns)).join('; ')}`));
    }
  }

  const signingUnusable = options.unusable?.('signing');
  if (signingUnusable) lines.push(skip('signing', `not checked: ${signingUnusable}`));
  else if (config.signing) {
    const { certificate, key, keyPassphrase } = config.signing;
    lines.push(
      ...pairChecks(
        { label: 'signing', certificate, key, keyPassphrase, fields: { certificate: 'signing.certificate', key: 'signing.key' }, seal: true },
        cas,
        now,
        full,
      ),
    );
  } else if (full)
    lines.push(skip('signing', 'no signing section: requests are signed only where the profile requires it, with a test QSealC generated for the run'));

  if (tlsUnusable) lines.push(skip('TLS client certificate', `not checked: ${tlsUnusable}`));
  else if (config.tls?.certificate && config.tls.key) {
    const { certificate, key } = config.tls;
    lines.push(
      ...pairChecks({ label: 'TLS client', certificate, key, fields: { certificate: 'tls.certificate', key: 'tls.key' }, seal: false }, cas, now, full),
    );
  } else if (full) lines.push(skip('TLS client certificate', 'none (no tls.certificate): no mutual TLS'));
  return lines;
}

function pairChecks(pair: Pair, cas: CertificateInfo[] | undefined, now: Date, full: boolean): CheckLine[] {
  const lines: CheckLine[] = [];
  const certs = readCertificates(pair.certificate);
  const key = readPrivateKey(pair.key, pair.keyPassphrase);
  if (!certs.ok) lines.push(fail(`${pair.label} certificate`, certs.error, pair.fields.certificate));
  // An encrypted key that does not open is the passphrase's fault, where the bank file has one.
  if (!key.ok) lines.push(fail(`${pair.label} key`, key.error, key.passphraseProblem && pair.label === 'signing' ? 'signing.keyPassphrase' : pair.fields.key));
  if (!certs.ok) return lines;
  const [leaf, ...intermediates] = certs.value;
  if (!leaf) return [...lines, fail(`${pair.label} certificate`, 'no certificate in the file', pair.fields.certificate)];
  if (key.ok) lines.push(checkKeyMatch(`${pair.label} key`, leaf, key.value, pair.fields));
  lines.push(checkExpiry(`${pair.label} certificate`, leaf, pair.fields.certificate, now));
  if (full) {
    lines.push(checkChain(`${pair.label} certificate chain`, leaf, intermediates, cas, pair.fields.certificate));
    if (pair.seal) {
      lines.push(checkPsd2Role('signing certificate PSD2 role', leaf, pair.fields.certificate));
      lines.push(checkKeyUsage('signing certificate key usage', leaf, pair.fields.certificate));
    }
  }
  return lines;
}

/**
 * For `run`: the bank file's certificates and keys parse, belong together and are in date.
 * Throws a ConfigError (exit 2, one line naming the file and field) for the first problem.
 */
export function assertLocalConfig(config: BankConfig, now = new Date()): BankConfig {
  const problem = localChecks(config, { now }).find((l) => l.status === 'fail');
  if (problem) {
    const field = problem.field;
    // The line starts with the field ("signing.key does not belong…"); the ConfigError names it already.
    const detail = field && problem.message.startsWith(field) ? problem.message.slice(field.length).replace(/^:?\s*/, '') : problem.message;
    throw new ConfigError(config.source, field, `${detail} (card-conformance doctor --bank FILE checks the whole file)`);
  }
  return config;
}
