// Reads a certificate (PEM, Base64 DER, or Base64 of PEM) into the facts the signer and the
// sandbox verifier need. node:crypto does the crypto (public key, issuance, signature check);
// forge.asn1 reads what Node does not expose: the serial as unsigned bytes, the RDN lists,
// keyUsage bits and qcStatements (the checks of docs/architecture.md "Request signing").
import { X509Certificate, type KeyObject } from 'node:crypto';
import {
  type Asn1,
  Asn1ShapeError,
  Type,
  children,
  isContext,
  isUniversal,
  oidValue,
  parseDer,
  primitiveBytes,
  sequence,
  stringValue,
  toDerBuffer,
  unsignedIntegerHex,
  utcOrGeneralizedTime,
} from './asn1.js';
import { type DnAttribute, attributeShortName } from './dn.js';
import { OID } from './oids.js';
import { type Psd2Statement, type QcStatementsInfo, parseQcStatements } from './qc-statements.js';
import { errorMessage } from '../../core/errors.js';

export interface KeyUsageBits {
  digitalSignature: boolean;
  nonRepudiation: boolean;
  keyEncipherment: boolean;
  dataEncipherment: boolean;
  keyAgreement: boolean;
  keyCertSign: boolean;
  cRLSign: boolean;
  encipherOnly: boolean;
  decipherOnly: boolean;
}

const KEY_USAGE_NAMES: Array<keyof KeyUsageBits> = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

export interface CertificateInfo {
  der: Buffer;
  x509: X509Certificate;
  /** Lower-case hex, no leading zeros: the INTEGER's bytes read as unsigned. */
  serialHex: string;
  /** In certificate order (most general first). */
  issuerRdns: DnAttribute[];
  subjectRdns: DnAttribute[];
  notBefore: Date;
  notAfter: Date;
  /** Absent when the certificate has no keyUsage extension. */
  keyUsage?: KeyUsageBits;
  /** EKU OIDs (empty when there is no extKeyUsage extension). */
  extendedKeyUsage: string[];
  hasQcStatements: boolean;
  qcStatements?: QcStatementsInfo;
  /** Set when the qcStatements extension is present but does not decode. */
  qcStatementsError?: string;
  psd2?: Psd2Statement;
  organizationIdentifier?: string;
  publicKey: KeyObject;
  /** Issuer name bytes equal subject name bytes. */
  selfIssued: boolean;
}

export class CertificateParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CertificateParseError';
  }
}

const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;
const PEM_RE = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/;

function decodeBase64Strict(text: string, what: string): Buffer {
  // Headers cannot carry newlines, so PEM sometimes arrives with literal "\n" escapes.
  const compact = text.replace(/\\[nr]/g, '').replace(/\s+/g, '');
  if (compact === '') throw new CertificateParseError(`${what} is empty`);
  if (!BASE64_RE.test(compact) || compact.length % 4 === 1) throw new CertificateParseError(`${what} is not Base64`);
  return Buffer.from(compact, 'base64');
}

/** DER bytes of a certificate given as PEM, Base64 DER, Base64 of PEM (OBP style) or raw DER. */
export function decodeCertificateInput(input: string | Buffer): Buffer {
  if (Buffer.isBuffer(input)) {
    const head = input.subarray(0, 64).toString('latin1');
    return head.includes('-----BEGIN') ? decodeCertificateInput(input.toString('latin1')) : input;
  }
  const text = input.trim();
  if (text.includes('-----BEGIN')) {
    const body = PEM_RE.exec(text)?.[1];
    if (body === undefined) throw new CertificateParseError('PEM armour without a CERTIFICATE block');
    return decodeBase64Strict(body, 'PEM body');
  }
  const der = decodeBase64Strict(text, 'certificate');
  const asText = der.subarray(0, 32).toString('latin1');
  if (asText.startsWith('-----BEGIN')) {
    const inner = PEM_RE.exec(der.toString('latin1'))?.[1];
    if (inner === undefined) throw new CertificateParseError('Base64 of PEM without a CERTIFICATE block');
    return decodeBase64Strict(inner, 'PEM body');
  }
  return der;
}

function readName(node: Asn1, what: string): DnAttribute[] {
  const out: DnAttribute[] = [];
  sequence(node, what).forEach((set, rdn) => {
    if (!isUniversal(set, Type.SET)) throw new Asn1ShapeError(`${what}: RDN is not a SET`);
    const atvs = children(set, what);
    if (atvs.length === 0) throw new Asn1ShapeError(`${what}: empty RDN`);
    for (const atv of atvs) {
      const [type, value] = sequence(atv, `${what} attribute`);
      if (!type || !value) throw new Asn1ShapeError(`${what}: attribute without type or value`);
      const oid = oidValue(type, `${what} attribute type`);
      out.push({ type: attributeShortName(oid), oid, value: stringValue(value, `${what} ${oid}`), valueTag: value.type, rdn });
    }
  });
  return out;
}

