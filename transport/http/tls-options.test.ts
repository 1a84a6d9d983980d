import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config/types.js';
import { tlsOptionsFromConfig } from './tls-options.js';

const dir = mkdtempSync(join(tmpdir(), 'tls-options-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tlsOptionsFromConfig', () => {
  it('reads the files the bank file names', () => {
    writeFileSync(join(dir, 'c.pem'), 'CERT');
    writeFileSync(join(dir, 'k.pem'), 'KEY');
    expect(tlsOptionsFromConfig({ certificate: join(dir, 'c.pem'), key: join(dir, 'k.pem') }, 'b.yaml')).toEqual({ certificatePem: 'CERT', keyPem: 'KEY' });
    expect(tlsOptionsFromConfig(undefined, 'b.yaml')).toBeUndefined();
  });

  it('a file gone since loading is a ConfigError naming the field', () => {
    expect(() => tlsOptionsFromConfig({ ca: join(dir, 'gone.pem') }, 'b.yaml')).toThrow(ConfigError);
    expect(() => tlsOptionsFromConfig({ ca: join(dir, 'gone.pem') }, 'b.yaml')).toThrow(/^b\.yaml: tls\.ca: cannot read/);
  });
});
