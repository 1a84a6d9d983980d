// The private key belongs to the certificate: both carry the same public key.
// A mismatch would make every signature (or the TLS handshake) fail at the bank.
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { CertificateInfo } from '../../transport/pki/certificate-info.js';
import { fail, pass, type CheckLine } from './types.js';

export function checkKeyMatch(check: string, certificate: CertificateInfo, key: KeyObject, fields: { certificate: string; key: string }): CheckLine {
  const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
  const fromCertificate = certificate.publicKey.export({ type: 'spki', format: 'der' });
  if (!fromKey.equals(fromCertificate)) {
    return fail(check, `${fields.key} does not belong to ${fields.certificate}: their public keys differ`, fields.key);
  }
  const details = key.asymmetricKeyDetails;
  const size = details?.modulusLength ? ` ${details.modulusLength}` : details?.namedCurve ? ` ${details.namedCurve}` : '';
  return pass(check, `${fields.key} belongs to ${fields.certificate} (${(key.asymmetricKeyType ?? 'key').toUpperCase()}${size})`);
}
