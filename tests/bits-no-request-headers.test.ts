// SR-Bank's page, request side: the bits-no profile's request headers are data in the profile,
// filled from the bank file (tpp.redirectUri, psu.*, headers) and checked against the profile's
// formats before anything is sent; the request builder puts every required one on every call.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildFollowRequest, buildRequest } from '../collect/request-builder.js';
import { profileRequestHeaders, sessionIdFor } from '../collect/request-headers.js';
import { defaultBankConfig, parseBankFile } from '../config/load.js';
import { ConfigError, type BankConfig } from '../config/types.js';
import { projectPath } from '../core/paths.js';
import { loadProfile, profileNames } from '../config/profile.js';
import { readProfileSigning, readRequestHeaderSpecs } from '../config/profile-headers.js';
import { loadProfileSpec } from '../schemas/load-profile-spec.js';
import { runDoctor } from '../app/doctor/doctor.js';
import { catalogueOf } from './fixtures/engine-run.js';
import { cli } from './fixtures/cli.js';

const bits = loadProfile('bits-no');
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The headers SR-Bank's page requires on every call that the request builder fills (the signer adds Signature and the certificate). */
const PAGE_HEADERS = ['x-accept-fix', 'x-request-id', 'tpp-session-id', 'tpp-redirect-uri', 'psu-ip-address'];

function bankFile(extra = '', profile = 'bits-no'): BankConfig {
  const text = `id: sr-bank\nprofile: ${profile}\nbaseUrl: https://psd2.bank.example\nconsent: { id: c-1 }\n${extra}`;
  return parseBankFile(text, { file: 'sr-bank.yaml', baseDir: tmpdir(), env: {}, profiles: profileNames() });
}

const configError = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('the bits-no profile lists its request headers as data', () => {
  it("marks the page's headers required, with their sources and formats", () => {
    const required = bits.headers
      .filter((h) => h.required)
      .map((h) => h.name.toLowerCase())
      .sort();
    expect(required).toEqual([
      'psu-ip-address',
      'signature',
      'tpp-redirect-uri',
      'tpp-session-id',
      'tpp-signature-certificate',
      'x-accept-fix',
      'x-request-id',
    ]);
    const byName = Object.fromEntries(bits.headers.map((h) => [h.name, h]));
    expect(byName['PSU-ID']).toMatchObject({ required: false, from: 'psu.id', format: 'uuid' });
    expect(byName['PSU-Device-ID']).toMatchObject({ from: 'psu.deviceId', format: 'uuid' });
    expect(byName['PSU-Context']).toMatchObject({ from: 'psu.context', enum: ['PRIVATE', 'CORPORATE'] });
    expect(byName['TPP-Session-ID']).toMatchObject({ from: 'session', format: 'uuid' });
  });
});

describe("the profiles' header formats agree with the spec's parameters", () => {
  it.each(['berlin-group', 'bits-no'])('%s: a header the spec types (uuid, ipv4, uri, enum) has the same format in the profile', (name) => {
    const profile = loadProfile(name);
    const params = (loadProfileSpec(profile).document.components?.parameters ?? {}) as Record<
      string,
      { name?: string; in?: string; schema?: { format?: string; enum?: string[] } }
    >;
    const disagreements: string[] = [];
    let compared = 0;
    for (const p of Object.values(params)) {
      if (p.in !== 'header' || !p.name) continue;
      const spec = profile.headers.find((h) => h.name.toLowerCase() === p.name!.toLowerCase());
      if (!spec) continue;
      if (p.schema?.format || p.schema?.enum) compared++;
      const format = p.schema?.format;
      if ((format === 'uuid' || format === 'ipv4' || format === 'uri') && spec.format !== format)
        disagreements.push(`${p.name}: spec ${format}, profile ${spec.format ?? 'none'}`);
      if (p.schema?.enum && JSON.stringify(spec.enum) !== JSON.stringify(p.schema.enum))
        disagreements.push(`${p.name}: spec enum ${p.schema.enum.join('|')}, profile ${spec.enum?.join('|') ?? 'none'}`);
    }
    expect(disagreements).toEqual([]);
    expect(compared).toBeGreaterThanOrEqual(3); // X-Request-ID, PSU-Device-ID, PSU-Http-Method at least
  });
});

