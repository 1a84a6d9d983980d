import { describe, expect, it } from 'vitest';
import { normalizeSerialHex, randomSerialHex, serialToBigInt, serialToDecimal, serialToDerHex } from './serial.js';

describe('serial numbers', () => {
  it('normalises to lower-case hex without leading zeros', () => {
    expect(normalizeSerialHex('00AB12')).toBe('ab12');
    expect(normalizeSerialHex(' 0 ')).toBe('0');
    expect(normalizeSerialHex('000')).toBe('0');
    expect(() => normalizeSerialHex('xyz')).toThrow(/not a hexadecimal serial/);
    expect(() => normalizeSerialHex('')).toThrow(/not a hexadecimal serial/);
  });

  it('pads serials whose first nibble is 8–f so the DER INTEGER stays positive', () => {
    expect(serialToDerHex('8e5c660ad95e4dbf')).toBe('008e5c660ad95e4dbf');
    expect(serialToDerHex('7e5c')).toBe('7e5c');
    expect(serialToDerHex('abc')).toBe('0abc');
    expect(serialToDerHex('0Fa1')).toBe('0fa1');
  });

  it('generates positive 64-bit serials with no leading zero and the top bit clear', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const s = randomSerialHex();
      expect(s).toMatch(/^[1-7][0-9a-f]{15}$/);
      seen.add(s);
    }
    expect(seen.size).toBe(500);
  });

  it('converts to numbers for numeric comparison', () => {
    expect(serialToBigInt('00ff')).toBe(255n);
    expect(serialToDecimal('9FA1')).toBe('40865');
  });
});
