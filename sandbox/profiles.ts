// Everything profile-specific about the reference bank lives in one data object per profile
// ('berlin-group', 'bits-no', 'handelsbanken'). Code in data.ts, bank.ts and shapes.ts reads
// these fields and never tests the profile's name.
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

const NORDIC_PERSONS = ['Astrid Lindqvist', 'Erik Johansson', 'Kari Nordmann', 'Ola Haugen', 'Sofia Berg', 'Liisa Virtanen'];

/** Merchants by country, shared by every profile (a profile's accounts pick their home among them). */
const COUNTRIES: Record<string, CountrySeed> = {
  SE: {
    currency: 'SEK', offset: '+01:00', merchants: [
      { name: 'Lunds Matmarknad', mcc: '5411', streetName: 'Bangatan', buildingNumber: '12', townName: 'Lund', postCode: '222 21', phone: '+46-46123456' },
      { name: 'Kafé Solsidan', mcc: '5812', streetName: 'Drottninggatan', buildingNumber: '71', townName: 'Stockholm', postCode: '111 36' },
      { name: 'Västkust Bensin', mcc: '5541', streetName: 'Hamnvägen', buildingNumber: '3', townName: 'Göteborg', postCode: '417 64', phone: '+46-31-7654321' },
      { name: 'Norrbok Bokhandel', mcc: '5942', streetName: 'Storgatan', buildingNumber: '5B', townName: 'Umeå', postCode: '903 26', phone: '+46-90123987' },
    ],
  },
  NO: {
    currency: 'NOK', offset: '+01:00', merchants: [
      { name: 'Fjordkiosken', mcc: '5814', streetName: 'Strandkaien', buildingNumber: '2', townName: 'Stavanger', postCode: '4005', phone: '+47-51500000' },
      { name: 'Bryggen Dagligvare', mcc: '5411', streetName: 'Bryggen', buildingNumber: '17', townName: 'Bergen', postCode: '5003', phone: '+47-55334455' },
      { name: 'Nordlys Elektro', mcc: '5732', streetName: 'Karl Johans gate', buildingNumber: '31', townName: 'Oslo', postCode: '0159', phone: '+47-22334455' },
      { name: 'Tromsø Taxi', mcc: '4121', streetName: 'Storgata', buildingNumber: '88', townName: 'Tromsø', postCode: '9008' },
    ],
  },
  FI: {
    currency: 'EUR', offset: '+02:00', merchants: [
      { name: 'Kauppatori Deli', mcc: '5411', streetName: 'Pohjoisesplanadi', buildingNumber: '9', townName: 'Helsinki', postCode: '00170', phone: '+358-9-1234567' },
      { name: 'Hotelli Saimaa', mcc: '7011', streetName: 'Rantakatu', buildingNumber: '4', townName: 'Lappeenranta', postCode: '53100', phone: '+358-5-4567890' },
      { name: 'Ravintola Aalto', mcc: '5812', streetName: 'Hämeenkatu', buildingNumber: '22', townName: 'Tampere', postCode: '33200' },
      { name: 'Turun Apteekki', mcc: '5912', streetName: 'Yliopistonkatu', buildingNumber: '15', townName: 'Turku', postCode: '20100', phone: '+358-2-2345678' },
    ],
  },
  JP: {
    currency: 'JPY', offset: '+09:00', merchants: [
      { name: 'Shibuya Ramen-ya', mcc: '5812', streetName: 'Dogenzaka', buildingNumber: '2-10', townName: 'Tokyo', postCode: '150-0043', phone: '+81-3-34567890' },
      { name: 'Kyoto Denki', mcc: '5732', streetName: 'Kawaramachi-dori', buildingNumber: '345', townName: 'Kyoto', postCode: '604-8027', phone: '+81-75-1234567' },
      { name: 'Osaka Station Kiosk', mcc: '5499', streetName: 'Umeda', buildingNumber: '3-1-1', townName: 'Osaka', postCode: '530-0001' },
      { name: 'JR Pass Office', mcc: '4111', streetName: 'Marunouchi', buildingNumber: '1-9-1', townName: 'Tokyo', postCode: '100-0005', phone: '+81-3-52101234' },
    ],
  },
  KW: {
    currency: 'KWD', offset: '+03:00', merchants: [
      { name: 'Souq Al-Mubarakiya Spices', mcc: '5499', streetName: 'Abdullah Al-Salem Street', buildingNumber: '14', townName: 'Kuwait City', postCode: '13001', phone: '+965-22456789' },
      { name: 'Gulf Tower Hotel', mcc: '7011', streetName: 'Arabian Gulf Street', buildingNumber: '220', townName: 'Kuwait City', postCode: '15252', phone: '+965-22991100' },
      { name: 'Salmiya Electronics', mcc: '5732', streetName: 'Salem Al-Mubarak Street', buildingNumber: '61', townName: 'Salmiya', postCode: '22001' },
    ],
  },
  US: {
    currency: 'USD', offset: '-05:00', merchants: [
      { name: 'Hudson Street Diner', mcc: '5812', streetName: 'Hudson Street', buildingNumber: '410', townName: 'New York', postCode: '10014', phone: '+1-212-5550142' },
      { name: 'Midtown Books', mcc: '5942', streetName: 'West 43rd Street', buildingNumber: '57', townName: 'New York', postCode: '10036' },
    ],
  },
  GB: {
    currency: 'GBP', offset: 'Z', merchants: [
      { name: 'Camden Market Stall', mcc: '5999', streetName: 'Camden High Street', buildingNumber: '54', townName: 'London', postCode: 'NW1 8NH' },
      { name: 'Thames Rail', mcc: '4111', streetName: 'Euston Road', buildingNumber: '1', townName: 'London', postCode: 'NW1 2RT', phone: '+44-20-79461234' },
    ],
  },
  DK: {
    currency: 'DKK', offset: '+01:00', merchants: [
      { name: 'Nyhavn Smørrebrød', mcc: '5812', streetName: 'Nyhavn', buildingNumber: '21', townName: 'København', postCode: '1051', phone: '+45-33123456' },
    ],
  },
};