describe("a profile's headers: and signing: sections are checked when the profile loads", () => {
  it.each([
    ['not a list', { a: 1 }, 'headers'],
    ['no source', [{ name: 'TPP-Session-ID', required: true }], 'headers[0].from'],
    ['an unknown format', [{ name: 'PSU-ID', from: 'psu.id', format: 'guid' }], 'headers[0].format'],
    [
      'a header twice',
      [
        { name: 'PSU-ID', from: 'psu.id' },
        { name: 'psu-id', from: 'psu.id' },
      ],
      'headers[1].name',
    ],
    ['a bad pattern', [{ name: 'PSU-ID', from: 'psu.id', pattern: '(' }], 'headers[0].pattern'],
  ])('headers: %s', (_what, raw, field) => {
    expect(configError(() => readRequestHeaderSpecs('p.yaml', raw)).field).toBe(field);
  });

  it('signing: lists of header names and a known keyId format', () => {
    expect(readProfileSigning('p.yaml', { required: true, signedHeaders: ['Date', 'digest'], keyIdFormat: 'plain-rfc2253' })).toEqual({
      required: true,
      signedHeaders: ['date', 'digest'],
      keyIdFormat: 'plain-rfc2253',
    });
    expect(configError(() => readProfileSigning('p.yaml', { signedHeaders: 'date digest' })).field).toBe('signing.signedHeaders');
    expect(configError(() => readProfileSigning('p.yaml', { keyIdFormat: 'rfc4514' })).field).toBe('signing.keyIdFormat');
  });
});

