// The bank-file fields that feed request headers: `tpp:` (TPP-Redirect-URI), the optional PSU
// fields under `psu:` (PSU-Context, PSU-Device-ID, …) and the signing options the file states
// explicitly. Only their shape is checked here (strings, one line, a URI); their formats belong to
// the profile and are checked against it before anything is sent (collect/request-headers.ts).
import { encodeHeaderValue } from '../core/rfc2047.js';
import type { BankConfig, KeyIdFormat, PsuConfig } from './types.js';
import { ConfigError } from './types.js';

/** psu: fields beyond ipAddress, id and corporateId, each sent as one PSU-* header. */
export const PSU_HEADER_FIELDS = [
  'context',
  'ipPort',
  'userAgent',
  'deviceId',
  'geoLocation',
  'accept',
  'acceptCharset',
  'acceptEncoding',
  'acceptLanguage',
  'httpMethod',
] as const satisfies readonly (keyof PsuConfig)[];

export const TPP_FIELDS = ['redirectUri'] as const;

/** The TPP-Redirect-URI of the embedded reference bank's runs (no real TPP behind it). */
export const BUILT_IN_TPP = Object.freeze({ redirectUri: 'https://tpp.example/card-conformance/redirect' });

const KEY_ID_FORMATS: readonly KeyIdFormat[] = ['bg-example', 'adorsys', 'plain-rfc2253', 'decimal-serial'];

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Adds `tpp`, the optional PSU fields and the explicit signing options of the (substituted)
 * bank-file mapping `root` to `config`. Throws ConfigError naming the field.
 */
export function applyRequestHeaderFields(config: BankConfig, root: Record<string, unknown>): void {
  const file = config.source;
  const text = (value: unknown, field: string): string | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new ConfigError(file, field, `must be a string${typeof value === 'number' ? ' (quote it)' : ''}`);
    if (value.trim() === '') throw new ConfigError(file, field, 'must not be empty');
    if (/[\r\n\0]/.test(value)) throw new ConfigError(file, field, 'must not contain line breaks or NUL');
    return value;
  };

  if (isMapping(root.psu)) {
    for (const key of PSU_HEADER_FIELDS) {
      const value = text(root.psu[key], `psu.${key}`);
      if (value !== undefined) config.psu[key] = value;
    }
    // A device id names the PSU's phone as much as PSU-ID names the PSU.
    if (config.psu.deviceId && !config.secrets.includes(config.psu.deviceId)) config.secrets.push(config.psu.deviceId);
  }
  // A PSU id outside ASCII travels RFC 2047-encoded: that text, as recorded, is as secret as the id.
  for (const value of [config.psu.id, config.psu.corporateId, config.psu.deviceId]) {
    const encoded = value === undefined ? value : encodeHeaderValue(value);
    if (encoded !== undefined && encoded !== value && !config.secrets.includes(encoded)) config.secrets.push(encoded);
  }

  if (root.tpp !== undefined && root.tpp !== null) {
    if (!isMapping(root.tpp)) throw new ConfigError(file, 'tpp', 'must be a mapping (redirectUri: https://…)');
    for (const key of Object.keys(root.tpp)) {
      // why the cast: includes() on a literal tuple only takes its members; any string is asked here
      if (!(TPP_FIELDS as readonly string[]).includes(key)) throw new ConfigError(file, `tpp.${key}`, `unknown field (known fields: ${TPP_FIELDS.join(', ')})`);
    }
    const redirectUri = text(root.tpp.redirectUri, 'tpp.redirectUri');
    if (redirectUri !== undefined) {
      let url: URL | undefined;
      try {
        url = new URL(redirectUri);
      } catch {
        url = undefined;
      }
      if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:'))
        throw new ConfigError(file, 'tpp.redirectUri', 'must be an absolute http(s) URI (e.g. https://tpp.example/callback)');
      config.tpp = { redirectUri };
    }
  }

  if (isMapping(root.signing)) {
    const overrides: NonNullable<BankConfig['signingOverrides']> = {};
    const format = root.signing.keyIdFormat;
    // why the casts: includes() on the literal tuple takes any string, and a string it contains is a KeyIdFormat
    if (typeof format === 'string' && (KEY_ID_FORMATS as readonly string[]).includes(format)) overrides.keyIdFormat = format as KeyIdFormat;
    const signDate = root.signing.signDate;
    if (typeof signDate === 'boolean') overrides.signDate = signDate;
    else if (signDate === 'true' || signDate === 'false') overrides.signDate = signDate === 'true';
    if (Object.keys(overrides).length > 0) config.signingOverrides = overrides;
  }
}
