// The per-run test PKI: a root CA, a valid QSealC, a QWAC for mTLS, a server certificate for the
// sandbox's HTTPS, and one certificate per fault for the rejection suite (rules/kinds/support/signature-cases.ts).
// Nothing is cached on disk; keys are generated afresh for every call.
import { issueCertificate, type CertificateIssuer, type IssueSpec, type NameAttributeSpec } from './certificate-builder.js';
import { generateRsaKeyPair, type KeyPair } from './keys.js';
import { OID } from './oids.js';
import { psd2Roles, type Psd2StatementSpec, type QcStatementsSpec } from './qc-statements.js';

export interface PkiEntry {
  certPem: string;
  keyPem: string;
  /** Lower-case hex, no leading zeros. */
  serialHex: string;
}

export const BAD_CERTIFICATE_IDS = [
  'expired',
  'not-yet-valid',
  'self-signed',
  'rogue-ca',
  'no-qc-statements',
  'no-psd2-statement',
  'no-psp-ai',
  'revoked',
  'blocked',
  'key-encipherment-only',
  'no-organization-identifier',
  'qwac-as-seal',
  'role-name-mismatch',
  'empty-roles',
  'malformed-nca-id',
] as const;
export type BadCertificateId = (typeof BAD_CERTIFICATE_IDS)[number];

/** What the reference bank answers to a request otherwise validly signed with this certificate. */
export type ExpectedVerdict = { status: 401; code: string } | 'accepted';

export interface BadCertificate extends PkiEntry {
  id: BadCertificateId;
  /** The single fault this certificate carries, in words. */
  fault: string;
  expected: ExpectedVerdict;
}

export interface TestPki {
  createdAt: string;
  tppName: string;
  organizationIdentifier: string;
  /** The root CA certificate the sandbox trusts. */
  rootCaPem: string;
  /** Root CA certificate and key (the key lets callers issue further test certificates). */
  root: PkiEntry;
  /** An untrusted CA; issued the `rogue-ca` certificate. */
  rogueCa: PkiEntry;
  /** The valid QSealC (PSP_AI + PSP_PI): the positive control for signing. */
  qseal: PkiEntry;
  /** QWAC for mTLS: QcType web, EKU serverAuth+clientAuth, SAN localhost / 127.0.0.1. */
  qwac: PkiEntry;
  /** The sandbox's HTTPS server certificate (SAN localhost / 127.0.0.1). */
  server: PkiEntry;
  bad: Record<BadCertificateId, BadCertificate>;
  /** Serials the sandbox treats as revoked / blocked (lower-case hex, no leading zeros). */
  revokedSerials: string[];
  blockedSerials: string[];
}

