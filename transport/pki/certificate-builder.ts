// Issues one X.509 certificate with forge for the structure and node:crypto for the RSA
// signature (forge's pure-JS RSA is ~80× slower, measured on a 2-core machine). Encodes around forge's traps:
// positive serials, UTF8String for DN values, organizationIdentifier by OID.
import { X509Certificate, createHash, sign, type KeyObject } from 'node:crypto';
import forge from 'node-forge';
import type { Asn1 } from './asn1.js';
import { buildQcStatementsDer, type QcStatementsSpec } from './qc-statements.js';
import { OID } from './oids.js';
import { normalizeSerialHex, randomSerialHex, serialToDerHex } from './serial.js';

/** One attribute of a name, in certificate order (most general first). */
export interface NameAttributeSpec {
  oid: string;
  value: string;
}

export interface CertificateIssuer {
  subject: NameAttributeSpec[];
  privateKey: KeyObject;
  /** The issuer's subjectKeyIdentifier (raw bytes), for the AKI. Absent: self-signed, use our own SKI. */
  keyIdentifier?: Buffer;
}

export interface KeyUsageSpec {
  digitalSignature?: boolean;
  nonRepudiation?: boolean;
  keyEncipherment?: boolean;
  dataEncipherment?: boolean;
  keyAgreement?: boolean;
  keyCertSign?: boolean;
  cRLSign?: boolean;
}

export interface IssueSpec {
  subject: NameAttributeSpec[];
  /** The subject's RSA public key. */
  publicKey: KeyObject;
  issuer: CertificateIssuer;
  serialHex?: string;
  notBefore: Date;
  notAfter: Date;
  /** A CA certificate: basicConstraints cA and keyCertSign+cRLSign, both critical. */
  ca?: boolean;
  /** Critical keyUsage for end-entity certificates. */
  keyUsage?: KeyUsageSpec;
  extKeyUsage?: Array<'serverAuth' | 'clientAuth'>;
  subjectAltName?: { dns?: string[]; ip?: string[] };
  /** Non-critical qcStatements extension. */
  qcStatements?: QcStatementsSpec;
}

export interface IssuedCertificate {
  pem: string;
  der: Buffer;
  /** Lower-case hex, no leading zeros. */
  serialHex: string;
  subject: NameAttributeSpec[];
  keyIdentifier: Buffer;
}

const COUNTRY = '2.5.4.6';
const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';

/** C must be PrintableString (X.520); everything else UTF8String so non-ASCII names survive. */
function toForgeAttributes(attrs: NameAttributeSpec[]): forge.pki.CertificateField[] {
  return attrs.map((a) => ({
    type: a.oid,
    value: a.value,
    // @types/node-forge mistypes valueTagClass as a Class; forge reads it as the value's Type.
    valueTagClass: (a.oid === COUNTRY ? forge.asn1.Type.PRINTABLESTRING : forge.asn1.Type.UTF8) as unknown as forge.asn1.Class,
  }));
}

/** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey bits (the PKCS#1 key for RSA). */
export function keyIdentifierOf(publicKey: KeyObject): Buffer {
  return createHash('sha1')
    .update(publicKey.export({ type: 'pkcs1', format: 'der' }))
    .digest();
}

// why the cast: forge does not type its TBS helper; it is the only way to sign with a non-forge key.
const forgeTbs = forge.pki as unknown as { getTBSCertificate(cert: forge.pki.Certificate): Asn1 };
const getTBSCertificate = (cert: forge.pki.Certificate): Asn1 => forgeTbs.getTBSCertificate(cert);

export function issueCertificate(spec: IssueSpec): IssuedCertificate {
  const cert = forge.pki.createCertificate();
  const serialHex = normalizeSerialHex(spec.serialHex ?? randomSerialHex());
  cert.serialNumber = serialToDerHex(serialHex);
  cert.publicKey = forge.pki.publicKeyFromPem(spec.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.validity.notBefore = spec.notBefore;
  cert.validity.notAfter = spec.notAfter;
  cert.setSubject(toForgeAttributes(spec.subject));
  cert.setIssuer(toForgeAttributes(spec.issuer.subject));

  const keyIdentifier = keyIdentifierOf(spec.publicKey);
  const authorityKeyId = spec.issuer.keyIdentifier ?? keyIdentifier;
  const extensions: object[] = [];
  if (spec.ca) {
    extensions.push({ name: 'basicConstraints', cA: true, critical: true });
    extensions.push({ name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true });
  } else if (spec.keyUsage) {
    extensions.push({ name: 'keyUsage', critical: true, ...spec.keyUsage });
  }
  if (spec.extKeyUsage?.length) {
    extensions.push({ name: 'extKeyUsage', ...Object.fromEntries(spec.extKeyUsage.map((u) => [u, true])) });
  }
  if (spec.subjectAltName) {
    const altNames = [
      ...(spec.subjectAltName.dns ?? []).map((value) => ({ type: 2, value })),
      ...(spec.subjectAltName.ip ?? []).map((ip) => ({ type: 7, ip })),
    ];
    extensions.push({ name: 'subjectAltName', altNames });
  }
  // forge derives the SKI the same way as keyIdentifierOf (SHA-1 of the PKCS#1 key).
  extensions.push({ name: 'subjectKeyIdentifier' });
  extensions.push({ name: 'authorityKeyIdentifier', keyIdentifier: authorityKeyId.toString('binary') });
  if (spec.qcStatements) {
    // A pre-set value is kept as is by forge; qcStatements must be non-critical (EN 319 412-5).
    extensions.push({ id: OID.qcStatements, critical: false, value: buildQcStatementsDer(spec.qcStatements).toString('binary') });
  }
  cert.setExtensions(extensions);

  cert.signatureOid = cert.siginfo.algorithmOid = SHA256_WITH_RSA;
  const tbs = forge.asn1.toDer(getTBSCertificate(cert)).getBytes();
  cert.signature = sign('sha256', Buffer.from(tbs, 'binary'), spec.issuer.privateKey).toString('binary');

  const pem = forge.pki.certificateToPem(cert).replace(/\r\n/g, '\n');
  return { pem, der: Buffer.from(new X509Certificate(pem).raw), serialHex, subject: spec.subject, keyIdentifier };
}