describe('filled from the bank file', () => {
  it('sends TPP-Session-ID (one UUID per run), TPP-Redirect-URI, PSU-IP-Address and x-accept-fix', () => {
    const bank = bankFile("tpp: { redirectUri: 'https://tpp.example/cb' }\npsu: { ipAddress: 198.51.100.7 }\n");
    const h = profileRequestHeaders(bank, bits);
    expect(h['tpp-session-id']).toMatch(UUID);
    expect(h['tpp-session-id']).toBe(sessionIdFor(bank));
    expect(profileRequestHeaders(bank, bits)['tpp-session-id']).toBe(h['tpp-session-id']);
    expect(profileRequestHeaders(bankFile("tpp: { redirectUri: 'https://tpp.example/cb' }\n"), bits)['tpp-session-id']).not.toBe(h['tpp-session-id']);
    expect(h).toMatchObject({ 'tpp-redirect-uri': 'https://tpp.example/cb', 'psu-ip-address': '198.51.100.7', 'x-accept-fix': 'none' });
    // The bank file's headers: win over the profile's default.
    expect(
      profileRequestHeaders(bankFile("tpp: { redirectUri: 'https://tpp.example/cb' }\nheaders: { x-accept-fix: new-feature }\n"), bits)['x-accept-fix'],
    ).toBe('new-feature');
  });

  it('sends the optional PSU headers the bank file sets, non-ASCII values RFC 2047-encoded', () => {
    const bank = bankFile(
      [
        "tpp: { redirectUri: 'https://tpp.example/cb' }",
        'psu:',
        '  id: 0b8d5c6e-3f1a-4c2b-9d7e-6a5f4e3d2c1b',
        '  context: CORPORATE',
        "  ipPort: '443'",
        '  deviceId: 5a1c9f0e-2b3d-4e5f-8a7b-1c2d3e4f5a6b',
        "  geoLocation: 'GEO:58.969975;5.733107'",
        '  userAgent: Nettbank/3.2 (Sandnes, Rogaland – Norge)',
        '',
      ].join('\n'),
    );
    const h = profileRequestHeaders(bank, bits);
    expect(h).toMatchObject({
      'psu-id': '0b8d5c6e-3f1a-4c2b-9d7e-6a5f4e3d2c1b',
      'psu-context': 'CORPORATE',
      'psu-ip-port': '443',
      'psu-device-id': '5a1c9f0e-2b3d-4e5f-8a7b-1c2d3e4f5a6b',
      'psu-geo-location': 'GEO:58.969975;5.733107',
    });
    expect(h['psu-user-agent']).toBe(`=?utf-8?B?${Buffer.from('Nettbank/3.2 (Sandnes, Rogaland – Norge)', 'utf8').toString('base64')}?=`);
    // The device id names the PSU's phone: a secret like the PSU id.
    expect(bank.secrets).toContain('5a1c9f0e-2b3d-4e5f-8a7b-1c2d3e4f5a6b');
  });

  it('keeps a non-ASCII PSU id secret in its encoded form too (the form that is sent and recorded)', () => {
    const bank = bankFile("tpp: { redirectUri: 'https://tpp.example/cb' }\npsu: { corporateId: 'Sandnes Sjømat AS' }\n");
    expect(bank.secrets).toEqual(expect.arrayContaining(['Sandnes Sjømat AS', `=?utf-8?B?${Buffer.from('Sandnes Sjømat AS', 'utf8').toString('base64')}?=`]));
  });

  it.each([
    ['no tpp.redirectUri', '', 'tpp.redirectUri', /required by the bits-no profile: it is sent as TPP-Redirect-URI/],
    ['PSU-ID not a UUID', "tpp: { redirectUri: 'https://tpp.example/cb' }\npsu: { id: PSU-4711 }\n", 'psu.id', /must be a UUID for PSU-ID/],
    [
      'PSU-Device-ID not a UUID',
      "tpp: { redirectUri: 'https://tpp.example/cb' }\npsu: { deviceId: iphone-12 }\n",
      'psu.deviceId',
      /must be a UUID for PSU-Device-ID/,
    ],
    [
      'PSU-Context outside its enum',
      "tpp: { redirectUri: 'https://tpp.example/cb' }\npsu: { context: BUSINESS }\n",
      'psu.context',
      /must be one of PRIVATE, CORPORATE/,
    ],
    ['PSU-IP-Port not a port', "tpp: { redirectUri: 'https://tpp.example/cb' }\npsu: { ipPort: '99999' }\n", 'psu.ipPort', /port number/],
    [
      'PSU-Geo-Location malformed',
      "tpp: { redirectUri: 'https://tpp.example/cb' }\npsu: { geoLocation: 'Stavanger' }\n",
      'psu.geoLocation',
      /PSU-Geo-Location/,
    ],
  ])('refuses a bank file with %s, naming the field', (_what, extra, field, message) => {
    const e = configError(() => profileRequestHeaders(bankFile(extra), bits));
    expect(e.field).toBe(field);
    expect(e.message).toMatch(/^sr-bank\.yaml: /);
    expect(e.message).toMatch(message);
  });

  it('refuses a malformed tpp.redirectUri already when loading, and a PSU field the profile has no header for', () => {
    expect(configError(() => bankFile("tpp: { redirectUri: '/cb' }\n")).field).toBe('tpp.redirectUri');
    expect(configError(() => bankFile("tpp: { redirect: 'https://x.example' }\n")).field).toBe('tpp.redirect');
    const hb = bankFile('psu: { context: PRIVATE }\n', 'handelsbanken');
    expect(configError(() => profileRequestHeaders(hb, loadProfile('handelsbanken'))).field).toBe('psu.context');
  });

  it('a header given outright under headers: satisfies the profile, is checked against its format, and is sent as written', () => {
    const bank = bankFile("headers: { TPP-Redirect-URI: 'https://tpp.example/from-headers', PSU-IP-Address: 203.0.113.9 }\n");
    const { catalogue } = catalogueOf('bits-no');
    const req = buildRequest(
      catalogue.operations.find((o) => o.role === 'listCardAccounts')!,
      { bank, profile: bits, consentId: 'c-1' },
    );
    expect(req.headers).toMatchObject({ 'tpp-redirect-uri': 'https://tpp.example/from-headers', 'psu-ip-address': '203.0.113.9' });
    expect(configError(() => profileRequestHeaders(bankFile("headers: { TPP-Redirect-URI: '/relative' }\n"), bits)).field).toBe('headers.tpp-redirect-uri');
  });

  it('the built-in reference bank stands in for the TPP (its own redirect URI)', () => {
    const h = profileRequestHeaders(defaultBankConfig('http://127.0.0.1:1', 'bits-no'), bits);
    expect(h['tpp-redirect-uri']).toMatch(/^https:\/\//);
  });
});

describe('specs/profiles/bits-no/example-bank.yaml', () => {
  it('passes the bank-file schema and supplies every header the profile requires', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(projectPath('banks', 'bank-file.schema.json'), 'utf8')) as object);
    const text = readFileSync(projectPath('specs', 'profiles', 'bits-no', 'example-bank.yaml'), 'utf8');
    expect(validate(parse(text)), JSON.stringify(validate.errors)).toBe(true);
    // The certificate files are only checked for a PEM block here; the example reads them from the environment.
    const dir = mkdtempSync(join(tmpdir(), 'cc-bits-example-'));
    try {
      writeFileSync(join(dir, 'c.pem'), '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n');
      writeFileSync(join(dir, 'k.pem'), '-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n');
      const bank = parseBankFile(text, {
        file: 'example-bank.yaml',
        baseDir: dir,
        env: { SRBANK_CONSENT_ID: 'c-1', SRBANK_QSEAL_CERT: 'c.pem', SRBANK_QSEAL_KEY: 'k.pem' },
        profiles: profileNames(),
      });
      expect(Object.keys(profileRequestHeaders(bank, bits)).sort()).toEqual(['psu-ip-address', 'tpp-redirect-uri', 'tpp-session-id', 'x-accept-fix']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the schema rejects a tpp.redirectUri that is not an http(s) URI and an unknown tpp field', () => {
    const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(projectPath('banks', 'bank-file.schema.json'), 'utf8')) as object);
    const base = { id: 'a', profile: 'bits-no', baseUrl: 'https://x.example', consent: { create: true } };
    expect(validate({ ...base, tpp: { redirectUri: 'https://tpp.example/cb' }, psu: { context: 'PRIVATE', deviceId: 'd' } })).toBe(true);
    expect(validate({ ...base, tpp: { redirectUri: '/cb' } })).toBe(false);
    expect(validate({ ...base, tpp: { redirect: 'https://tpp.example/cb' } })).toBe(false);
  });
});

