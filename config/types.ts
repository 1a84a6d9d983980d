// The bank file (docs/architecture.md "Bank file"), after loading: variables substituted,
// defaults applied, paths resolved against the bank file's folder.

export type KeyIdFormat = 'bg-example' | 'adorsys' | 'plain-rfc2253' | 'decimal-serial';

export interface SigningConfig {
  /** PEM file paths, resolved to absolute paths. */
  certificate: string;
  key: string;
  /** Passphrase of an encrypted key (from a `${VAR}`; a secret). Absent: the key is not encrypted. */
  keyPassphrase?: string;
  keyIdFormat: KeyIdFormat;
  /** Sign the Date header too (some banks require it, some forbid it). */
  signDate: boolean;
  /** Sign (request-target) (some banks require it). */
  signRequestTarget: boolean;
  digestAlgorithm: 'SHA-256' | 'SHA-512';
}

/**
 * The PSU the requests are made for; each optional field is sent as its PSU-* header where the
 * profile lists it (collect/request-headers.ts), checked against the profile's format first.
 */
export interface PsuConfig {
  ipAddress: string;
  id?: string;
  corporateId?: string;
  context?: string;
  ipPort?: string;
  userAgent?: string;
  deviceId?: string;
  geoLocation?: string;
  accept?: string;
  acceptCharset?: string;
  acceptEncoding?: string;
  acceptLanguage?: string;
  httpMethod?: string;
}

export interface TppConfig {
  /** Sent as TPP-Redirect-URI. */
  redirectUri?: string;
}

export interface TlsConfig {
  /** PEM file paths, resolved to absolute paths. */
  certificate?: string;
  key?: string;
  ca?: string;
}

export interface Limits {
  concurrency: number;
  requestsPerSecond: number;
  timeoutMs: number;
  /** Retries for transport errors on idempotent requests. */
  retries: number;
  /** Bodies larger than this are cut and reported as a `too-large` failure. */
  maxBodyBytes: number;
  /** Accounts of the list that are read; beyond it the run samples and says so. */
  maxAccounts: number;
  /** Pages followed per transaction list; beyond it the run stops the chain and says so. */
  maxPages: number;
  /** Generated negative requests sent (one broken parameter constraint each), most informative first; 0 sends none. */
  negativeRequests: number;
}

export interface BankConfig {
  id: string;
  name: string;
  profile: string;
  baseUrl: string;
  consent: { id?: string; create: boolean };
  psu: PsuConfig;
  /** The TPP's own values sent where the profile requires them (TPP-Redirect-URI). */
  tpp?: TppConfig;
  /**
   * Signing options the bank file states explicitly (`signing.keyIdFormat`, `signing.signDate`);
   * what it leaves out, the profile decides (transport/signing/profile-signing.ts).
   */
  signingOverrides?: { keyIdFormat?: KeyIdFormat; signDate?: boolean };
  /** Absent: a test QSealC is generated for the run. */
  signing?: SigningConfig;
  tls?: TlsConfig;
  limits: Limits;
  /** Origins (`scheme://host:port`) besides baseUrl's that may receive requests (origin policy). */
  allowedOrigins: string[];
  /** The bank mandates signing (`signing.required`): the rejection suite runs whatever the profile says. */
  signingRequired: boolean;
  /** Extra headers the bank requires on every request. */
  headers: Record<string, string>;
  /** Where the config came from (a file path, or "(built-in reference bank)"). */
  source: string;
  /** Values that must never reach any output: every substituted ${VAR} value, consent id, PSU ids. */
  secrets: string[];
}

// Lives in core so that the bounded file reader (core/fs) can raise it; re-exported as part of config's surface.
export { ConfigError } from '../core/errors.js';
