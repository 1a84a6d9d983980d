import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { brokenAmong, checkBankFile, loadForDoctor } from './bank-file.js';

const dir = mkdtempSync(join(tmpdir(), 'cc-doctor-bank-'));
let n = 0;
const file = (text: string): string => {
  const f = join(dir, `b${++n}.yaml`);
  writeFileSync(f, text);
  return f;
};
const PROFILES = ['berlin-group'];

describe('loadForDoctor', () => {
  it('loads a valid file like the loader does', () => {
    const bank = loadForDoctor(
      file('id: ok\nprofile: berlin-group\nbaseUrl: https://bank.example/psd2\nconsent:\n  id: ${C}\n'),
      { C: 'consent-secret' },
      PROFILES,
    );
    expect(bank.problems).toEqual([]);
    expect(bank.config).toMatchObject({ id: 'ok', baseUrl: 'https://bank.example/psd2', consent: { id: 'consent-secret' } });
    expect(bank.secrets).toEqual(['consent-secret']);
    expect(checkBankFile(bank)).toEqual([{ status: 'pass', check: 'bank file', message: 'id ok, profile berlin-group, baseUrl https://bank.example/psd2' }]);
  });

  it('reports every faulty field, not just the first', () => {
    const bank = loadForDoctor(
      file(
        [
          'id: Bad_Id',
          'profile: berlin-grup',
          'consent: { create: true }',
          'psu: { ipAddress: not-an-ip }',
          'limits: { timeoutMs: -1, concurrency: 2 }',
          'signing: { certificate: nope.pem, key: nope.key }',
          'extra: 1',
          '',
        ].join('\n'),
      ),
      {},
      PROFILES,
    );
    const fields = bank.problems.map((p) => p.field);
    expect(fields).toEqual(['extra', 'id', 'profile', 'baseUrl', 'psu.ipAddress', 'signing.certificate', 'limits.timeoutMs']);
    expect(bank.problems.find((p) => p.field === 'profile')!.message).toContain('did you mean berlin-group?');
    // The file name is printed once at the top of the report, not on every line.
    expect(bank.problems.every((p) => !p.message.startsWith(dir))).toBe(true);
    expect(bank.config).toBeDefined();
    expect(brokenAmong(bank, ['signing'])).toMatch(/^signing\.certificate has a problem/);
    expect(brokenAmong(bank, ['headers'])).toBeUndefined();
    expect(checkBankFile(bank).every((l) => l.status === 'fail')).toBe(true);
  });

  it('sets aside fields whose variable is unset, and checks the rest', () => {
    const bank = loadForDoctor(
      file('id: b\nprofile: berlin-group\nbaseUrl: ${URL}\nconsent:\n  id: ${C}\nheaders: { x-api-key: "${KEY}", x-ok: fine }\nlimits: { retries: many }\n'),
      { KEY: 'api-key-secret' },
      PROFILES,
    );
    expect(bank.problems.map((p) => p.field)).toEqual(['limits.retries']);
    expect([...bank.broken.keys()]).toEqual(['baseUrl', 'consent.id', 'limits.retries']);
    expect(bank.broken.get('baseUrl')).toBe('needs URL, which is not set');
    expect(bank.config?.headers).toEqual({ 'x-api-key': 'api-key-secret', 'x-ok': 'fine' });
    expect(bank.secrets).toEqual(['api-key-secret']);
    expect(brokenAmong(bank, ['consent'])).toBe('consent.id needs C, which is not set');
  });

  it('treats literal consent and PSU ids as secrets', () => {
    const bank = loadForDoctor(
      file('id: b\nprofile: berlin-group\nbaseUrl: http://127.0.0.1:1\nconsent: { id: literal-consent }\npsu: { id: literal-psu }\n'),
      {},
      PROFILES,
    );
    expect(bank.secrets.sort()).toEqual(['literal-consent', 'literal-psu']);
  });

  it("stops at a file that cannot be read or parsed, with the loader's message", () => {
    const missing = loadForDoctor(join(dir, 'missing.yaml'), {}, PROFILES);
    expect(missing.config).toBeUndefined();
    expect(missing.problems).toEqual([{ message: 'cannot read the bank file: no such file' }]);
    const yaml = loadForDoctor(file('id: b\nprofile: [berlin-group\n'), {}, PROFILES);
    expect(yaml.config).toBeUndefined();
    expect(yaml.problems[0]!.message).toMatch(/^invalid YAML at line \d+/);
    expect(loadForDoctor(file(''), {}, PROFILES).problems[0]!.message).toMatch(/the file is empty/);
  });
});
