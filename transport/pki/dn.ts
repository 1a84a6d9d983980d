// Distinguished names as explicit attribute lists. keyIds are built from these lists and compared
// by parsing, never via a library's DN string: Node, @peculiar and Java print the same name in
// different orders and separators (RFC 4514 strings and forge's field lists).
import forge from 'node-forge';
import { Asn1ShapeError, Type, parseDer, stringValue } from './asn1.js';

export interface DnAttribute {
  /** Short name when one is known (C, O, CN, organizationIdentifier…), else the dotted OID. */
  type: string;
  oid: string;
  value: string;
  /** ASN.1 tag of the value as encoded (12 UTF8String, 19 PrintableString…). */
  valueTag: number;
  /** Index of the RDN (SET) the attribute belongs to, in certificate order (0 = most general). */
  rdn: number;
}

/** An attribute read from a DN string: enough to compare with a certificate's name. */
export interface ParsedDnAttribute {
  oid: string;
  value: string;
  rdn: number;
}

const SHORT_NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.4': 'SURNAME',
  '2.5.4.5': 'SERIALNUMBER',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.9': 'STREET',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.12': 'T',
  '2.5.4.15': 'businessCategory',
  '2.5.4.42': 'GIVENNAME',
  '2.5.4.97': 'organizationIdentifier',
  '0.9.2342.19200300.100.1.1': 'UID',
  '0.9.2342.19200300.100.1.25': 'DC',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '1.3.6.1.4.1.311.60.2.1.3': 'jurisdictionC',
};

/** The keywords RFC 2253 §2.3 allows in output; Java's RFC 2253 form prints others as OID=#hex. */
const RFC2253_KEYWORDS = new Set(['CN', 'L', 'ST', 'O', 'OU', 'C', 'STREET', 'DC', 'UID']);

/** Keywords accepted when parsing (upper-cased), including common aliases. */
const PARSE_KEYWORDS: Record<string, string> = {
  ...Object.fromEntries(Object.entries(SHORT_NAMES).map(([oid, name]) => [name.toUpperCase(), oid])),
  S: '2.5.4.8',
  SN: '2.5.4.4',
  TITLE: '2.5.4.12',
  G: '2.5.4.42',
  E: '1.2.840.113549.1.9.1',
  EMAIL: '1.2.840.113549.1.9.1',
  ORGANIZATIONIDENTIFIER: '2.5.4.97',
};

export function attributeShortName(oid: string): string {
  return SHORT_NAMES[oid] ?? oid;
}

/** Encodes one attribute value as DER (for the RFC 2253 `#hex` form). */
function valueDer(attr: Pick<DnAttribute, 'value' | 'valueTag'>): string {
  const tag = attr.valueTag;
  const utf8 = tag === Type.UTF8 || tag === Type.BMPSTRING || tag === 28;
  const bytes = utf8 ? forge.util.encodeUtf8(attr.value) : Buffer.from(attr.value, 'latin1').toString('binary');
  // BMP/Universal strings are re-encoded as UTF8String: same text, simpler bytes.
  const node = forge.asn1.create(forge.asn1.Class.UNIVERSAL, utf8 ? Type.UTF8 : tag, false, bytes);
  return forge.asn1.toDer(node).toHex();
}

const ESCAPE_ALWAYS = new Set([',', '+', '"', '\\', '<', '>', ';']);

/**
 * Escapes an attribute value per RFC 4514 §2.4. Non-ASCII and control characters are written as
 * UTF-8 hex pairs so the result stays ASCII and can travel in an HTTP header unchanged.
 */
