// `card-conformance verify-bundle FILE`: every file's sha256 against the manifest, no file missing
// or added, and the manifest's JWS signature; then the eligibility verdict the manifest states.
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync } from 'fflate';
import { BUNDLE_FORMAT, MANIFEST, MANIFEST_JWS, sha256, type Manifest } from './bundle.js';
import { verifyJws } from './jws.js';
import { errorMessage } from '../../core/errors.js';

export interface BundleCheck {
  /** Every hash matches and the signature (if any) is good. */
  intact: boolean;
  signed: boolean;
  signer?: string;
  problems: string[];
  manifest?: Manifest;
}

export function verifyBundle(path: string): BundleCheck {
  const problems: string[] = [];
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(new Uint8Array(readFileSync(path)));
  } catch (e) {
    return { intact: false, signed: false, problems: [`${path}: not a readable zip archive (${errorMessage(e)})`] };
  }
  const manifestBytes = files[MANIFEST];
  if (!manifestBytes) return { intact: false, signed: false, problems: [`${MANIFEST}: missing`] };
  let manifest: Manifest;
  try {
    // why the cast: the manifest's fields are checked one by one below
    manifest = JSON.parse(strFromU8(manifestBytes)) as Manifest;
  } catch {
    return { intact: false, signed: false, problems: [`${MANIFEST}: not JSON`] };
  }
  if (manifest.format !== BUNDLE_FORMAT || !manifest.files || typeof manifest.files !== 'object')
    return { intact: false, signed: false, problems: [`${MANIFEST}: not a certification manifest`] };
  for (const [name, hash] of Object.entries(manifest.files)) {
    const bytes = files[name];
    if (!bytes) problems.push(`${name}: listed in the manifest but missing`);
    else if (sha256(bytes) !== hash) problems.push(`${name}: changed (sha256 ${sha256(bytes)}, manifest says ${hash})`);
  }
  for (const name of Object.keys(files)) {
    if (name !== MANIFEST && name !== MANIFEST_JWS && !(name in manifest.files)) problems.push(`${name}: not listed in the manifest`);
  }
  const jws = files[MANIFEST_JWS];
  let signer: string | undefined;
  if (jws) {
    const check = verifyJws(strFromU8(jws), Buffer.from(manifestBytes));
    signer = check.signer;
    if (!check.ok) problems.push(`${MANIFEST_JWS}: ${check.reason}`);
  } else if (manifest.signature !== 'unsigned') problems.push(`${MANIFEST_JWS}: missing, but the manifest says it is signed`);
  return { intact: problems.length === 0, signed: Boolean(jws), ...(signer ? { signer } : {}), problems, manifest };
}

export function renderBundleCheck(path: string, c: BundleCheck): string {
  const out = [`${path}:`];
  if (c.manifest) {
    const m = c.manifest;
    out.push(`  ${m.tool.name} ${m.tool.version}; ${m.spec.title} ${m.spec.version} (sha256 ${m.spec.sha256}); profile ${m.profiles.join(', ')}`);
    out.push(
      `  banks: ${m.banks.map((b) => `${b.id}${b.bankFileSha256 ? ` (bank file sha256 ${b.bankFileSha256})` : ' (built-in reference bank)'}`).join('; ')}`,
    );
    out.push(`  run: ${m.startedAt} → ${m.finishedAt}${m.interrupted ? ' (interrupted)' : ''}; ${Object.keys(m.files).length} files`);
  }
  out.push(
    c.signed
      ? `  signature: ${c.problems.some((p) => p.startsWith(MANIFEST_JWS)) ? 'INVALID' : 'valid'}${c.signer ? `, signed by ${c.signer}` : ''}`
      : '  signature: none (unsigned bundle: the hashes prove integrity only against the manifest itself)',
  );
  for (const p of c.problems) out.push(`  FAILED ${p}`);
  if (!c.intact) out.push('Verdict: NOT INTACT: the bundle was changed after it was written; its verdict cannot be trusted');
  else if (c.manifest?.eligibility.eligible) out.push('Verdict: intact; ELIGIBLE for certification');
  else out.push(`Verdict: intact; NOT ELIGIBLE: ${c.manifest?.eligibility.reasons.join('; ')}`);
  return out.join('\n');
}