function readKeyUsage(extnValue: string): KeyUsageBits {
  const node = parseDer(extnValue);
  if (!isUniversal(node, Type.BITSTRING)) throw new Asn1ShapeError('keyUsage: expected a BIT STRING');
  const bytes = Buffer.from(primitiveBytes(node, 'keyUsage'), 'binary');
  const unusedBits = bytes[0];
  if (unusedBits === undefined || unusedBits > 7) throw new Asn1ShapeError('keyUsage: bad unused-bits byte');
  // why the cast: every one of KEY_USAGE_NAMES is set just below
  const bits = {} as KeyUsageBits;
  KEY_USAGE_NAMES.forEach((name, i) => {
    const byte = bytes[1 + (i >> 3)] ?? 0;
    bits[name] = (byte & (0x80 >> (i & 7))) !== 0;
  });
  return bits;
}

interface RawExtension {
  oid: string;
  critical: boolean;
  value: string;
}

function readExtensions(node: Asn1): RawExtension[] {
  const [list] = children(node, 'extensions');
  if (!list) throw new Asn1ShapeError('extensions: empty [3]');
  const seen = new Set<string>();
  return sequence(list, 'extensions').map((ext) => {
    const fields = sequence(ext, 'extension');
    const oid = oidValue(fields[0], 'extnID');
    if (seen.has(oid)) throw new Asn1ShapeError(`extension ${oid} appears twice`);
    seen.add(oid);
    let critical = false;
    let valueNode = fields[1];
    if (valueNode && isUniversal(valueNode, Type.BOOLEAN)) {
      critical = primitiveBytes(valueNode) !== '\x00';
      valueNode = fields[2];
    }
    if (!valueNode || !isUniversal(valueNode, Type.OCTETSTRING)) throw new Asn1ShapeError(`extension ${oid}: no OCTET STRING value`);
    return { oid, critical, value: primitiveBytes(valueNode) };
  });
}

/** Parses a certificate; throws CertificateParseError with a one-line reason. */
export function parseCertificate(input: string | Buffer): CertificateInfo {
  const der = decodeCertificateInput(input);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    // Node's message ("PEM routines::no start line") describes its PEM fallback, not the input.
    throw new CertificateParseError('not an X.509 certificate (the DER does not parse)');
  }
  try {
    const top = sequence(parseDer(der), 'Certificate');
    if (top.length !== 3) throw new Asn1ShapeError('Certificate: expected 3 fields');
    const tbs = sequence(top[0], 'TBSCertificate');
    let i = isContext(tbs[0], 0) ? 1 : 0;
    const serialHex = unsignedIntegerHex(tbs[i++], 'serialNumber');
    i++; // signature AlgorithmIdentifier
    const issuerNode = tbs[i++];
    const validity = sequence(tbs[i++], 'validity');
    const subjectNode = tbs[i++];
    i++; // subjectPublicKeyInfo
    if (!issuerNode || !subjectNode || validity.length !== 2) throw new Asn1ShapeError('TBSCertificate: missing fields');
    const issuerRdns = readName(issuerNode, 'issuer');
    const subjectRdns = readName(subjectNode, 'subject');
    const extNode = tbs.slice(i).find((n) => isContext(n, 3));
    const extensions = extNode ? readExtensions(extNode) : [];

    const info: CertificateInfo = {
      der,
      x509,
      serialHex,
      issuerRdns,
      subjectRdns,
      notBefore: utcOrGeneralizedTime(validity[0], 'notBefore'),
      notAfter: utcOrGeneralizedTime(validity[1], 'notAfter'),
      extendedKeyUsage: [],
      hasQcStatements: false,
      organizationIdentifier: subjectRdns.find((a) => a.oid === OID.organizationIdentifier)?.value,
      publicKey: x509.publicKey,
      selfIssued: x509.subject === x509.issuer && sameBytes(issuerNode, subjectNode),
    };
    for (const ext of extensions) {
      if (ext.oid === OID.keyUsage) info.keyUsage = readKeyUsage(ext.value);
      else if (ext.oid === OID.extKeyUsage) info.extendedKeyUsage = sequence(parseDer(ext.value), 'extKeyUsage').map((n) => oidValue(n));
      else if (ext.oid === OID.qcStatements) {
        info.hasQcStatements = true;
        try {
          info.qcStatements = parseQcStatements(ext.value);
          info.psd2 = info.qcStatements.psd2;
        } catch (e) {
          info.qcStatementsError = errorMessage(e);
        }
      }
    }
    return info;
  } catch (e) {
    if (e instanceof Asn1ShapeError) throw new CertificateParseError(e.message);
    throw new CertificateParseError(`unreadable certificate: ${errorMessage(e)}`);
  }
}

function sameBytes(a: Asn1, b: Asn1): boolean {
  return toDerBuffer(a).equals(toDerBuffer(b));
}

export type CertificateParseResult = { ok: true; certificate: CertificateInfo } | { ok: false; error: string };

/** parseCertificate that never throws. */
export function tryParseCertificate(input: string | Buffer): CertificateParseResult {
  try {
    return { ok: true, certificate: parseCertificate(input) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