export function escapeDnValue(value: string): string {
  let out = '';
  const chars = Array.from(value);
  chars.forEach((ch, i) => {
    const code = ch.codePointAt(0) ?? 0;
    if (code < 0x20 || code > 0x7e) {
      out += Array.from(Buffer.from(ch, 'utf8'), (b) => '\\' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
    } else if (ESCAPE_ALWAYS.has(ch) || (i === 0 && (ch === '#' || ch === ' ')) || (i === chars.length - 1 && ch === ' ')) {
      out += '\\' + ch;
    } else {
      out += ch;
    }
  });
  return out;
}

/** Groups a flat attribute list into RDNs, in the list's order. */
function groupRdns<T extends { rdn: number }>(attrs: readonly T[]): T[][] {
  const groups: T[][] = [];
  let last: number | undefined;
  for (const attr of attrs) {
    const current = groups.at(-1);
    if (current && attr.rdn === last) current.push(attr);
    else groups.push([attr]);
    last = attr.rdn;
  }
  return groups;
}

/**
 * The RFC 2253 string of a name given in certificate order: most specific RDN first
 * ("CN=…,O=…,C=NO"), as Java's X500Principal.getName() prints it.
 */
export function formatRfc2253(attrs: readonly DnAttribute[]): string {
  return groupRdns(attrs)
    .reverse()
    .map((rdn) =>
      rdn
        .map((a) => {
          const keyword = SHORT_NAMES[a.oid];
          if (keyword && RFC2253_KEYWORDS.has(keyword)) return `${keyword}=${escapeDnValue(a.value)}`;
          return `${a.oid}=#${valueDer(a)}`;
        })
        .join('+'),
    )
    .join(',');
}

export type DnParseResult = { ok: true; attributes: ParsedDnAttribute[] } | { ok: false; error: string };

const OID_RE = /^[0-2](\.(0|[1-9][0-9]*))+$/;

function attributeTypeToOid(raw: string): string | undefined {
  const type = raw.trim();
  const dotted = type.toUpperCase().startsWith('OID.') ? type.slice(4) : type;
  if (OID_RE.test(dotted)) return dotted;
  return PARSE_KEYWORDS[type.toUpperCase()];
}

const HEX2 = /^[0-9a-fA-F]{2}$/;

/**
 * Parses an RFC 2253 / RFC 4514 DN string (either RDN order; the caller compares sets).
 * Accepts escaped characters, hex pairs (UTF-8), quoted values, `#hex` BER values and
 * spaces around separators. Never throws.
 */
export function parseDn(text: string): DnParseResult {
  const attributes: ParsedDnAttribute[] = [];
  let i = 0;
  let rdn = 0;
  const n = text.length;
  const skipSpaces = (): void => {
    while (i < n && text[i] === ' ') i++;
  };
  while (i < n) {
    skipSpaces();
    const eq = text.indexOf('=', i);
    if (eq < 0) return { ok: false, error: `missing "=" after position ${i}` };
    const oid = attributeTypeToOid(text.slice(i, eq));
    if (!oid) return { ok: false, error: `unknown attribute type "${text.slice(i, eq).trim()}"` };
    i = eq + 1;
    skipSpaces();
    let value: string;
    if (text[i] === '#') {
      const m = /^#((?:[0-9a-fA-F]{2})+)/.exec(text.slice(i));
      if (!m?.[1]) return { ok: false, error: 'bad #hex value' };
      i += m[0].length;
      try {
        value = stringValue(parseDer(Buffer.from(m[1], 'hex')));
      } catch (e) {
        return { ok: false, error: e instanceof Asn1ShapeError ? e.message : 'bad #hex value' };
      }
      skipSpaces();
    } else if (text[i] === '"') {
      const bytes: number[] = [];
      i++;
      for (;;) {
        if (i >= n) return { ok: false, error: 'unterminated quoted value' };
        const ch = text[i];
        if (ch === '"') break;
        if (ch === '\\') {
          const pair = text.slice(i + 1, i + 3);
          if (HEX2.test(pair)) {
            bytes.push(parseInt(pair, 16));
            i += 3;
            continue;
          }
          const escaped = text[i + 1];
          if (escaped === undefined) return { ok: false, error: 'dangling escape' };
          bytes.push(...Buffer.from(escaped, 'utf8'));
          i += 2;
          continue;
        }
        const cp = text.codePointAt(i) ?? 0;
        const chText = String.fromCodePoint(cp);
        bytes.push(...Buffer.from(chText, 'utf8'));
        i += chText.length;
      }
      i++;
      skipSpaces();
      const decoded = decodeUtf8Strict(bytes);
      if (decoded === undefined) return { ok: false, error: 'invalid UTF-8 in value' };
      value = decoded;
    } else {
      const bytes: number[] = [];
      // Length of `bytes` up to and including the last escaped character: escaped trailing spaces stay.
      let keep = 0;
      while (i < n && text[i] !== ',' && text[i] !== '+' && text[i] !== ';') {
        const ch = text[i];
        if (ch === '\\') {
          const pair = text.slice(i + 1, i + 3);
          if (HEX2.test(pair)) {
            bytes.push(parseInt(pair, 16));
            i += 3;
          } else if (i + 1 < n) {
            const cp = text.codePointAt(i + 1) ?? 0;
            const escaped = String.fromCodePoint(cp);
            bytes.push(...Buffer.from(escaped, 'utf8'));
            i += 1 + escaped.length;
          } else {
            return { ok: false, error: 'dangling escape' };
          }
          keep = bytes.length;
          continue;
        }
        if (ch === '"') return { ok: false, error: 'unescaped quote in value' };
        const cp = text.codePointAt(i) ?? 0;
        const chText = String.fromCodePoint(cp);
        bytes.push(...Buffer.from(chText, 'utf8'));
        if (ch !== ' ') keep = bytes.length;
        i += chText.length;
      }
      const decoded = decodeUtf8Strict(bytes.slice(0, keep));
      if (decoded === undefined) return { ok: false, error: 'invalid UTF-8 in value' };
      value = decoded;
    }
    attributes.push({ oid, value, rdn });
    if (i >= n) break;
    const sep = text[i];
    if (sep !== ',' && sep !== '+' && sep !== ';') return { ok: false, error: `unexpected "${sep}" at position ${i}` };
    i++;
    if (sep !== '+') rdn++;
    if (i >= n) return { ok: false, error: 'trailing separator' };
  }
  return { ok: true, attributes };
}

function decodeUtf8Strict(bytes: number[]): string | undefined {
  const buf = Buffer.from(bytes);
  const text = buf.toString('utf8');
  return Buffer.from(text, 'utf8').equals(buf) ? text : undefined;
}

/** Value normalisation for comparison: caseIgnoreMatch with insignificant spaces (RFC 4518, simplified). */
function normaliseValue(value: string): string {
  return value.normalize('NFC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/**
 * True when both names hold the same attributes, whatever the RDN order: the BG example writes
 * RFC 2253 order, other signers write certificate order.
 */
export function sameDnAttributes(a: readonly { oid: string; value: string }[], b: readonly { oid: string; value: string }[]): boolean {
  if (a.length !== b.length) return false;
  const key = (x: { oid: string; value: string }): string => `${x.oid}\u0000${normaliseValue(x.value)}`;
  const left = a.map(key).sort();
  const right = b.map(key).sort();
  return left.every((k, i) => k === right[i]);
}
