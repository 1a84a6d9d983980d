// Types of the embedded reference bank: its options, the request as handlers see it, the
// response pipeline (handler → mutations → serialisation → raw mutations → socket) and the
// generated data. Data types use the Berlin Group field names so that bodies are built by
// copying, and defect injection works on the exact shapes a bank would send.
import type { BankProfile } from './profiles.js';

export interface SandboxOptions {
  /** Profile name: a folder under specs/profiles/ with reference-bank.yaml; 'berlin-group' by default. */
  profile?: string;
  /** Loopback address to bind; default '127.0.0.1'. Non-loopback addresses are refused. */
  host?: string;
  /** Port; default 0 (a free port). */
  port?: number;
  /** Seed of all generated data; default 1. */
  seed?: number;
  /** 'YYYY-MM-DD' anchor of generated dates; default the current UTC date. */
  today?: string;
  /** Transactions per page; default 10. */
  pageSize?: number;
  /**
   * Card accounts the bank holds (benchmarks of large banks): the profile's account templates are
   * repeated, each account with its own data. Default: one account per template.
   */
  accounts?: number;
  /** Booked transactions per card account (benchmarks of long histories); default the profile's range. */
  transactionsPerAccount?: number;
  /** Serve HTTPS (mutual TLS when requestClientCert: the certificate goes to the guard, not verified here). */
  tls?: { certPem: string; keyPem: string; caPem?: string; requestClientCert?: boolean };
  /** Called before routing (e.g. signature verification); a rejection becomes the error response. */
  requestGuard?: (req: IncomingRequestInfo) => GuardRejection | undefined;
  /** Defect injection hooks, applied in order. */
  mutations?: ResponseMutation[];
  /** Transport faults, `id` or `id@operationId` (sandbox/faults/); an unknown id throws a ConfigError. */
  faults?: string[];
}

export interface IncomingRequestInfo {
  method: string;
  /** Path and query exactly as received. */
  path: string;
  /** Lower-case header names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  /** The TLS client certificate (PEM) when one was presented. */
  clientCertificatePem?: string;
}

export interface GuardRejection {
  status: number;
  code: string;
  text: string;
}

export interface RunningBank {
  baseUrl: string;
  close(): Promise<void>;
}

/** A response before serialisation. Header names are lower-case; `body` is a JSON value. */
export interface SandboxResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

/** A response after serialisation: what goes on the wire. */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  bodyText: string;
}

export interface MutationContext {
  /** The BG operationId of the route ('unknown' for an unknown path; 'sandboxScaRedirect' for the SCA page). */
  operationId: string;
  request: IncomingRequestInfo;
  /** A private copy: mutate it in place or return a replacement. */
  response: SandboxResponse;
  data: BankData;
}

export interface RawMutationContext extends MutationContext {
  raw: RawResponse;
}

/**
 * Behaviour of the bank itself that a defect can loosen, where no rewrite of the answer can say it
 * (serving data it should refuse). Every quirk is off in the reference bank.
 */
export interface BankQuirks {
  /** A consent the TPP deleted (terminatedByTpp) still opens card data (the status says terminated all the same). */
  terminatedConsentStillValid?: boolean;
  /** The consent's access is not checked per card account: any consent reaches every account. */
  consentAccessIgnored?: boolean;
  /** A dateFrom/dateTo that is no date is dropped, as if absent, instead of refused. */
  malformedDatesIgnored?: boolean;
}

/** One injectable defect. Every hook is optional; a mutation usually needs one. */
export interface ResponseMutation {
  id: string;
  /** Loosens the bank's own checks (see BankQuirks). */
  quirks?: BankQuirks;
  /** Changes the generated data once, at start-up. */
  mutateData?(data: BankData): void;
  /** Changes the structured response. */
  apply?(ctx: MutationContext): SandboxResponse | void;
  /** Changes the serialised response (invalid JSON, exact number text, other media types...). */
  raw?(ctx: RawMutationContext): RawResponse | void;
}

// ---- generated data (Berlin Group shapes) ------------------------------------------------

export interface Amount {
  currency: string;
  amount: string;
}

export const BALANCE_TYPES = ['closingBooked', 'expected', 'openingBooked', 'interimAvailable', 'interimBooked', 'forwardAvailable', 'nonInvoiced'] as const;
export type BalanceType = (typeof BALANCE_TYPES)[number];

export interface Balance {
  balanceAmount: Amount;
  balanceType: BalanceType;
  creditLimitIncluded?: boolean;
  lastChangeDateTime?: string;
  referenceDate?: string;
  lastCommittedTransaction?: string;
}

export interface Address {
  streetName?: string;
  buildingNumber?: string;
  townName?: string;
  postCode?: string;
  country: string;
}

export interface ReportExchangeRate {
  sourceCurrency: string;
  exchangeRate: string;
  unitCurrency: string;
  targetCurrency: string;
  quotationDate: string;
  contractIdentification?: string;
}

export interface CardTransaction {
  cardTransactionId?: string;
  terminalId?: string;
  transactionDate?: string;
  acceptorTransactionDateTime?: string;
  bookingDate?: string;
  valueDate?: string;
  transactionAmount: Amount;
  grandTotalAmount?: Amount;
  currencyExchange?: ReportExchangeRate[];
  originalAmount?: Amount;
  markupFee?: Amount;
  markupFeePercentage?: string;
  cardAcceptorId?: string;
  cardAcceptorAddress?: Address;
  cardAcceptorPhone?: string;
  merchantCategoryCode?: string;
  maskedPAN?: string;
  transactionDetails?: string;
  invoiced?: boolean;
  proprietaryBankTransactionCode?: string;
}

export type AccountStatus = 'enabled' | 'deleted' | 'blocked';

/** A card account with everything the bank knows about it. */
export interface CardAccountRecord {
  resourceId: string;
  maskedPan: string;
  currency: string;
  ownerName?: string;
  name?: string;
  displayName?: string;
  product?: string;
  debitAccounting?: boolean;
  status?: AccountStatus;
  usage?: 'PRIV' | 'ORGA';
  details?: string;
  creditLimit?: Amount;
  /** BITS extension (bits-no accounts only). */
  relatedAccount?: { other: { identification: string; schemeNameProprietary: string } };
  /** Masked PANs of every card on the account, its own first; only where the profile has extra cards. */
  cards?: string[];
  balances: Balance[];
  /** Newest first. */
  booked: CardTransaction[];
  /** Newest first. */
  pending: CardTransaction[];
}

export interface BankData {
  profile: BankProfile;
  seed: number;
  /** The anchor date: "now" for the bank (default dateTo, consent dates). */
  today: string;
  accounts: CardAccountRecord[];
}
