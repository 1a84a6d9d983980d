// Certificate serial numbers. Parsers disagree on INTEGERs whose first byte has the top bit set
// (forge writes them as negative numbers), so generated serials keep it clear,
// and every comparison goes through one normal form: lower-case hex without leading zeros.
import { randomBytes } from 'node:crypto';

/** A random 64-bit serial as hex, first byte 0x10–0x7f: positive, minimal DER, no leading zero. */
export function randomSerialHex(): string {
  const bytes = randomBytes(8);
  bytes.writeUInt8(0x10 + (bytes.readUInt8(0) % 0x70), 0);
  return bytes.toString('hex');
}

/**
 * The hex to put into a DER INTEGER for a positive serial: even length, and `00`-padded when the
 * first nibble is 8–f so the number stays positive.
 */
export function serialToDerHex(serialHex: string): string {
  let hex = normalizeSerialHex(serialHex);
  if (hex.length % 2) hex = '0' + hex;
  return /^[89a-f]/.test(hex) ? '00' + hex : hex;
}

/** Lower-case hex without leading zeros ("0" for zero). Throws on non-hex input. */
export function normalizeSerialHex(serialHex: string): string {
  const hex = serialHex.trim().toLowerCase();
  if (!/^[0-9a-f]+$/.test(hex)) throw new Error(`not a hexadecimal serial: "${serialHex}"`);
  const stripped = hex.replace(/^0+/, '');
  return stripped === '' ? '0' : stripped;
}

export function serialToBigInt(serialHex: string): bigint {
  return BigInt('0x' + normalizeSerialHex(serialHex));
}

export function serialToDecimal(serialHex: string): string {
  return serialToBigInt(serialHex).toString(10);
}