const RATES_PER_EUR: Record<string, number> = { EUR: 1, SEK: 11.2, NOK: 11.7, DKK: 7.46, JPY: 162, KWD: 0.335, USD: 1.08, GBP: 0.85 };

export const BERLIN_GROUP: BankProfile = {
  id: 'berlin-group',
  title: 'Berlin Group NextGenPSD2 1.3.12 reference bank',
  accounts: [
    {
      currency: 'SEK', home: 'SE', usage: 'PRIV', product: 'Platinum Mastercard', name: 'Mastercard Platinum',
      bin: '552266', creditLimit: 80_000, balanceTypes: ['interimBooked', 'interimAvailable', 'nonInvoiced'],
      forcedForeign: ['JP', 'US'], owners: NORDIC_PERSONS, displayNames: ['Everyday card', 'Family card', 'Main card'],
      details: 'Credit card account with a monthly invoice; the invoice is due on the 20th.',
    },
    {
      currency: 'NOK', home: 'NO', usage: 'PRIV', product: 'Visa Gold', name: 'Visa Gold',
      bin: '492913', creditLimit: 75_000, balanceTypes: ['openingBooked', 'closingBooked', 'expected'],
      forcedForeign: ['GB'], owners: NORDIC_PERSONS, displayNames: ['Travel card', 'Holiday card'],
      details: 'Gold credit card with travel insurance; monthly invoice.',
    },
    {
      currency: 'EUR', home: 'FI', usage: 'ORGA', product: 'Business Visa', name: 'Visa Business',
      bin: '415231', creditLimit: 10_000, balanceTypes: ['interimBooked', 'forwardAvailable', 'nonInvoiced'],
      forcedForeign: ['KW', 'JP'], owners: ['Nordlys Consulting Oy', 'Saimaa Logistics Oy'], displayNames: ['Company card', 'Project card'],
      details: 'Corporate liability card; invoices go to the company.',
      cardAccountNumber: 'KORT-FI-0042-7731',
    },
    {
      currency: 'JPY', home: 'JP', usage: 'PRIV', product: 'Travel Mastercard', name: 'Mastercard Travel',
      bin: '535110', creditLimit: 1_500_000, balanceTypes: ['closingBooked', 'interimAvailable', 'expected'],
      forcedForeign: ['FI', 'KW'], owners: ['Aiko Tanaka', 'Haruto Sato', 'Yui Suzuki'], displayNames: ['Yen card', 'Tokyo card'],
      details: 'Yen-denominated credit card for residents of Japan.',
    },
    {
      currency: 'KWD', home: 'KW', usage: 'ORGA', product: 'Corporate Visa', name: 'Visa Corporate',
      bin: '446291', creditLimit: 4_000, balanceTypes: ['openingBooked', 'interimBooked', 'forwardAvailable'],
      forcedForeign: ['JP', 'SE'], owners: ['Gulf Harbour Trading W.L.L.', 'Al Noor Engineering K.S.C.'], displayNames: ['Dinar card', 'Expenses card'],
      details: 'Dinar corporate card for business travel expenses.',
    },
  ],
  countries: COUNTRIES,
  ratesPerEur: RATES_PER_EUR,
  bankOffset: '+01:00',
  maskChar: 'x',
  markupFeePercentage: '1.75',
  paymentDueDay: 20,
  bookedCount: [25, 40],
  pendingCount: [3, 6],
  historyDays: 90,
  foreignShare: 0.25,
  supportedBookingStatus: ['booked', 'pending', 'both'],
  deltaListSupported: false,
  entryReferenceFromSupported: true,
  transactionsLinkQuery: 'bookingStatus=booked',
  pageParameter: 'page',
  consentMaxValidityDays: 180,
  scaApproach: 'REDIRECT',
  problemTypeBase: 'https://berlin-group.org/problem/',
  maxErrorText: 500,
  wire: 'berlin-group',
  accountIdParameter: 'account-id',
  requiredRequestHeaders: [],
  linkVerbs: false,
  absoluteLinks: false,
  consentEndpoints: true,
};

