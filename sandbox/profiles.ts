// Everything profile-specific about the reference bank is data: one reference-bank.yaml per
// profile folder (specs/profiles/NAME/), read by reference-bank-data.ts. These are its types. Code
// in data.ts, bank.ts and shapes.ts reads these fields and never tests the profile's name.
import { loadBankProfile } from './reference-bank-data.js';
import type { BalanceType } from './types.js';

export interface MerchantSeed {
  name: string;
  /** ISO 18245 merchant category code. */
  mcc: string;
  streetName: string;
  buildingNumber: string;
  townName: string;
  postCode: string;
  /** Some merchants publish no phone number, so cardAcceptorPhone is only sometimes filled. */
  phone?: string;
}

export interface CountrySeed {
  currency: string;
  /** UTC offset of acceptor times in that country (RFC 3339 form). */
  offset: string;
  merchants: MerchantSeed[];
}

export interface AccountTemplate {
  currency: string;
  /** Country (key of `countries`) of domestic purchases. */
  home: string;
  usage: 'PRIV' | 'ORGA';
  product: string;
  name: string;
  /** First six digits of the PAN (the issuer identification number). */
  bin: string;
  /** Credit limit in major units of the account currency. */
  creditLimit: number;
  /** The balances this account reports, in this order. */
  balanceTypes: BalanceType[];
  /** Countries of the first foreign purchases, so every account has FX entries of a known shape. */
  forcedForeign: string[];
  owners: string[];
  displayNames: string[];
  details: string;
  /** BITS extension: the account the card account is related to (relatedAccount.other). */
  relatedAccount?: { identification: string; schemeNameProprietary: string };
  /** Further cards (co-owner, extra card) on the account, listed where the wire shape has a cards array. */
  extraCards?: number;
  /**
   * The bank's own number of the card account (a corporate card account is known by it). Where
   * set, balances and transaction bodies and the consent information reference the account by
   * it (accountReference.other, with the currency) instead of by its maskedPan.
   */
  cardAccountNumber?: string;
  /** Names on the account's cards, its own card first, where the wire shape names card holders. */
  cardHolders?: string[];
}

/** JSON shape of the bodies: the data is Berlin Group–shaped and adapted at the end (shapes.ts). */
export type WireShape = 'berlin-group' | 'handelsbanken';

export interface BankProfile {
  id: string;
  title: string;
  accounts: AccountTemplate[];
  countries: Record<string, CountrySeed>;
  /** Reference rates: units of a currency per 1 EUR; the daily rates jitter around them. */
  ratesPerEur: Record<string, number>;
  /** Offset the bank writes its own date-times with (balances). */
  bankOffset: string;
  /** Character that hides PAN digits. */
  maskChar: string;
  /** FX markup as a percentage string. */
  markupFeePercentage: string;
  /** Day of month the invoice of the previous month falls due (booked payment date). */
  paymentDueDay: number;
  /** Booked transactions per account (inclusive range) and pending ones. */
  bookedCount: [number, number];
  pendingCount: [number, number];
  /** Days before the anchor date the history reaches back. */
  historyDays: number;
  /** Share of purchases made abroad (in another currency). */
  foreignShare: number;
  supportedBookingStatus: ('booked' | 'pending' | 'both')[];
  deltaListSupported: boolean;
  entryReferenceFromSupported: boolean;
  /** Query of the account's `transactions` link: the link must resolve, and bookingStatus is required. */
  transactionsLinkQuery: string;
  /** Name of the paging query parameter (1-based). */
  pageParameter: string;
  /** The bank shortens validUntil to at most this many days after today. */
  consentMaxValidityDays: number;
  scaApproach: 'REDIRECT' | 'DECOUPLED' | 'EMBEDDED';
  /** Base of RFC 7807 `type` URIs; the code is appended in lower-case with hyphens. */
  problemTypeBase: string;
  /** Longest tppMessages text / problem detail. */
  maxErrorText: number;
  wire: WireShape;
  /** Name of the account path parameter in the spec (the tppMessages path of a 404). */
  accountIdParameter: string;
  /** Headers (lower-case) every API call must carry besides the BG ones; missing → 400 FORMAT_ERROR. */
  requiredRequestHeaders: string[];
  /** Formats of request headers beyond the Berlin Group checks: a UUID, an absolute URI, or one of a list. */
  requestHeaderFormats?: Record<string, 'uuid' | 'uri' | string[]>;
  /**
   * The headers a request's signature must cover (lower-case), beyond what the verifier asks:
   * `always`, and `whenPresent` when the request carries them; otherwise 401 SIGNATURE_INVALID.
   */
  signedHeaders?: { always: string[]; whenPresent: string[] };
  /** Link objects carry the HTTP methods they accept (`verbs`, a BITS extension). */
  linkVerbs: boolean;
  /** The API has the BG consent endpoints (createConsent, status, information, delete). */
  consentEndpoints: boolean;
  /** The API's own code for each balance type it reports, where it does not use the Berlin Group names. */
  balanceTypeNames?: Partial<Record<BalanceType, string>>;
  /** Links are absolute URLs on the bank's own origin (else server-relative paths). */
  absoluteLinks: boolean;
  /**
   * A consent the bank holds as already authorised (allPsd2, valid from start-up), for APIs
   * that give consents elsewhere: the run uses it instead of creating one.
   */
  preAuthorisedConsentId?: string;
}

/**
 * The reference bank's data for a profile (specs/profiles/NAME/reference-bank.yaml over
 * sandbox/reference-bank.defaults.yaml). An unknown profile or one without reference-bank data is
 * a ConfigError naming `origin`; `missingHint` says what to do instead (sandbox/reference-bank-data.ts).
 */
export function getProfile(id: string, origin?: string, missingHint?: string): BankProfile {
  return loadBankProfile(id, origin, missingHint);
}
