import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { parseCertificate } from './certificate-info.js';
import { BAD_CERTIFICATE_IDS, generateTestPki } from './generate.js';
import { runPkiCommand, writePki } from './write.js';

const dirs: string[] = [];
const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'cc-pki-'));
  dirs.push(d);
  return d;
};
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('writePki', () => {
  it('writes every certificate and key, the serial lists and a README naming each fault', async () => {
    const pki = generateTestPki();
    const dir = await tempDir();
    const written = await writePki(pki, join(dir, 'nested', 'pki'));
    const out = join(dir, 'nested', 'pki');
    expect(written).toHaveLength(10 + BAD_CERTIFICATE_IDS.length * 2 + 3);
    expect((await readdir(out)).sort()).toEqual(
      [
        'README.md',
        'bad',
        'blocked-serials.txt',
        'qseal.key',
        'qseal.pem',
        'qwac.key',
        'qwac.pem',
        'revoked-serials.txt',
        'rogue-ca.key',
        'rogue-ca.pem',
        'root-ca.key',
        'root-ca.pem',
        'server.key',
        'server.pem',
      ].sort(),
    );
    expect(await readFile(join(out, 'root-ca.pem'), 'utf8')).toBe(pki.rootCaPem);
    expect(parseCertificate(await readFile(join(out, 'bad', 'revoked.pem'), 'utf8')).serialHex).toBe(pki.revokedSerials[0]);
    expect((await readFile(join(out, 'revoked-serials.txt'), 'utf8')).trim()).toBe(pki.revokedSerials[0]);
    expect((await readFile(join(out, 'blocked-serials.txt'), 'utf8')).trim()).toBe(pki.blockedSerials[0]);
    expect((await stat(join(out, 'qseal.key'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(out, 'bad', 'expired.key'))).mode & 0o777).toBe(0o600);
    const readme = await readFile(join(out, 'README.md'), 'utf8');
    for (const id of BAD_CERTIFICATE_IDS) {
      expect(readme).toContain(`bad/${id}.pem`);
      expect(readme).toContain(pki.bad[id].fault);
    }
    expect(readme).toContain('401 CERTIFICATE_EXPIRED');
    expect(readme).not.toContain('PRIVATE KEY');
  });
});

describe('runPkiCommand', () => {
  it('generates a fresh PKI into the folder and says where', async () => {
    const dir = await tempDir();
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await runPkiCommand(dir);
      expect(String(write.mock.calls[0]?.[0])).toContain(dir);
    } finally {
      write.mockRestore();
    }
    expect(parseCertificate(await readFile(join(dir, 'qseal.pem'), 'utf8')).psd2?.roles).toContain('PSP_AI');
  });
});