/**
 * The Norwegian BITS profile (specs/bits-no.overlay.yaml, SR-Bank's page): BG bodies with a
 * 16-character maskedPan, product always present, the 5 BITS balance types only, relatedAccount
 * on some accounts, link verbs; every call must carry the page's required headers and a signature
 * over its header list. Amounts already carry exactly the
 * currency's minor units in every profile, which BITS requires.
 */
export const BITS_NO: BankProfile = {
  ...BERLIN_GROUP,
  id: 'bits-no',
  title: 'Norwegian BITS card-account profile (SR-Bank style) reference bank',
  accounts: [
    {
      currency: 'NOK', home: 'NO', usage: 'PRIV', product: 'Visa Kredittkort', name: 'Visa Credit',
      bin: '457123', creditLimit: 50_000, balanceTypes: ['closingBooked', 'interimAvailable', 'expected'],
      forcedForeign: ['SE', 'JP'], owners: NORDIC_PERSONS, displayNames: ['Kredittkort', 'Reisekort'],
      details: 'Credit card account with a monthly invoice; the invoice is due on the 20th.',
      relatedAccount: { identification: '32012345678', schemeNameProprietary: 'BBAN' },
    },
    {
      currency: 'NOK', home: 'NO', usage: 'ORGA', product: 'Mastercard Business', name: 'Mastercard Business',
      bin: '547312', creditLimit: 150_000, balanceTypes: ['openingBooked', 'forwardAvailable', 'expected'],
      forcedForeign: ['KW', 'DK'], owners: ['Stavanger Havnelogistikk AS', 'Fjordnett Konsulent AS'], displayNames: ['Firmakort', 'Prosjektkort'],
      details: 'Corporate card; invoices go to the company.',
      relatedAccount: { identification: '32019876543', schemeNameProprietary: 'BBAN' },
      cardAccountNumber: 'KORT-NO-3201-9876',
    },
    {
      currency: 'EUR', home: 'FI', usage: 'PRIV', product: 'Visa Gold', name: 'Visa Gold',
      bin: '492913', creditLimit: 8_000, balanceTypes: ['closingBooked', 'openingBooked', 'interimAvailable'],
      forcedForeign: ['GB', 'JP'], owners: NORDIC_PERSONS, displayNames: ['Euro card', 'Travel card'],
      details: 'Euro credit card for travel; monthly invoice.',
    },
    {
      currency: 'SEK', home: 'SE', usage: 'PRIV', product: 'Platinum Mastercard', name: 'Mastercard Platinum',
      bin: '552266', creditLimit: 60_000, balanceTypes: ['interimAvailable', 'forwardAvailable', 'closingBooked'],
      forcedForeign: ['US', 'NO'], owners: NORDIC_PERSONS, displayNames: ['Everyday card', 'Family card'],
      details: 'Credit card account in Swedish kronor; monthly invoice.',
    },
  ],
  // SR-Bank's page marks these required on every call: without any of them, 400 FORMAT_ERROR.
  requiredRequestHeaders: ['x-accept-fix', 'x-request-id', 'tpp-session-id', 'tpp-redirect-uri', 'tpp-signature-certificate', 'signature', 'psu-ip-address'],
  requestHeaderFormats: { 'tpp-session-id': 'uuid', 'tpp-redirect-uri': 'uri', 'psu-context': ['PRIVATE', 'CORPORATE'] },
  // The page's signed header list: date, digest, x-request-id, and the PSU/redirect headers when sent.
  signedHeaders: { always: ['date', 'digest', 'x-request-id'], whenPresent: ['psu-id', 'psu-corporate-id', 'tpp-redirect-uri'] },
  linkVerbs: true,
};

