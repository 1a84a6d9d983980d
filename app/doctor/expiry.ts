// Validity period: expired or not yet valid is a problem; expiring soon is a warning, so a
// nightly run does not start failing by surprise.
import type { CertificateInfo } from '../../transport/pki/certificate-info.js';
import { isoDay } from './pem.js';
import { fail, pass, warn, type CheckLine } from './types.js';

export const EXPIRY_WARNING_DAYS = 30;
const DAY = 86_400_000;

export function checkExpiry(check: string, certificate: CertificateInfo, field: string, now: Date): CheckLine {
  const { notBefore, notAfter } = certificate;
  if (notAfter.getTime() < now.getTime()) return fail(check, `${field} expired on ${isoDay(notAfter)}`, field);
  if (notBefore.getTime() > now.getTime()) return fail(check, `${field} is not valid before ${isoDay(notBefore)}`, field);
  const days = Math.floor((notAfter.getTime() - now.getTime()) / DAY);
  if (days < EXPIRY_WARNING_DAYS) return warn(check, `${field} expires in ${days} day${days === 1 ? '' : 's'} (${isoDay(notAfter)})`, field);
  return pass(check, `${field} valid until ${isoDay(notAfter)} (${days} days)`);
}
