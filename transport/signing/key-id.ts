// keyId = `SN=<serial hex>,CA=<issuer DN>` in the variants banks expect (docs/architecture.md "Request signing"), built
// from the certificate's parsed issuer RDNs, never from a library's DN string.
import type { KeyIdFormat } from '../../config/types.js';
import { type DnAttribute, type ParsedDnAttribute, formatRfc2253, parseDn } from '../pki/dn.js';
import { normalizeSerialHex, serialToDecimal } from '../pki/serial.js';

export interface KeyIdSource {
  /** Any hex form; normalised here. */
  serialHex: string;
  /** Issuer name in certificate order. */
  issuerRdns: readonly DnAttribute[];
}

export function buildKeyId(certificate: KeyIdSource, format: KeyIdFormat): string {
  const hex = normalizeSerialHex(certificate.serialHex);
  // adorsys strips newlines from the DN (its bundled root has one in O); do the same.
  const dn = formatRfc2253(certificate.issuerRdns).replace(/[\r\n]/g, '');
  switch (format) {
    case 'bg-example':
      return `SN=${hex.toUpperCase()},CA=${dn.replace(/ /g, '%20')}`;
    case 'adorsys':
      return `SN=${hex},CA=${dn.replace(/ /g, '%20')}`;
    case 'plain-rfc2253':
      return `SN=${hex.toUpperCase()},CA=${dn}`;
    case 'decimal-serial':
      return serialToDecimal(hex);
  }
}

export interface ParsedKeyId {
  /** The SN text as sent. */
  serialText: string;
  /** Numbers the SN may stand for: hex, and also decimal when it is all digits. */
  serialCandidates: bigint[];
  /** Issuer attributes from CA=, when present. */
  ca?: ParsedDnAttribute[];
}

export type KeyIdParseResult = { ok: true; value: ParsedKeyId } | { ok: false; error: string };

/**
 * Reads `SN=<hex>[,CA=<DN>]` (%20 decoded, either RDN order) or a bare decimal serial
 * (Rabobank / iCard style). Never throws.
 */
export function parseKeyId(keyId: string): KeyIdParseResult {
  const text = keyId.trim();
  if (/^[0-9]{1,200}$/.test(text)) return { ok: true, value: { serialText: text, serialCandidates: [BigInt(text)] } };
  const m = /^SN=([0-9A-Fa-f]{1,200})(?:\s*,\s*CA=([\s\S]*))?$/i.exec(text);
  const [, serialText, caText] = m ?? [];
  if (!serialText) return { ok: false, error: 'keyId is neither SN=<hex>,CA=<DN> nor a decimal serial' };
  const serialCandidates = [BigInt('0x' + serialText)];
  if (/^[0-9]+$/.test(serialText)) serialCandidates.push(BigInt(serialText));
  if (caText === undefined) return { ok: true, value: { serialText, serialCandidates } };
  const dnText = caText.replace(/%20/gi, ' ');
  if (dnText.trim() === '') return { ok: false, error: 'keyId CA is empty' };
  const dn = parseDn(dnText);
  if (!dn.ok) return { ok: false, error: `keyId CA is not a DN: ${dn.error}` };
  return { ok: true, value: { serialText, serialCandidates, ca: dn.attributes } };
}
