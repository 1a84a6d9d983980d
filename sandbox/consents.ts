// Consents of the reference bank: validation of the createConsent body, the consent store, and
// what a consent grants. SCA is simulated: a consent is 'received' when created and becomes
// 'valid' on the first GET of it (or when its scaRedirect page is visited), as a sandbox that
// auto-approves would behave.
import { addDays, isIsoDate } from './dates.js';
import { createRng, type Rng } from './prng.js';
import type { BankProfile } from './profiles.js';
import type { CardAccountRecord } from './types.js';

export type ConsentStatus = 'received' | 'rejected' | 'valid' | 'revokedByPsu' | 'expired' | 'terminatedByTpp' | 'partiallyAuthorised';

export interface Consent {
  consentId: string;
  status: ConsentStatus;
  /** The access object as requested (echoed by getConsentInformation). */
  access: Record<string, unknown>;
  recurringIndicator: boolean;
  validUntil: string;
  frequencyPerDay: number;
  combinedServiceIndicator: boolean;
  lastActionDate: string;
}

/** A 4xx answer found while handling a request. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly text: string,
    readonly path?: string,
  ) {
    super(`${status} ${code}: ${text}`);
  }
}

export type Service = 'accounts' | 'balances' | 'transactions';

const ALL_ACCOUNTS = ['allAccounts', 'allAccountsWithOwnerName'];
const REFERENCE_STRINGS = ['iban', 'bban', 'pan', 'maskedPan', 'msisdn', 'currency', 'cashAccountType'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function validateReferences(value: unknown, path: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) throw new ApiError(400, 'FORMAT_ERROR', `${path} must be an array of account references`, path);
  value.forEach((ref, i) => {
    const at = `${path}[${i}]`;
    if (!isRecord(ref)) throw new ApiError(400, 'FORMAT_ERROR', `${at} must be an account reference object`, at);
    for (const key of REFERENCE_STRINGS) {
      if (ref[key] !== undefined && typeof ref[key] !== 'string') throw new ApiError(400, 'FORMAT_ERROR', `${at}.${key} must be a string`, `${at}.${key}`);
    }
    if (ref.other !== undefined && !(isRecord(ref.other) && typeof ref.other.identification === 'string')) {
      throw new ApiError(400, 'FORMAT_ERROR', `${at}.other must be an object with an identification`, `${at}.other`);
    }
  });
}

export interface ConsentRequest {
  access: Record<string, unknown>;
  recurringIndicator: boolean;
  validUntil: string;
  frequencyPerDay: number;
  combinedServiceIndicator: boolean;
}

/** Checks a createConsent body (BG `consents`: all five fields required); throws ApiError 400. */
export function validateConsentRequest(body: unknown, today: string): ConsentRequest {
  if (!isRecord(body)) throw new ApiError(400, 'FORMAT_ERROR', 'The request body must be a JSON object (BG consents)');
  const { access, recurringIndicator, validUntil, frequencyPerDay, combinedServiceIndicator } = body;
  if (!isRecord(access)) throw new ApiError(400, 'FORMAT_ERROR', access === undefined ? 'access is missing' : 'access must be an object', 'access');
  for (const list of ['accounts', 'balances', 'transactions'] as const) validateReferences(access[list], `access.${list}`);
  for (const key of ['availableAccounts', 'availableAccountsWithBalance', 'allPsd2'] as const) {
    if (access[key] !== undefined && !ALL_ACCOUNTS.includes(access[key] as string)) {
      throw new ApiError(400, 'FORMAT_ERROR', `access.${key} must be one of ${ALL_ACCOUNTS.join(', ')}`, `access.${key}`);
    }
  }
  if (access.additionalInformation !== undefined) {
    const info = access.additionalInformation;
    if (!isRecord(info)) throw new ApiError(400, 'FORMAT_ERROR', 'access.additionalInformation must be an object', 'access.additionalInformation');
    validateReferences(info.ownerName, 'access.additionalInformation.ownerName');
    validateReferences(info.trustedBeneficiaries, 'access.additionalInformation.trustedBeneficiaries');
  }
  if (access.restrictedTo !== undefined && !(Array.isArray(access.restrictedTo) && access.restrictedTo.every((x) => typeof x === 'string'))) {
    throw new ApiError(400, 'FORMAT_ERROR', 'access.restrictedTo must be an array of cash account types', 'access.restrictedTo');
  }
  if (typeof recurringIndicator !== 'boolean') throw new ApiError(400, 'FORMAT_ERROR', 'recurringIndicator is missing or not a boolean', 'recurringIndicator');
  if (typeof validUntil !== 'string' || !isIsoDate(validUntil))
    throw new ApiError(400, 'FORMAT_ERROR', 'validUntil is missing or not a date (YYYY-MM-DD)', 'validUntil');
  if (validUntil < today) throw new ApiError(400, 'FORMAT_ERROR', `validUntil ${validUntil} lies in the past`, 'validUntil');
  if (typeof frequencyPerDay !== 'number' || !Number.isInteger(frequencyPerDay) || frequencyPerDay < 1) {
    throw new ApiError(400, 'FORMAT_ERROR', 'frequencyPerDay is missing or not an integer of at least 1', 'frequencyPerDay');
  }
  if (typeof combinedServiceIndicator !== 'boolean')
    throw new ApiError(400, 'FORMAT_ERROR', 'combinedServiceIndicator is missing or not a boolean', 'combinedServiceIndicator');
  // This bank offers no combined AIS/PIS sessions; BG has a dedicated code for that.
  if (combinedServiceIndicator) throw new ApiError(400, 'SESSIONS_NOT_SUPPORTED', 'Combined service sessions are not supported', 'combinedServiceIndicator');
  return { access, recurringIndicator, validUntil, frequencyPerDay, combinedServiceIndicator };
}

