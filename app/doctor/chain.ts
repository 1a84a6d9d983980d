// Who issued a certificate. With a CA in tls.ca the chain is verified up to it; without one
// only self-signed certificates are worth a remark (no bank accepts them in production).
import type { CertificateInfo } from '../../transport/pki/certificate-info.js';
import { describeName } from './pem.js';
import { fail, pass, skip, warn, type CheckLine } from './types.js';

const MAX_DEPTH = 8;

const signs = (issuer: CertificateInfo, child: CertificateInfo): boolean => child.x509.checkIssued(issuer.x509) && child.x509.verify(issuer.publicKey);

/**
 * `intermediates` are the further certificates of the certificate's own file;
 * `cas` the certificates of tls.ca (undefined when there is none).
 */
export function checkChain(
  check: string,
  leaf: CertificateInfo,
  intermediates: CertificateInfo[],
  cas: CertificateInfo[] | undefined,
  field: string,
): CheckLine {
  const issuerName = describeName(leaf.issuerRdns);
  if (leaf.selfIssued && leaf.x509.verify(leaf.publicKey)) {
    const trusted = cas?.some((ca) => ca.der.equals(leaf.der));
    if (trusted) return pass(check, `${field} is self-signed and itself in tls.ca`);
    return warn(check, `${field} is self-signed (${issuerName}); banks accept only certificates issued by a QTSP or their sandbox CA`, field);
  }
  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    const ca = cas?.find((c) => signs(c, current));
    if (ca)
      return pass(
        check,
        `${field} chains to ${describeName(ca.subjectRdns)} in tls.ca${depth > 0 ? ` through ${depth} intermediate${depth > 1 ? 's' : ''}` : ''}`,
      );
    const next = intermediates.find((c) => c !== current && signs(c, current));
    if (!next) break;
    current = next;
  }
  // Names match but the signature does not: the certificate was not really issued by that CA.
  const impostor = cas?.find((c) => current.x509.checkIssued(c.x509));
  if (impostor)
    return fail(check, `${field} names ${describeName(impostor.subjectRdns)} (tls.ca) as its issuer, but that CA's key does not verify its signature`, field);
  if (!cas) return skip(check, `${field} issued by ${issuerName}; not verified (no tls.ca to verify against)`);
  return warn(check, `${field} is not issued by tls.ca (issuer ${describeName(current.issuerRdns)}); fine if the bank trusts that issuer`, field);
}
