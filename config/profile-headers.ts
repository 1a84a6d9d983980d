// What a profile says about the requests themselves: the request headers it sends (which are
// required on every call, where each value comes from, the format it must have) and how requests
// are signed (the signed header list, the keyId format). Read from the profile's
// `headers:` and `signing:` sections; collect/request-headers.ts and app/run/signing.ts use it.
import { isIPv4, isIPv6 } from 'node:net';
import type { KeyIdFormat } from './types.js';
import { ConfigError } from './types.js';

/** Where a header's value comes from. */
export type HeaderSource =
  /** A fresh UUID per request (X-Request-ID). */
  | 'generated'
  /** One UUID per run and bank (TPP-Session-ID). */
  | 'session'
  /** Added by the request signer (Signature, TPP-Signature-Certificate, Digest, Date). */
  | 'signer'
  /** The bank file's `headers:`, else the profile's `requestHeaders:` default. */
  | 'headers'
  /** A bank-file field: psu.ipAddress, psu.id, …, tpp.redirectUri. */
  | `psu.${string}`
  | `tpp.${string}`;

export type HeaderFormat = 'uuid' | 'ipv4' | 'ip' | 'uri' | 'port';

export interface RequestHeaderSpec {
  /** As the document spells it (sent lower-case). */
  name: string;
  /** Sent on every call; a value the bank file cannot supply is a configuration error. */
  required: boolean;
  from: HeaderSource;
  format?: HeaderFormat;
  enum?: string[];
  /** A regular expression the whole value must match. */
  pattern?: string;
}

/** The profile's signing rules; a bank file's `signing.keyIdFormat` / `signDate` override them per bank. */
export interface ProfileSigning {
  required: boolean;
  /** Always signed, in this order (lower-case); default `digest`, `x-request-id`. */
  signedHeaders?: string[];
  /** Signed whenever the request carries them; default `psu-id`, `psu-corporate-id`, `tpp-redirect-uri`. */
  signedWhenPresent?: string[];
  /** keyId format with any certificate (the bank file's or the run's test QSealC). */
  keyIdFormat?: KeyIdFormat;
}

const FORMATS: readonly HeaderFormat[] = ['uuid', 'ipv4', 'ip', 'uri', 'port'];
const KEY_ID_FORMATS: readonly KeyIdFormat[] = ['bg-example', 'adorsys', 'plain-rfc2253', 'decimal-serial'];
const SOURCE_RE = /^(generated|session|signer|headers|psu\.[a-zA-Z]+|tpp\.[a-zA-Z]+)$/;
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The profile's `headers:` list (absent: none beyond what the spec requires). */
export function readRequestHeaderSpecs(file: string, raw: unknown): RequestHeaderSpec[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw new ConfigError(file, 'headers', 'must be a list of { name, required, from, format | enum | pattern }');
  const seen = new Set<string>();
  return raw.map((item: unknown, i) => {
    const at = `headers[${i}]`;
    if (!isMapping(item)) throw new ConfigError(file, at, 'must be a mapping');
    const { name, required, from, format, pattern } = item;
    if (typeof name !== 'string' || !HEADER_NAME.test(name)) throw new ConfigError(file, `${at}.name`, 'must be a header name');
    if (seen.has(name.toLowerCase())) throw new ConfigError(file, `${at}.name`, `repeats ${name}`);
    seen.add(name.toLowerCase());
    if (required !== undefined && typeof required !== 'boolean') throw new ConfigError(file, `${at}.required`, 'must be true or false');
    if (typeof from !== 'string' || !SOURCE_RE.test(from))
      throw new ConfigError(file, `${at}.from`, 'must be generated, session, signer, headers, psu.<field> or tpp.<field>');
    const spec: RequestHeaderSpec = { name, required: required === true, from: from as HeaderSource };
    if (format !== undefined) {
      if (!(FORMATS as readonly unknown[]).includes(format)) throw new ConfigError(file, `${at}.format`, `must be one of ${FORMATS.join(', ')}`);
      spec.format = format as HeaderFormat;
    }
    if (item.enum !== undefined) {
      if (!Array.isArray(item.enum) || item.enum.some((v) => typeof v !== 'string')) throw new ConfigError(file, `${at}.enum`, 'must be a list of strings');
      spec.enum = item.enum as string[];
    }
    if (pattern !== undefined) {
      if (typeof pattern !== 'string') throw new ConfigError(file, `${at}.pattern`, 'must be a regular expression');
      try {
        new RegExp(pattern);
      } catch {
        throw new ConfigError(file, `${at}.pattern`, 'is not a valid regular expression');
      }
      spec.pattern = pattern;
    }
    return spec;
  });
}

/** The profile's `signing:` section, checked. */
export function readProfileSigning(file: string, raw: unknown): ProfileSigning {
  if (raw === undefined || raw === null) return { required: false };
  if (!isMapping(raw)) throw new ConfigError(file, 'signing', 'must be a mapping');
  const out: ProfileSigning = { required: raw.required === true };
  const names = (key: 'signedHeaders' | 'signedWhenPresent'): void => {
    const v = raw[key];
    if (v === undefined) return;
    if (!Array.isArray(v) || v.some((n) => typeof n !== 'string' || (n !== '(request-target)' && !HEADER_NAME.test(n))))
      throw new ConfigError(file, `signing.${key}`, 'must be a list of header names');
    out[key] = (v as string[]).map((n) => n.toLowerCase());
  };
  names('signedHeaders');
  names('signedWhenPresent');
  if (raw.keyIdFormat !== undefined) {
    if (!(KEY_ID_FORMATS as readonly unknown[]).includes(raw.keyIdFormat))
      throw new ConfigError(file, 'signing.keyIdFormat', `must be one of ${KEY_ID_FORMATS.join(', ')}`);
    out.keyIdFormat = raw.keyIdFormat as KeyIdFormat;
  }
  return out;
}

/** Why `value` does not fit the header's format, or undefined when it does. */
export function headerValueProblem(spec: RequestHeaderSpec, value: string): string | undefined {
  switch (spec.format) {
    case 'uuid':
      if (!UUID.test(value)) return `must be a UUID for ${spec.name}`;
      break;
    case 'ipv4':
      if (!isIPv4(value)) return `must be an IPv4 address for ${spec.name}`;
      break;
    case 'ip':
      if (!isIPv4(value) && !isIPv6(value)) return `must be an IP address for ${spec.name}`;
      break;
    case 'port':
      if (!/^[0-9]{1,5}$/.test(value) || Number(value) < 1 || Number(value) > 65535) return `must be a port number (1-65535) for ${spec.name}`;
      break;
    case 'uri': {
      let ok = false;
      try {
        ok = /^[a-z][a-z0-9+.-]*:/i.test(value) && new URL(value).href !== '';
      } catch {
        ok = false;
      }
      if (!ok) return `must be an absolute URI for ${spec.name}`;
      break;
    }
    default:
      break;
  }
  if (spec.enum && !spec.enum.includes(value)) return `must be one of ${spec.enum.join(', ')} for ${spec.name}`;
  if (spec.pattern && !new RegExp(spec.pattern).test(value)) return `does not have the format ${spec.name} needs (${spec.pattern})`;
  return undefined;
}
