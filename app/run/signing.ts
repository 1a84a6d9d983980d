import type { BankConfig } from '../../config/types.js';
import { decryptedKeyPem } from '../../config/private-key.js';
import { ConfigError } from '../../config/types.js';
import { FILE_CAPS, readConfigFile } from '../../core/fs/read-bounded.js';
import type { RequestSigner } from '../../transport/http/types.js';
import type { TestPki } from '../../transport/pki/generate.js';
import type { Profile } from '../../config/profile.js';
import type { SigningMaterial } from '../../transport/signing/fault-signer.js';
import { createSigner } from '../../transport/signing/signer.js';
import { signingChoices } from '../../transport/signing/profile-signing.js';

export interface RunSigning {
  material: SigningMaterial;
  signer: RequestSigner;
  /** The generated PKI, when the run signs with it. */
  pki?: TestPki;
  /** Whether the bank mandates signing, so the rejection suite applies. */
  rejectionSuite: boolean;
}

/**
 * What a bank's requests are signed with: the bank file's QSealC, or else the QSealC generated
 * for the run. The rejection suite runs where signing is mandated: the embedded reference bank,
 * a bank file with `signing.required: true` (whatever its profile says), and profiles that say so.
 * A key that does not belong to its certificate is a configuration error.
 */
export function signingFor(bank: BankConfig | undefined, profile: Profile, pki: () => TestPki): RunSigning {
  if (bank?.signing) {
    const s = bank.signing;
    const read = (file: string, field: string): string => readConfigFile(file, { source: bank.source, field, maxBytes: FILE_CAPS.pem });
    // An encrypted key is opened here, in memory; the signer only ever sees the plain key.
    const key = decryptedKeyPem(read(s.key, 'signing.key'), s.keyPassphrase, s.key);
    if (!key.ok) throw new ConfigError(bank.source, key.field, key.detail);
    const material: SigningMaterial = {
      certPem: read(s.certificate, 'signing.certificate'),
      keyPem: key.pem,
      ...signingChoices(profile, bank, s),
      signRequestTarget: s.signRequestTarget,
      digestAlgorithm: s.digestAlgorithm,
    };
    return { material, signer: signerOf(material, bank.source), rejectionSuite: mandated(bank, profile) };
  }
  // docs/architecture.md "Request signing": without a signing section, a test QSealC is generated for the run. Sandboxes that
  // accept any well-formed certificate take it; others answer with a signature error the run reports.
  const generated = pki();
  const material: SigningMaterial = {
    certPem: generated.qseal.certPem,
    keyPem: generated.qseal.keyPem,
    ...signingChoices(profile, bank, { keyIdFormat: 'bg-example', signDate: false }),
    signRequestTarget: false,
    digestAlgorithm: 'SHA-256',
  };
  // The embedded bank trusts the generated root; a real bank mandating signing will not, but is told so by the results.
  return { material, signer: signerOf(material, bank?.source ?? 'built-in'), pki: generated, rejectionSuite: !bank || mandated(bank, profile) };
}

/** The bank file has the last word: `signing.required: true` mandates signing under any profile. */
function mandated(bank: BankConfig, profile: Profile): boolean {
  return bank.signingRequired || profile.signing.required;
}

function signerOf(m: SigningMaterial, source: string): RequestSigner {
  try {
    return createSigner({
      certificatePem: m.certPem,
      keyPem: m.keyPem,
      keyIdFormat: m.keyIdFormat,
      signDate: m.signDate,
      signRequestTarget: m.signRequestTarget,
      digestAlgorithm: m.digestAlgorithm,
      signedHeaders: m.signedHeaders,
      signedWhenPresent: m.signedWhenPresent,
    });
  } catch (e) {
    throw new ConfigError(source, 'signing', (e as Error).message);
  }
}
