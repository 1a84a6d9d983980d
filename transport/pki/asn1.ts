// Small typed helpers over forge.asn1 for reading certificates defensively: every accessor
// checks the shape it expects and throws Asn1ShapeError otherwise, so callers can turn any
// malformed input into one "invalid" answer with a single try/catch.
import forge from 'node-forge';
import { errorMessage } from '../../core/errors.js';

export type Asn1 = forge.asn1.Asn1;
export const { Class, Type } = forge.asn1;

export class Asn1ShapeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Asn1ShapeError';
  }
}

interface FromDerOptions {
  strict: boolean;
  parseAllBytes: boolean;
  // forge otherwise tries to parse BIT STRING contents as ASN.1, which garbles keyUsage bits.
  decodeBitStrings: boolean;
}
// why the cast: @types/node-forge lacks fromDer's options argument
const fromDerWithOptions = forge.asn1.fromDer as unknown as (bytes: string, options: FromDerOptions) => Asn1;

/** Parses DER (a Buffer or a forge binary string); throws on trailing bytes or bad encoding. */
export function parseDer(der: Buffer | string): Asn1 {
  const bytes = typeof der === 'string' ? der : der.toString('binary');
  try {
    return fromDerWithOptions(bytes, { strict: true, parseAllBytes: true, decodeBitStrings: false });
  } catch (e) {
    throw new Asn1ShapeError(`not valid DER: ${errorMessage(e)}`);
  }
}

export function toDerBuffer(node: Asn1): Buffer {
  return Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
}

// Every reader below takes `Asn1 | undefined`, so `fields[2]` of a short SEQUENCE is a shape
// error naming the field rather than a TypeError.

/** The node itself, or an Asn1ShapeError naming what is missing. */
export function present(node: Asn1 | undefined, what = 'value'): Asn1 {
  if (!node) throw new Asn1ShapeError(`${what}: missing`);
  return node;
}

export function isUniversal(node: Asn1 | undefined, type: number): boolean {
  return node !== undefined && node.tagClass === Class.UNIVERSAL && node.type === type;
}

export function isContext(node: Asn1 | undefined, tag: number): boolean {
  return node !== undefined && node.tagClass === Class.CONTEXT_SPECIFIC && node.type === tag;
}

/** The children of a constructed node (SEQUENCE, SET, explicit tags). */
export function children(node: Asn1 | undefined, what = 'value'): Asn1[] {
  const { value } = present(node, what);
  if (!Array.isArray(value)) throw new Asn1ShapeError(`${what}: expected a constructed value`);
  return value;
}

export function sequence(node: Asn1 | undefined, what = 'value'): Asn1[] {
  if (!isUniversal(node, Type.SEQUENCE)) throw new Asn1ShapeError(`${what}: expected a SEQUENCE`);
  return children(node, what);
}

/** The raw content octets of a primitive node, as a forge binary string. */
export function primitiveBytes(node: Asn1 | undefined, what = 'value'): string {
  const { value } = present(node, what);
  if (typeof value !== 'string') throw new Asn1ShapeError(`${what}: expected a primitive value`);
  return value;
}

export function oidValue(node: Asn1 | undefined, what = 'OID'): string {
  if (!isUniversal(node, Type.OID)) throw new Asn1ShapeError(`${what}: expected an OBJECT IDENTIFIER`);
  return forge.asn1.derToOid(primitiveBytes(node, what));
}

const TELETEX = 20;
const IA5 = 22;
const UNIVERSAL_STRING = 28;
const VISIBLE = 26;
const NUMERIC = 18;

/** Decodes the ASN.1 string types used in names and PSD2 statements into a JS string. */
export function stringValue(maybe: Asn1 | undefined, what = 'string'): string {
  const node = present(maybe, what);
  if (node.tagClass !== Class.UNIVERSAL) throw new Asn1ShapeError(`${what}: expected a string type`);
  const bytes = Buffer.from(primitiveBytes(node, what), 'binary');
  // why the cast: the string tags without a forge enum member (IA5, UniversalString…) are plain numbers
  switch (node.type as number) {
    case Type.UTF8: {
      const text = bytes.toString('utf8');
      // Reject invalid UTF-8 rather than silently substituting U+FFFD.
      if (!Buffer.from(text, 'utf8').equals(bytes)) throw new Asn1ShapeError(`${what}: invalid UTF-8`);
      return text;
    }
    case Type.PRINTABLESTRING:
    case IA5:
    case VISIBLE:
    case NUMERIC:
    case TELETEX:
      return bytes.toString('latin1');
    case Type.BMPSTRING:
      if (bytes.length % 2) throw new Asn1ShapeError(`${what}: odd BMPString length`);
      return bytes.swap16().toString('utf16le');
    case UNIVERSAL_STRING: {
      if (bytes.length % 4) throw new Asn1ShapeError(`${what}: bad UniversalString length`);
      let out = '';
      for (let i = 0; i < bytes.length; i += 4) out += String.fromCodePoint(bytes.readUInt32BE(i));
      return out;
    }
    default:
      throw new Asn1ShapeError(`${what}: expected a string type, got tag ${node.type}`);
  }
}

/** INTEGER content as unsigned hex: lower case, no leading zeros ("0" for zero). */
export function unsignedIntegerHex(node: Asn1 | undefined, what = 'INTEGER'): string {
  if (!isUniversal(node, Type.INTEGER)) throw new Asn1ShapeError(`${what}: expected an INTEGER`);
  const hex = Buffer.from(primitiveBytes(node, what), 'binary').toString('hex').replace(/^0+/, '');
  return hex === '' ? '0' : hex;
}

export function utcOrGeneralizedTime(node: Asn1 | undefined, what = 'time'): Date {
  const bytes = primitiveBytes(node, what);
  let date: Date;
  if (isUniversal(node, Type.UTCTIME)) date = forge.asn1.utcTimeToDate(bytes);
  else if (isUniversal(node, Type.GENERALIZEDTIME)) date = forge.asn1.generalizedTimeToDate(bytes);
  else throw new Asn1ShapeError(`${what}: expected UTCTime or GeneralizedTime`);
  if (Number.isNaN(date.getTime())) throw new Asn1ShapeError(`${what}: unreadable time`);
  return date;
}

// Builders used by the PKI generator.
export const der = {
  seq: (items: Asn1[]): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items),
  oid: (oid: string): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.OID, false, forge.asn1.oidToDer(oid).getBytes()),
  utf8: (text: string): Asn1 => forge.asn1.create(Class.UNIVERSAL, Type.UTF8, false, forge.util.encodeUtf8(text)),
};
