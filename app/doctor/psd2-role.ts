// The QSealC's eIDAS/PSD2 profile (ETSI TS 119 495; docs/architecture.md "Request signing"): a PSD2 statement with the PSP_AI
// role (card accounts are account information), and a keyUsage that permits signing.
import type { CertificateInfo } from '../../transport/pki/certificate-info.js';
import { OID, PSD2_ROLE_OIDS, psd2RoleName } from '../../transport/pki/oids.js';
import { psd2StatementProblem } from '../../transport/pki/qc-statements.js';
import { fail, pass, warn, type CheckLine } from './types.js';

export function checkPsd2Role(check: string, certificate: CertificateInfo, field: string): CheckLine {
  if (!certificate.hasQcStatements) return fail(check, `${field} has no qcStatements extension: it is not a PSD2 QSealC (no PSD2 roles)`, field);
  if (certificate.qcStatementsError) return fail(check, `${field}: the qcStatements extension does not decode: ${certificate.qcStatementsError}`, field);
  const qc = certificate.qcStatements;
  if (qc?.psd2Error) return fail(check, `${field}: the PSD2 statement does not decode: ${qc.psd2Error}`, field);
  const psd2 = certificate.psd2;
  if (!psd2) return fail(check, `${field} has no PSD2 statement (${OID.psd2Statement}), so no PSD2 role`, field);
  const problem = psd2StatementProblem(psd2);
  if (problem) return fail(check, `${field}: malformed PSD2 statement: ${problem}`, field);
  const roles = psd2.roleEntries.map((r) => psd2RoleName(r.oid) ?? r.name);
  if (!psd2.roleEntries.some((r) => r.oid === PSD2_ROLE_OIDS.PSP_AI)) {
    return fail(check, `${field} has the PSD2 role${roles.length > 1 ? 's' : ''} ${roles.join(', ')}, not PSP_AI: card-account access needs PSP_AI`, field);
  }
  if (qc?.qcTypes.includes(OID.qcTypeWeb)) {
    return warn(check, `${field} has PSP_AI but is a QWAC (QcType web); requests are signed with a QSealC (QcType eseal)`, field);
  }
  return pass(check, `${field} has the PSD2 role${roles.length > 1 ? 's' : ''} ${roles.join(', ')} (NCA ${psd2.ncaId}, ${psd2.ncaName})`);
}

export function checkKeyUsage(check: string, certificate: CertificateInfo, field: string): CheckLine {
  const ku = certificate.keyUsage;
  if (!ku) return warn(check, `${field} has no keyUsage extension (a QSealC has digitalSignature and/or nonRepudiation)`, field);
  if (!ku.digitalSignature && !ku.nonRepudiation)
    return fail(check, `${field} keyUsage permits neither digitalSignature nor nonRepudiation, so it cannot sign requests`, field);
  const names = (['digitalSignature', 'nonRepudiation', 'keyEncipherment'] as const).filter((n) => ku[n]);
  return pass(check, `${field} keyUsage ${names.join(', ')}`);
}