export interface GenerateOptions {
  /** The moment validity periods are computed from (default: now). */
  now?: Date;
  /** The TPP's organisation name (default "Testbank Åsane TPP AS": non-ASCII on purpose). */
  tppName?: string;
  /** organizationIdentifier (default "PSDNO-FSA-987654321"). */
  orgId?: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const attr = (oid: string, value: string): NameAttributeSpec => ({ oid, value });
const C = '2.5.4.6';
const O = '2.5.4.10';
const CN = '2.5.4.3';

const PSD2_NO = (roles: Psd2StatementSpec['roles']): Psd2StatementSpec => ({ roles, ncaName: 'Finanstilsynet', ncaId: 'NO-FSA' });

export function generateTestPki(options: GenerateOptions = {}): TestPki {
  const now = options.now ?? new Date();
  const tppName = options.tppName ?? 'Testbank Åsane TPP AS';
  const orgId = options.orgId ?? 'PSDNO-FSA-987654321';
  const at = (offsetMs: number): Date => new Date(now.getTime() + offsetMs);
  const valid = { notBefore: at(-HOUR), notAfter: at(365 * DAY) };

  // Six keys in all: the bad certificates share one, since none of their faults is about the key.
  const rootKey = generateRsaKeyPair();
  const rogueKey = generateRsaKeyPair();
  const sealKey = generateRsaKeyPair();
  const qwacKey = generateRsaKeyPair();
  const serverKey = generateRsaKeyPair();
  const badKey = generateRsaKeyPair();

  const caValidity = { notBefore: at(-DAY), notAfter: at(10 * 365 * DAY) };
  const rootSubject = [attr(C, 'NO'), attr(O, 'Card Conformance Test QTSP'), attr(CN, 'Card Conformance Test Root CA')];
  const root = issueCertificate({
    subject: rootSubject,
    publicKey: rootKey.publicKey,
    issuer: { subject: rootSubject, privateKey: rootKey.privateKey },
    ...caValidity,
    ca: true,
  });
  const rogueSubject = [attr(C, 'NO'), attr(O, 'Rogue Test QTSP'), attr(CN, 'Rogue Test Root CA')];
  const rogue = issueCertificate({
    subject: rogueSubject,
    publicKey: rogueKey.publicKey,
    issuer: { subject: rogueSubject, privateKey: rogueKey.privateKey },
    ...caValidity,
    ca: true,
  });
  const rootIssuer: CertificateIssuer = { subject: rootSubject, privateKey: rootKey.privateKey, keyIdentifier: root.keyIdentifier };
  const rogueIssuer: CertificateIssuer = { subject: rogueSubject, privateKey: rogueKey.privateKey, keyIdentifier: rogue.keyIdentifier };

  const tppSubject = (cn: string): NameAttributeSpec[] => [attr(C, 'NO'), attr(O, tppName), attr(OID.organizationIdentifier, orgId), attr(CN, cn)];
  const sealQc: QcStatementsSpec = { compliance: true, qcType: 'eseal', psd2: PSD2_NO(psd2Roles('PSP_AI', 'PSP_PI')) };
  const webQc: QcStatementsSpec = { compliance: true, qcType: 'web', psd2: PSD2_NO(psd2Roles('PSP_AI', 'PSP_PI')) };
  const sealSpec = (key: KeyPair): IssueSpec => ({
    subject: tppSubject(tppName),
    publicKey: key.publicKey,
    issuer: rootIssuer,
    ...valid,
    keyUsage: { digitalSignature: true, nonRepudiation: true },
    qcStatements: sealQc,
  });
  const qwacSpec = (key: KeyPair): IssueSpec => ({
    subject: tppSubject('localhost'),
    publicKey: key.publicKey,
    issuer: rootIssuer,
    ...valid,
    keyUsage: { digitalSignature: true, keyEncipherment: true },
    extKeyUsage: ['serverAuth', 'clientAuth'],
    subjectAltName: { dns: ['localhost'], ip: ['127.0.0.1'] },
    qcStatements: webQc,
  });

  const qseal = issueCertificate(sealSpec(sealKey));
  const qwac = issueCertificate(qwacSpec(qwacKey));
  const server = issueCertificate({
    subject: [attr(C, 'NO'), attr(O, 'Card Conformance Reference Bank'), attr(CN, 'localhost')],
    publicKey: serverKey.publicKey,
    issuer: rootIssuer,
    ...valid,
    keyUsage: { digitalSignature: true, keyEncipherment: true },
    extKeyUsage: ['serverAuth'],
    subjectAltName: { dns: ['localhost'], ip: ['127.0.0.1'] },
  });

  const base = sealSpec(badKey);
  const invalid = (code: string): ExpectedVerdict => ({ status: 401, code });
  const variants: Record<BadCertificateId, { fault: string; expected: ExpectedVerdict; spec: IssueSpec }> = {
    expired: {
      fault: 'notAfter is in the past',
      expected: invalid('CERTIFICATE_EXPIRED'),
      spec: { ...base, notBefore: at(-366 * DAY), notAfter: at(-DAY) },
    },
    'not-yet-valid': {
      fault: 'notBefore is 30 days in the future',
      expected: invalid('CERTIFICATE_INVALID'),
      spec: { ...base, notBefore: at(30 * DAY), notAfter: at(365 * DAY) },
    },
    'self-signed': {
      fault: 'self-signed (issuer = subject, signed with its own key)',
      expected: invalid('CERTIFICATE_INVALID'),
      spec: { ...base, issuer: { subject: base.subject, privateKey: badKey.privateKey } },
    },
    'rogue-ca': {
      fault: 'issued by the untrusted "Rogue Test Root CA"',
      expected: invalid('CERTIFICATE_INVALID'),
      spec: { ...base, issuer: rogueIssuer },
    },
    'no-qc-statements': {
      fault: 'no qcStatements extension',
      expected: invalid('CERTIFICATE_INVALID'),
      spec: { ...base, qcStatements: undefined },
    },
    'no-psd2-statement': {
      fault: 'qcStatements without the PSD2 statement (QcCompliance and QcType only)',
      expected: invalid('CERTIFICATE_INVALID'),
      spec: { ...base, qcStatements: { compliance: true, qcType: 'eseal' } },
    },
    'no-psp-ai': {
      fault: 'PSD2 statement with PSP_PI only (no PSP_AI)',
      expected: invalid('ROLE_INVALID'),
      spec: { ...base, qcStatements: { ...sealQc, psd2: PSD2_NO(psd2Roles('PSP_PI')) } },
    },
    revoked: {
      fault: 'serial is on the revocation list (revokedSerials)',
      expected: invalid('CERTIFICATE_REVOKED'),
      spec: base,
    },
    blocked: {
      fault: "serial is on the bank's blocked list (blockedSerials)",
      expected: invalid('CERTIFICATE_BLOCKED'),
      spec: base,
    },
    'key-encipherment-only': {
      fault: 'keyUsage keyEncipherment only (no digitalSignature, no nonRepudiation)',
      expected: invalid('CERTIFICATE_INVALID'),
      spec: { ...base, keyUsage: { keyEncipherment: true } },
    },
    'no-organization-identifier': {
      fault: 'subject has no organizationIdentifier (2.5.4.97)',
      expected: invalid('CERTIFICATE_INVALID'),
      spec: { ...base, subject: base.subject.filter((a) => a.oid !== OID.organizationIdentifier) },
    },
    'qwac-as-seal': {
      fault: 'QWAC profile (QcType web, EKU serverAuth/clientAuth) used as the signing certificate; ambiguous (S40), the reference bank accepts it',
      expected: 'accepted',
      spec: qwacSpec(badKey),
    },
    'role-name-mismatch': {
      fault: 'PSD2 role OID PSP_AI (0.4.0.19495.1.3) named "PSP_PI"',
      expected: invalid('CERTIFICATE_INVALID'),
      spec: { ...base, qcStatements: { ...sealQc, psd2: PSD2_NO([{ oid: '0.4.0.19495.1.3', name: 'PSP_PI' }]) } },
    },
    'empty-roles': {
      fault: 'PSD2 statement with an empty rolesOfPSP',
      expected: invalid('CERTIFICATE_INVALID'),
      spec: { ...base, qcStatements: { ...sealQc, psd2: PSD2_NO([]) } },
    },
    'malformed-nca-id': {
      fault: 'PSD2 statement NCAId "Finanstilsynet" (not CC-XXXX)',
      expected: invalid('CERTIFICATE_INVALID'),
      spec: { ...base, qcStatements: { ...sealQc, psd2: { ...PSD2_NO(psd2Roles('PSP_AI')), ncaId: 'Finanstilsynet' } } },
    },
  };

  // why the cast: filled for every BAD_CERTIFICATE_IDS entry just below
  const bad = {} as Record<BadCertificateId, BadCertificate>;
  for (const id of BAD_CERTIFICATE_IDS) {
    const v = variants[id];
    const issued = issueCertificate(v.spec);
    bad[id] = { id, fault: v.fault, expected: v.expected, certPem: issued.pem, keyPem: badKey.privateKeyPem, serialHex: issued.serialHex };
  }

  const entry = (cert: { pem: string; serialHex: string }, key: KeyPair): PkiEntry => ({
    certPem: cert.pem,
    keyPem: key.privateKeyPem,
    serialHex: cert.serialHex,
  });
  return {
    createdAt: now.toISOString(),
    tppName,
    organizationIdentifier: orgId,
    rootCaPem: root.pem,
    root: entry(root, rootKey),
    rogueCa: entry(rogue, rogueKey),
    qseal: entry(qseal, sealKey),
    qwac: entry(qwac, qwacKey),
    server: entry(server, serverKey),
    bad,
    revokedSerials: [bad.revoked.serialHex],
    blockedSerials: [bad.blocked.serialHex],
  };
}
