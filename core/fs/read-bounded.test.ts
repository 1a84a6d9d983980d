import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { BoundedReadError, readBoundedText, readConfigFile } from './read-bounded.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'read-bounded-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function detail(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(BoundedReadError);
    return (e as BoundedReadError).detail;
  }
  throw new Error('expected a BoundedReadError');
}

describe('readBoundedText', () => {
  it('reads a regular file up to the cap, and the cap exactly', () => {
    writeFileSync(join(dir, 'a.txt'), 'x'.repeat(100));
    expect(readBoundedText(join(dir, 'a.txt'), 100)).toBe('x'.repeat(100));
  });

  it('refuses a file one byte over the cap', () => {
    writeFileSync(join(dir, 'a.txt'), 'x'.repeat(101));
    expect(detail(() => readBoundedText(join(dir, 'a.txt'), 100))).toBe('is 101 bytes; the limit is 100 bytes');
  });

  it.skipIf(process.platform === 'win32')('refuses devices, FIFOs and folders without blocking', () => {
    expect(detail(() => readBoundedText('/dev/zero', 1024))).toBe('is a device, not a regular file');
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    expect(detail(() => readBoundedText(join(dir, 'pipe'), 1024))).toBe('is a named pipe (FIFO), not a regular file');
    mkdirSync(join(dir, 'folder'));
    expect(detail(() => readBoundedText(join(dir, 'folder'), 1024))).toBe('is a folder, not a file');
  });

  it('a missing file says so', () => {
    expect(detail(() => readBoundedText(join(dir, 'nope'), 1024))).toBe('no such file');
  });

  it('readConfigFile turns a failure into a ConfigError naming source and field', () => {
    expect(() => readConfigFile('/dev/zero', { source: 'bank.yaml', field: 'tls.ca', maxBytes: 10 })).toThrow(
      new ConfigError('bank.yaml', 'tls.ca', 'cannot read /dev/zero: is a device, not a regular file'),
    );
  });
});