/** The fixed consent the Handelsbanken-profile sandbox holds as authorised (its API creates none). */
export const HANDELSBANKEN_SANDBOX_CONSENT_ID = 'hb-sandbox-5f0c2a7e-9b41-4d3a-8e66-1c2d3e4f5a6b';

/**
 * Handelsbanken's Card Account Information API (specs/handelsbanken.openapi.yaml), as its live
 * traffic looks: accountId, cards[] with maskedPan and the holder's name, number amounts, its
 * own balance codes (AVAILABLE_AMOUNT, CURRENT), absolute links, one flat transaction list with
 * status and creditDebit; no consent endpoints (a pre-authorised consent), transactions
 * filtered by bookingStatus and dates only.
 */
export const HANDELSBANKEN: BankProfile = {
  ...BERLIN_GROUP,
  id: 'handelsbanken',
  title: 'Handelsbanken Card Account Information API (SE/FI) reference bank',
  accounts: [
    {
      currency: 'SEK', home: 'SE', usage: 'PRIV', product: 'Platinum', name: 'Handelsbanken Platinum',
      bin: '512345', creditLimit: 100_000, balanceTypes: ['interimAvailable', 'interimBooked'],
      forcedForeign: ['US', 'NO'], owners: NORDIC_PERSONS, displayNames: ['Platinum'],
      details: 'Charge card with a monthly invoice.',
      extraCards: 1,
      cardHolders: ['Astrid Lindqvist', 'Erik Johansson'],
    },
    {
      currency: 'SEK', home: 'SE', usage: 'ORGA', product: 'Business Card', name: 'Handelsbanken Business',
      bin: '545454', creditLimit: 200_000, balanceTypes: ['interimBooked', 'interimAvailable'],
      forcedForeign: ['DK', 'GB'], owners: ['Götaälv Konsult AB', 'Skärgårdsbygg AB'], displayNames: ['Business'],
      details: 'Corporate card; invoices go to the company.',
      extraCards: 2,
      cardHolders: ['Sofia Berg', 'Ola Haugen', 'Liisa Virtanen'],
    },
    {
      currency: 'EUR', home: 'FI', usage: 'PRIV', product: 'Mastercard Gold', name: 'Handelsbanken Gold',
      bin: '535120', creditLimit: 12_000, balanceTypes: ['interimAvailable'],
      forcedForeign: ['SE', 'JP'], owners: NORDIC_PERSONS, displayNames: ['Gold'],
      details: 'Euro credit card; monthly invoice.',
      cardHolders: ['Kari Nordmann'],
    },
  ],
  maskChar: '*',
  // The API names bookingStatus, dateFrom and dateTo only.
  entryReferenceFromSupported: false,
  problemTypeBase: 'https://developer.handelsbanken.com/problem/',
  wire: 'handelsbanken',
  // What can be spent (credit limit included), and the booked balance of the card account.
  balanceTypeNames: { interimAvailable: 'AVAILABLE_AMOUNT', interimBooked: 'CURRENT' },
  absoluteLinks: true,
  accountIdParameter: 'accountId',
  consentEndpoints: false,
  preAuthorisedConsentId: HANDELSBANKEN_SANDBOX_CONSENT_ID,
};

export const PROFILES: Record<string, BankProfile> = {
  [BERLIN_GROUP.id]: BERLIN_GROUP,
  [BITS_NO.id]: BITS_NO,
  [HANDELSBANKEN.id]: HANDELSBANKEN,
};

export function getProfile(id: string): BankProfile {
  const profile = PROFILES[id];
  if (!profile) throw new Error(`unknown sandbox profile '${id}' (known: ${Object.keys(PROFILES).join(', ')})`);
  return profile;
}