/** Upper bound on stored consents, so a long fuzz run cannot grow memory without limit. */
const MAX_CONSENTS = 10_000;

export class ConsentStore {
  private readonly consents = new Map<string, Consent>();
  private readonly ids: Rng;

  constructor(
    private readonly profile: BankProfile,
    seed: number,
    private readonly today: string,
  ) {
    // Ids come from their own stream: two banks with the same seed hand out the same ids in the same order.
    this.ids = createRng('consent-ids', seed, today);
  }

  create(request: ConsentRequest): Consent {
    let consentId: string;
    do consentId = this.ids.bytes(16).toString('base64url');
    while (this.consents.has(consentId));
    const maxUntil = addDays(this.today, this.profile.consentMaxValidityDays);
    const consent: Consent = {
      consentId,
      status: 'received',
      access: structuredClone(request.access),
      recurringIndicator: request.recurringIndicator,
      validUntil: request.validUntil > maxUntil ? maxUntil : request.validUntil,
      frequencyPerDay: request.frequencyPerDay,
      combinedServiceIndicator: request.combinedServiceIndicator,
      lastActionDate: this.today,
    };
    if (this.consents.size >= MAX_CONSENTS) {
      const oldest = this.consents.keys().next();
      if (!oldest.done) this.consents.delete(oldest.value);
    }
    this.consents.set(consentId, consent);
    return consent;
  }

  /**
   * Holds `consentId` as a consent the PSU authorised elsewhere (allPsd2, recurring, for the
   * longest validity the bank gives), for APIs without consent endpoints.
   */
  preAuthorise(consentId: string): Consent {
    const consent: Consent = {
      consentId,
      status: 'valid',
      access: { allPsd2: 'allAccounts' },
      recurringIndicator: true,
      validUntil: addDays(this.today, this.profile.consentMaxValidityDays),
      frequencyPerDay: 4,
      combinedServiceIndicator: false,
      lastActionDate: this.today,
    };
    this.consents.set(consentId, consent);
    return consent;
  }

  get(consentId: string): Consent | undefined {
    const consent = this.consents.get(consentId);
    if (consent && consent.status === 'valid' && consent.validUntil < this.today) this.setStatus(consent, 'expired');
    return consent;
  }

  /** Simulated SCA: the PSU approves every consent at the first look. */
  approve(consent: Consent): void {
    if (consent.status === 'received') this.setStatus(consent, 'valid');
  }

  terminate(consent: Consent): void {
    this.setStatus(consent, 'terminatedByTpp');
  }

  private setStatus(consent: Consent, status: ConsentStatus): void {
    consent.status = status;
    consent.lastActionDate = this.today;
  }
}

const matches = (refs: unknown, account: CardAccountRecord): boolean =>
  Array.isArray(refs) && (refs.length === 0 || refs.some((r) => isRecord(r) && r.maskedPan === account.maskedPan));

/**
 * Whether a consent grants a service on a card account. allPsd2 grants everything;
 * availableAccounts(WithBalance) only the list; explicit lists grant what they name, an empty
 * list meaning every card (bank-offered consent, approved for all cards). Balances or
 * transactions access implies access to the account itself (BG).
 */
export function grants(consent: Consent, account: CardAccountRecord, service: Service): boolean {
  const a = consent.access;
  if (ALL_ACCOUNTS.includes(a.allPsd2 as string)) return true;
  if (service === 'accounts') return matches(a.accounts, account) || matches(a.balances, account) || matches(a.transactions, account);
  return matches(a[service], account);
}

/** Whether the card account appears in the card-account list, and with balances. */
export function listing(consent: Consent, account: CardAccountRecord): { listed: boolean; withBalances: boolean } {
  const a = consent.access;
  const withBalances = ALL_ACCOUNTS.includes(a.availableAccountsWithBalance as string) || grants(consent, account, 'balances');
  const listed = withBalances || ALL_ACCOUNTS.includes(a.availableAccounts as string) || grants(consent, account, 'accounts');
  return { listed, withBalances };
}
