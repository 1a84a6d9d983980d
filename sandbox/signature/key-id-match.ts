// Does a keyId name this certificate? SN compared as a number, CA as a set of RDNs, so every
// correct formatting variant is accepted (S22) and only wrong values are refused (S20, S21).
import type { CertificateInfo } from '../../transport/pki/certificate-info.js';
import { sameDnAttributes } from '../../transport/pki/dn.js';
import { serialToBigInt } from '../../transport/pki/serial.js';
import { parseKeyId } from '../../transport/signing/key-id.js';

export type KeyIdMatch = { ok: true } | { ok: false; text: string };

export function matchKeyId(keyId: string, cert: Pick<CertificateInfo, 'serialHex' | 'issuerRdns'>): KeyIdMatch {
  const parsed = parseKeyId(keyId);
  if (!parsed.ok) return { ok: false, text: parsed.error };
  const serial = serialToBigInt(cert.serialHex);
  if (!parsed.value.serialCandidates.includes(serial)) {
    return { ok: false, text: `keyId serial ${parsed.value.serialText} is not the certificate's serial` };
  }
  if (parsed.value.ca && !sameDnAttributes(parsed.value.ca, cert.issuerRdns)) {
    return { ok: false, text: "keyId CA is not the certificate's issuer" };
  }
  return { ok: true };
}
