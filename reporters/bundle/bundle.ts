// The certification bundle (`run --certify`): one zip with the run's findings, JUnit, summary, the
// HTML report, a HAR 1.2 of every exchange and a manifest (sha256 of every file, tool, spec,
// profile, the bank file's hash, times and the eligibility verdict), signed as a JWS when the user
// names a key. Every entry's text has passed through the run's redactor. `verify-bundle` checks it.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { strToU8, zipSync, type Zippable } from 'fflate';
import type { FindingsFile, UntestableBank } from '../../core/model.js';
import type { Redactor } from '../../core/redact.js';
import { signJws } from './jws.js';

export const BUNDLE_FORMAT = 'card-conformance certification bundle 1';
export const MANIFEST = 'manifest.json';
export const MANIFEST_JWS = 'manifest.jws';

export const sha256 = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

export interface Eligibility {
  eligible: boolean;
  /** Why not (empty when eligible). */
  reasons: string[];
}

export interface BankEvidence {
  id: string;
  profile: string;
  /** Every mandatory rule of the bank's catalogue. */
  mandatoryRules: string[];
  /** sha256 of the bank file with its secrets masked; absent for the built-in reference bank. */
  bankFileSha256?: string;
  spec: { title: string; version: string; sha256: string };
}

export interface Manifest {
  format: string;
  tool: { name: string; version: string };
  spec: { title: string; version: string; sha256: string };
  profiles: string[];
  banks: Array<{ id: string; profile: string; bankFileSha256: string | null; spec: BankEvidence['spec'] }>;
  startedAt: string;
  finishedAt: string;
  interrupted: boolean;
  eligibility: Eligibility;
  /** sha256 (hex) of every other file in the bundle, by path. */
  files: Record<string, string>;
  signature: 'JWS RS256 (manifest.jws)' | 'unsigned';
}

/** Eligible: every mandatory rule present and passed for every bank, no waiver on one, the run complete. */
export function eligibility(banks: BankEvidence[], findings: FindingsFile[], untestable: UntestableBank[], interrupted: boolean): Eligibility {
  const reasons: string[] = [];
  if (interrupted) reasons.push('the run was interrupted');
  for (const u of untestable) reasons.push(`${u.id}: could not be tested (${u.reason})`);
  for (const b of banks) {
    const file = findings.find((f) => f.bank.id === b.id);
    if (!file) continue; // untestable, said above
    const byId = new Map(file.results.map((r) => [r.ruleId, r]));
    const missing = b.mandatoryRules.filter((id) => !byId.has(id));
    if (missing.length)
      reasons.push(
        `${b.id}: ${missing.length} mandatory rule${missing.length === 1 ? '' : 's'} not judged (${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ', …' : ''})`,
      );
    const notPassed = b.mandatoryRules.flatMap((id) => {
      const r = byId.get(id);
      return r && r.status !== 'passed' ? [r] : [];
    });
    if (notPassed.length)
      reasons.push(
        `${b.id}: ${notPassed.length} mandatory rule${notPassed.length === 1 ? '' : 's'} not passed (${notPassed
          .slice(0, 3)
          .map((r) => `${r.ruleId} ${r.status}`)
          .join(', ')}${notPassed.length > 3 ? ', …' : ''})`,
      );
    const waived = file.results.filter((r) => r.mandatory && r.waived);
    if (waived.length) reasons.push(`${b.id}: a waiver covers ${waived.length} mandatory rule${waived.length === 1 ? '' : 's'}`);
  }
  return { eligible: reasons.length === 0, reasons };
}

export interface BundleInput {
  /** Path inside the bundle → text (already redacted outputs, or text to redact). */
  files: Record<string, string>;
  banks: BankEvidence[];
  tool: { name: string; version: string };
  startedAt: string;
  finishedAt: string;
  interrupted: boolean;
  eligibility: Eligibility;
  /** PEM: the RSA key that signs the manifest, and optionally its certificate. */
  signKeyPem?: string;
  signCertPem?: string;
}

/** Writes the zip to `path` and returns the manifest. */
export function writeBundle(path: string, input: BundleInput, redactor: Redactor): Manifest {
  const entries: Zippable = {};
  const hashes: Record<string, string> = {};
  for (const [name, text] of Object.entries(input.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    // JSON stays JSON (numbers kept); everything else as text. The HTML report was redacted when written.
    const safe = name.endsWith('.json') || name.endsWith('.har') ? redactor.redactJsonText(text) : name.endsWith('.html') ? text : redactor.redactText(text);
    const bytes = strToU8(safe);
    entries[name] = bytes;
    hashes[name] = sha256(bytes);
  }
  const first = input.banks[0];
  const manifest: Manifest = {
    format: BUNDLE_FORMAT,
    tool: input.tool,
    spec: first?.spec ?? { title: 'unknown', version: 'unknown', sha256: '' },
    profiles: [...new Set(input.banks.map((b) => b.profile))],
    banks: input.banks.map((b) => ({ id: b.id, profile: b.profile, bankFileSha256: b.bankFileSha256 ?? null, spec: b.spec })),
    startedAt: input.startedAt,
    finishedAt: input.finishedAt,
    interrupted: input.interrupted,
    eligibility: input.eligibility,
    files: hashes,
    signature: input.signKeyPem ? 'JWS RS256 (manifest.jws)' : 'unsigned',
  };
  const manifestBytes = strToU8(redactor.redactJsonText(`${JSON.stringify(manifest, null, 2)}\n`));
  entries[MANIFEST] = manifestBytes;
  if (input.signKeyPem) entries[MANIFEST_JWS] = strToU8(`${signJws(Buffer.from(manifestBytes), input.signKeyPem, input.signCertPem)}\n`);
  // A fixed date keeps the archive reproducible from the same files; the manifest holds the real times.
  const zip = zipSync(entries, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
  writeFileSync(path, zip);
  return manifest;
}