describe('the request builder sends every required header on every call', () => {
  it('on every operation of the bits-no catalogue, and on followed links', () => {
    const bank = bankFile("tpp: { redirectUri: 'https://tpp.example/cb' }\n");
    const { catalogue } = catalogueOf('bits-no');
    for (const op of catalogue.operations) {
      const req = buildRequest(op, { bank, profile: bits, consentId: 'c-1', pathParams: { 'account-id': 'enc!!a', consentId: 'c-1' } });
      for (const h of PAGE_HEADERS) expect(req.headers[h], `${op.operationId}: ${h}`).toBeTruthy();
      expect(req.headers['tpp-session-id']).toBe(sessionIdFor(bank));
    }
    const follow = buildFollowRequest('https://psd2.bank.example/v1/card-accounts/enc!!a/balances', { bank, profile: bits, consentId: 'c-1' });
    for (const h of PAGE_HEADERS) expect(follow.headers[h], `followed link: ${h}`).toBeTruthy();
  });
});

describe('the CLI', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('doctor lists a missing tpp.redirectUri and a malformed PSU header with the other problems', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-bits-doctor-'));
    const file = join(dir, 'sr-bank.yaml');
    writeFileSync(file, 'id: sr-bank\nprofile: bits-no\nbaseUrl: http://127.0.0.1:9\nconsent: { id: c-1 }\nlimits: { timeoutMs: 2000 }\n');
    const report = await runDoctor({ file, env: {} });
    expect(report.lines.find((l) => l.check === 'request headers')).toMatchObject({ status: 'fail', field: 'tpp.redirectUri' });
    writeFileSync(
      file,
      "id: sr-bank\nprofile: bits-no\nbaseUrl: http://127.0.0.1:9\nconsent: { id: c-1 }\nlimits: { timeoutMs: 2000 }\ntpp: { redirectUri: 'https://tpp.example/cb' }\npsu: { context: BUSINESS }\n",
    );
    expect((await runDoctor({ file, env: {} })).lines.find((l) => l.check === 'request headers')).toMatchObject({ status: 'fail', field: 'psu.context' });
    writeFileSync(
      file,
      "id: sr-bank\nprofile: bits-no\nbaseUrl: http://127.0.0.1:9\nconsent: { id: c-1 }\nlimits: { timeoutMs: 2000 }\ntpp: { redirectUri: 'https://tpp.example/cb' }\n",
    );
    expect((await runDoctor({ file, env: {} })).lines.find((l) => l.check === 'request headers')).toMatchObject({ status: 'pass' });
  }, 60_000);

  it('exits 2 naming tpp.redirectUri for a bits-no bank file without it, before anything is sent', async () => {
    dir = mkdtempSync(join(tmpdir(), 'cc-bits-tpp-'));
    const file = join(dir, 'sr-bank.yaml');
    // Port 9 (discard) on loopback: nothing listens, so a request sent by mistake would fail as exit 3, not 2.
    writeFileSync(file, 'id: sr-bank\nprofile: bits-no\nbaseUrl: http://127.0.0.1:9\nconsent: { id: c-1 }\nsigning: { required: true }\n');
    const r = await cli(['run', '--bank', file, '--out', join(dir, 'out'), '--no-report'], { timeoutMs: 60_000 });
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain(`${file}: tpp.redirectUri: required by the bits-no profile`);
  }, 90_000);
});
