import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/types.js';
import { generateTestPki, type TestPki } from '../../transport/pki/generate.js';
import { writePki } from '../../transport/pki/write.js';
import { readTrustedPki } from './trusted-pki.js';

let dir: string;
let pki: TestPki;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'trusted-pki-'));
  pki = generateTestPki();
  await writePki(pki, join(dir, 'certs'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readTrustedPki (sandbox --trust DIR)', () => {
  it('reads the root and the serial lists that pki --out wrote; the server pair only for --tls', () => {
    const plain = readTrustedPki(join(dir, 'certs'), { server: false });
    expect(plain.rootCaPem).toBe(pki.rootCaPem);
    expect(plain.revokedSerials).toEqual(pki.revokedSerials);
    expect(plain.blockedSerials).toEqual(pki.blockedSerials);
    expect(plain.server).toBeUndefined();
    expect(readTrustedPki(join(dir, 'certs'), { server: true }).server).toEqual({ certPem: pki.server.certPem, keyPem: pki.server.keyPem });
  });

  it('a folder without root-ca.pem, or with a broken one, is a ConfigError naming --trust', () => {
    expect(() => readTrustedPki(join(dir, 'nowhere'), { server: false })).toThrow(ConfigError);
    expect(() => readTrustedPki(join(dir, 'nowhere'), { server: false })).toThrow(/^--trust: cannot read .*root-ca\.pem: no such file/);
    const broken = mkdtempSync(join(dir, 'broken-'));
    writeFileSync(join(broken, 'root-ca.pem'), 'not a certificate');
    expect(() => readTrustedPki(broken, { server: false })).toThrow(/root-ca\.pem is not a PEM certificate/);
    writeFileSync(join(broken, 'root-ca.pem'), pki.rootCaPem);
    writeFileSync(join(broken, 'revoked-serials.txt'), 'zz-not-hex\n');
    expect(() => readTrustedPki(broken, { server: false })).toThrow(/is not a hexadecimal serial number/);
  });
});
