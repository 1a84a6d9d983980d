// How a run signs for a given profile and bank, whatever certificate it uses (the bank file's
// QSealC or the run's test QSealC): the profile decides the signed header list and the keyId
// format; a bank file's explicit signing.keyIdFormat / signing.signDate override them per bank.
import type { BankConfig, KeyIdFormat } from '../../config/types.js';
import type { ProfileSigning } from '../../config/profile-headers.js';

export interface SigningChoices {
  keyIdFormat: KeyIdFormat;
  signDate: boolean;
  signedHeaders?: readonly string[];
  signedWhenPresent?: readonly string[];
}

/**
 * The keyId format and signed headers for one bank. `fallback` is what applies when neither the
 * bank file nor the profile says (the bank file's loaded defaults, or the test QSealC's).
 */
export function signingChoices(
  profile: { signing: ProfileSigning },
  bank: Pick<BankConfig, 'signingOverrides'> | undefined,
  fallback: { keyIdFormat: KeyIdFormat; signDate: boolean },
): SigningChoices {
  const p = profile.signing;
  const o = bank?.signingOverrides ?? {};
  const choices: SigningChoices = {
    keyIdFormat: o.keyIdFormat ?? p.keyIdFormat ?? fallback.keyIdFormat,
    signDate: o.signDate ?? (p.signedHeaders ? p.signedHeaders.includes('date') : fallback.signDate),
  };
  if (p.signedHeaders) choices.signedHeaders = p.signedHeaders;
  if (p.signedWhenPresent) choices.signedWhenPresent = p.signedWhenPresent;
  return choices;
}
