// The reference bank's request handling, independent of sockets: route → guard → checks →
// handler, producing a structured SandboxResponse. server.ts feeds it requests and runs the
// mutation pipeline on what comes out.
import { isIP } from 'node:net';
import { ApiError, ConsentStore, grants, listing, validateConsentRequest, type Consent, type Service } from './consents.js';
import { entryKey } from './data.js';
import { isIsoDate } from './dates.js';
import { errorResponse } from './errors.js';
import { adaptBody } from './shapes.js';
import { parseSignatureHeader } from '../transport/signing/signature-header.js';
import type { BankProfile } from './profiles.js';
import type { BankData, BankQuirks, CardAccountRecord, CardTransaction, GuardRejection, IncomingRequestInfo, SandboxResponse } from './types.js';

export interface HandleOptions {
  /** The body went over the size cap and was not kept. */
  bodyTooLarge?: boolean;
}

export interface Handled {
  operationId: string;
  response: SandboxResponse;
}

export const MAX_BODY_BYTES = 1024 * 1024;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GEO = /^GEO:-?[0-9]{1,2}\.[0-9]{6};-?[0-9]{1,3}\.[0-9]{6}$/;
const PSU_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const BOOKING_STATUSES = ['booked', 'pending', 'both'] as const;
type BookingStatus = (typeof BOOKING_STATUSES)[number];
/** Not a spec operation: the target of `_links.download` on a transactions page (the report in one body). */
const DOWNLOAD_OPERATION = 'downloadCardTransactions';
/** Deepest JSON nesting accepted in a request body (a consent needs 4). */
const MAX_JSON_DEPTH = 32;

interface RouteMatch {
  /** operationId per allowed method. */
  methods: Record<string, string>;
  params: Record<string, string>;
}

/** Maps a path to its operations; undefined for an unknown path (the consent paths too, when the API has none). */
function matchRoute(pathname: string, consentEndpoints: boolean): RouteMatch | undefined {
  const raw = pathname.split('/');
  if (raw[0] !== '' || raw.slice(1).some((s) => s === '')) return undefined;
  let seg: string[];
  try {
    seg = raw.slice(1).map((s) => decodeURIComponent(s));
  } catch {
    return undefined; // malformed percent-encoding names no resource
  }
  const [v, collection, id, sub, extra] = seg;
  // The whole transaction report in one body, behind the `download` link of a transactions page.
  if (v === 'v1' && collection === 'card-accounts' && id !== undefined && sub === 'transactions' && extra === 'download' && seg.length === 5) {
    return { methods: { GET: DOWNLOAD_OPERATION }, params: { accountId: id } };
  }
  if (v === 'v1' && collection === 'card-accounts' && extra === undefined) {
    if (id === undefined) return { methods: { GET: 'getCardAccountList' }, params: {} };
    if (sub === undefined) return { methods: { GET: 'readCardAccountDetails' }, params: { accountId: id } };
    if (sub === 'balances') return { methods: { GET: 'getCardAccountBalances' }, params: { accountId: id } };
    if (sub === 'transactions') return { methods: { GET: 'getCardAccountTransactionList' }, params: { accountId: id } };
  }
  if (consentEndpoints && v === 'v1' && collection === 'consents' && extra === undefined) {
    if (id === undefined) return { methods: { POST: 'createConsent' }, params: {} };
    if (sub === undefined) return { methods: { GET: 'getConsentInformation', DELETE: 'deleteConsent' }, params: { consentId: id } };
    if (sub === 'status') return { methods: { GET: 'getConsentStatus' }, params: { consentId: id } };
  }
  // The PSU's SCA page behind the scaRedirect link (not a BG endpoint).
  if (consentEndpoints && v === 'sandbox' && collection === 'sca' && id === 'consents' && sub !== undefined && extra === undefined && seg.length === 4) {
    return { methods: { GET: 'sandboxScaRedirect' }, params: { consentId: sub } };
  }
  return undefined;
}

/** Whether an Accept header admits a JSON answer (absent or empty admits anything). */
function acceptsJson(accept: string | undefined): boolean {
  if (accept === undefined || accept.trim() === '') return true;
  return accept.split(',').some((part) => {
    const [type, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    const q = params.find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) return false;
    return type === '*/*' || type === 'application/*' || type === 'application/json' || type === 'application/problem+json';
  });
}

function jsonDepth(text: string): number {
  let depth = 0,
    max = 0,
    inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

interface ScaMethod {
  authenticationType: string;
  authenticationVersion?: string;
  authenticationMethodId: string;
  name: string;
  explanation: string;
}

/** The SCA methods the reference bank offers (BG authenticationObject); the first is the default. */
const SCA_METHODS: [ScaMethod, ...ScaMethod[]] = [
  {
    authenticationType: 'PUSH_OTP',
    authenticationVersion: '2.4',
    authenticationMethodId: 'bank-app',
    name: 'Bank app',
    explanation: 'A code shown in the bank app',
  },
  { authenticationType: 'SMS_OTP', authenticationMethodId: 'sms', name: 'Text message', explanation: 'A code sent to your registered phone' },
];

/** A link object; `verbs` (the HTTP methods it accepts) only where the profile adds them (BITS). */
type Link = { href: string; verbs?: string[] };
const accountPath = (account: CardAccountRecord): string => `/v1/card-accounts/${encodeURIComponent(account.resourceId)}`;
const consentPath = (consentId: string): string => `/v1/consents/${encodeURIComponent(consentId)}`;

export class ReferenceBank {
  readonly consents: ConsentStore;

  constructor(
    readonly data: BankData,
    private readonly pageSize: number,
    seed: number,
    private readonly guard?: (req: IncomingRequestInfo) => GuardRejection | undefined,
    /** Defects of the bank's own checks (none in the reference bank). */
    private readonly quirks: BankQuirks = {},
  ) {
    this.consents = new ConsentStore(data.profile, seed, data.today);
    if (data.profile.preAuthorisedConsentId) this.consents.preAuthorise(data.profile.preAuthorisedConsentId);
  }

  private href(path: string, verbs: string[] = ['GET']): Link {
    return this.data.profile.linkVerbs ? { href: path, verbs } : { href: path };
  }

  /** A 200 card-account body in the profile's wire shape. */
  private shaped(req: IncomingRequestInfo, operationId: string, body: Record<string, unknown>, account?: CardAccountRecord): SandboxResponse {
    return ok(adaptBody(operationId, body, { profile: this.data.profile, accounts: this.data.accounts, account, origin: originOf(req) }));
  }

  handle(req: IncomingRequestInfo, options: HandleOptions = {}): Handled {
    const [pathname, query] = splitOnce(req.path, '?');
    const route = matchRoute(pathname, this.data.profile.consentEndpoints);
    const method = req.method === 'HEAD' ? 'GET' : req.method; // HEAD is GET without the body (node drops it)
    const allowed = route !== undefined && Object.hasOwn(route.methods, method);
    const operationId = (allowed ? route.methods[method] : undefined) ?? (route ? Object.values(route.methods)[0] : undefined) ?? 'unknown';
    const withRequestId = (response: SandboxResponse): Handled => {
      const id = req.headers['x-request-id'];
      if (id !== undefined) response.headers['x-request-id'] = id;
      return { operationId, response };
    };
    try {
      // The guard needs the whole body (Digest), so an oversized request is refused before it.
      if (options.bodyTooLarge) throw new ApiError(413, 'FORMAT_ERROR', `The request body exceeds ${MAX_BODY_BYTES} bytes`);
      // Before routing, as a bank's gateway would: a bad signature fails even on an unknown path.
      const rejection = this.guard?.(req);
      if (rejection) throw new ApiError(rejection.status, rejection.code, rejection.text);
      this.checkSignedHeaderList(req);
      if (!route) throw new ApiError(404, 'RESOURCE_UNKNOWN', `No resource at ${truncate(pathname, 200)}`);
      if (!allowed) {
        const allow = Object.keys(route.methods).join(', ');
        const handled = withRequestId(
          this.error(new ApiError(405, 'SERVICE_INVALID', `${truncate(req.method, 20)} is not allowed here; allowed: ${allow}`), req),
        );
        handled.response.headers.allow = allow;
        return handled;
      }
      return withRequestId(this.dispatch(operationId, route.params, new URLSearchParams(query), req));
    } catch (e) {
      if (e instanceof ApiError) return withRequestId(this.error(e, req));
      throw e;
    }
  }

  private error(e: ApiError, req: IncomingRequestInfo): SandboxResponse {
    return errorResponse(this.data.profile, e, req.headers.accept);
  }

  private dispatch(operationId: string, params: Record<string, string>, query: URLSearchParams, req: IncomingRequestInfo): SandboxResponse {
    // Every consent route captures a consentId; '' (never used) would be an unknown consent.
    const consentId = params.consentId ?? '';
    if (operationId === 'sandboxScaRedirect') return this.scaRedirect(consentId);
    if (!acceptsJson(req.headers.accept)) {
      throw new ApiError(406, 'REQUESTED_FORMATS_INVALID', 'This bank answers application/json (or application/problem+json for errors) only');
    }
    this.checkCommonHeaders(req);
    switch (operationId) {
      case 'createConsent':
        return this.createConsent(req);
      case 'getConsentInformation':
        return this.consentInformation(this.knownConsent(consentId));
      case 'getConsentStatus': {
        const consent = this.knownConsent(consentId);
        this.consents.approve(consent);
        return ok({ consentStatus: consent.status });
      }
      case 'deleteConsent': {
        this.consents.terminate(this.knownConsent(consentId));
        return { status: 204, headers: {} };
      }
    }
    const consent = this.validConsent(req);
    if (operationId === 'getCardAccountList') return this.shaped(req, operationId, this.cardAccountList(consent));
    const account = this.data.accounts.find((a) => a.resourceId === params.accountId);
    const idName = this.data.profile.accountIdParameter;
    if (!account) throw new ApiError(404, 'RESOURCE_UNKNOWN', `No card account with this ${idName}`, idName);
    switch (operationId) {
      case 'readCardAccountDetails':
        this.requireGrant(consent, account, 'accounts');
        return this.shaped(req, operationId, { cardAccount: this.accountView(account, consent, grants(consent, account, 'balances')) }, account);
      case 'getCardAccountBalances':
        this.requireGrant(consent, account, 'balances');
        return this.shaped(req, operationId, { cardAccount: this.reference(account), balances: structuredClone(account.balances) }, account);
      case 'getCardAccountTransactionList':
        this.requireGrant(consent, account, 'transactions');
        return this.shaped(req, operationId, this.transactions(account, query), account);
      case DOWNLOAD_OPERATION:
        this.requireGrant(consent, account, 'transactions');
        return ok(this.download(account));
    }
    throw new Error(`sandbox: no handler for ${operationId}`);
  }

  /**
   * The profile's signed header list (BITS: date, digest, x-request-id, and psu-id,
   * psu-corporate-id, tpp-redirect-uri when sent). A signature that leaves one out is refused,
   * whatever the signature guard checks; a Signature that does not parse is the guard's to judge.
   */
  private checkSignedHeaderList(req: IncomingRequestInfo): void {
    const list = this.data.profile.signedHeaders;
    const header = req.headers.signature;
    if (!list || header === undefined) return;
    const parsed = parseSignatureHeader(header);
    if (!parsed.ok) return;
    const signed = parsed.value.headers;
    const needed = [...list.always, ...list.whenPresent.filter((h) => req.headers[h] !== undefined)];
    const unsigned = needed.filter((h) => !signed.includes(h));
    if (unsigned.length > 0) throw new ApiError(401, 'SIGNATURE_INVALID', `The signature must cover ${unsigned.join(', ')} (signed: ${signed.join(' ')})`);
  }

  /** Headers every BG operation shares: X-Request-ID (required, uuid) and the optional PSU context. */
  private checkCommonHeaders(req: IncomingRequestInfo): void {
    const h = req.headers;
    const requestId = h['x-request-id'];
    if (requestId === undefined || requestId.trim() === '') throw new ApiError(400, 'FORMAT_ERROR', 'The X-Request-ID header is missing', 'X-Request-ID');
    if (!UUID.test(requestId)) throw new ApiError(400, 'FORMAT_ERROR', 'X-Request-ID is not a UUID', 'X-Request-ID');
    for (const name of this.data.profile.requiredRequestHeaders) {
      if (h[name] === undefined || h[name].trim() === '') throw new ApiError(400, 'FORMAT_ERROR', `The ${name} header is missing`, name);
    }
    for (const [name, format] of Object.entries(this.data.profile.requestHeaderFormats ?? {})) {
      const value = h[name];
      if (value === undefined) continue;
      const fits = format === 'uuid' ? UUID.test(value) : format === 'uri' ? isAbsoluteUri(value) : format.includes(value);
      if (!fits)
        throw new ApiError(
          400,
          'FORMAT_ERROR',
          `${name} must be ${format === 'uuid' ? 'a UUID' : format === 'uri' ? 'an absolute URI' : `one of ${format.join(', ')}`}`,
          name,
        );
    }
    if (h['psu-ip-address'] !== undefined && isIP(h['psu-ip-address']) === 0)
      throw new ApiError(400, 'FORMAT_ERROR', 'PSU-IP-Address is not an IP address', 'PSU-IP-Address');
    if (h['psu-device-id'] !== undefined && !UUID.test(h['psu-device-id']))
      throw new ApiError(400, 'FORMAT_ERROR', 'PSU-Device-ID is not a UUID', 'PSU-Device-ID');
    if (h['psu-http-method'] !== undefined && !PSU_METHODS.includes(h['psu-http-method']))
      throw new ApiError(400, 'FORMAT_ERROR', `PSU-Http-Method must be one of ${PSU_METHODS.join(', ')}`, 'PSU-Http-Method');
    if (h['psu-geo-location'] !== undefined && !GEO.test(h['psu-geo-location']))
      throw new ApiError(400, 'FORMAT_ERROR', 'PSU-Geo-Location is not GEO:<lat>;<long> with six decimals', 'PSU-Geo-Location');
  }

  // ---- consents ---------------------------------------------------------------------------

  private createConsent(req: IncomingRequestInfo): SandboxResponse {
    const ip = req.headers['psu-ip-address'];
    if (ip === undefined || ip.trim() === '')
      throw new ApiError(400, 'FORMAT_ERROR', 'The PSU-IP-Address header is required to create a consent', 'PSU-IP-Address');
    const contentType = req.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
    if (contentType !== undefined && contentType !== '' && contentType !== 'application/json' && !contentType.endsWith('+json')) {
      throw new ApiError(415, 'FORMAT_ERROR', `Content-Type ${truncate(contentType, 60)} is not supported; send application/json`, 'Content-Type');
    }
    const text = req.body.toString('utf8');
    if (text.trim() === '') throw new ApiError(400, 'FORMAT_ERROR', 'The request body is missing');
    if (jsonDepth(text) > MAX_JSON_DEPTH) throw new ApiError(400, 'FORMAT_ERROR', 'The request body is nested too deeply');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ApiError(400, 'FORMAT_ERROR', 'The request body is not valid JSON');
    }
    const consent = this.consents.create(validateConsentRequest(body, this.data.today));
    const self = consentPath(consent.consentId);
    return {
      status: 201,
      headers: {
        'content-type': 'application/json',
        location: self,
        'aspsp-sca-approach': this.data.profile.scaApproach,
      },
      body: {
        consentStatus: consent.status,
        consentId: consent.consentId,
        // The methods the PSU can confirm with on the redirect page, the bank's default among
        // them and what it asks for: the SCA fields of the 201 body, for a client to show.
        scaMethods: SCA_METHODS.map((m) => ({ ...m })),
        chosenScaMethod: { ...SCA_METHODS[0] },
        challengeData: { otpMaxLength: 6, otpFormat: 'integer', additionalInformation: 'Enter the six-digit code the bank app shows after you log in.' },
        psuMessage: 'Please confirm this consent in your bank.',
        _links: {
          scaRedirect: this.href(`/sandbox/sca/consents/${encodeURIComponent(consent.consentId)}`),
          self: this.href(self, ['GET', 'DELETE']),
          status: this.href(`${self}/status`),
        },
      },
    };
  }

  private knownConsent(consentId: string): Consent {
    const consent = this.consents.get(consentId);
    if (!consent) throw new ApiError(403, 'CONSENT_UNKNOWN', 'No consent with this consentId', 'consentId');
    return consent;
  }

  private consentInformation(consent: Consent): SandboxResponse {
    this.consents.approve(consent);
    const body: Record<string, unknown> = {
      access: this.grantedAccess(consent),
      recurringIndicator: consent.recurringIndicator,
      validUntil: consent.validUntil,
      frequencyPerDay: consent.frequencyPerDay,
      lastActionDate: consent.lastActionDate,
      consentStatus: consent.status,
    };
    // Only a valid consent can follow its link (every href this bank sends must resolve).
    if (consent.status === 'valid') body._links = { 'card-account': this.href('/v1/card-accounts') };
    return ok(body);
  }

  /**
   * The access as the consent information states it. A global consent (allPsd2) is spelled out
   * in every form the spec has, next to the flag the TPP sent: each card account it reaches, by
   * reference, for the account, its balances, its transactions and the additional information,
   * and the list access it includes. A consent that names its accounts is echoed as sent.
   */
  private grantedAccess(consent: Consent): Record<string, unknown> {
    const access = structuredClone(consent.access);
    if (typeof access.allPsd2 !== 'string') return access;
    const refs = (): Record<string, unknown>[] => this.data.accounts.map((a) => ({ ...this.reference(a), currency: a.currency }));
    return {
      accounts: refs(),
      balances: refs(),
      transactions: refs(),
      additionalInformation: { ownerName: refs(), trustedBeneficiaries: refs() },
      availableAccounts: access.allPsd2,
      availableAccountsWithBalance: access.allPsd2,
      ...access,
    };
  }

  private scaRedirect(consentId: string): SandboxResponse {
    const consent = this.consents.get(consentId);
    if (!consent) throw new ApiError(404, 'RESOURCE_UNKNOWN', 'No consent with this id');
    this.consents.approve(consent);
    return ok({ consentStatus: consent.status, scaStatus: consent.status === 'valid' ? 'finalised' : 'failed' });
  }

  /** The Consent-ID header names a consent that is valid now. */
  private validConsent(req: IncomingRequestInfo): Consent {
    const consentId = req.headers['consent-id'];
    if (consentId === undefined || consentId.trim() === '') throw new ApiError(400, 'FORMAT_ERROR', 'The Consent-ID header is missing', 'Consent-ID');
    const consent = this.consents.get(consentId);
    if (!consent) throw new ApiError(403, 'CONSENT_UNKNOWN', 'The Consent-ID names no consent of this TPP', 'Consent-ID');
    if (consent.status === 'expired') throw new ApiError(401, 'CONSENT_EXPIRED', 'The consent has expired', 'Consent-ID');
    const stillOpen = consent.status === 'terminatedByTpp' && this.quirks.terminatedConsentStillValid;
    if (consent.status !== 'valid' && !stillOpen) throw new ApiError(401, 'CONSENT_INVALID', `The consent is ${consent.status}, not valid`, 'Consent-ID');
    return consent;
  }

  private requireGrant(consent: Consent, account: CardAccountRecord, service: Service): void {
    if (!grants(consent, account, service) && !this.quirks.consentAccessIgnored) {
      throw new ApiError(
        401,
        'CONSENT_INVALID',
        `The consent does not cover ${service === 'accounts' ? 'the details' : `the ${service}`} of this card account`,
        'Consent-ID',
      );
    }
  }

  // ---- card accounts ----------------------------------------------------------------------

  private cardAccountList(consent: Consent): Record<string, unknown> {
    const cardAccounts = this.data.accounts.flatMap((account) => {
      const { listed, withBalances } = listing(consent, account);
      return listed ? [this.accountView(account, consent, withBalances)] : [];
    });
    return { cardAccounts };
  }

  /** A card account as the BG `cardAccountDetails` object, with what this consent may see. */
  private accountView(account: CardAccountRecord, consent: Consent, withBalances: boolean): Record<string, unknown> {
    const view: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(account)) {
      // cards is for wire shapes with a cards array (shapes.ts); BG has the one maskedPan.
      if (key === 'booked' || key === 'pending' || key === 'cards' || (key === 'balances' && !withBalances)) continue;
      view[key] = structuredClone(value);
    }
    const links: Record<string, Link> = {};
    if (grants(consent, account, 'balances')) links.balances = this.href(`${accountPath(account)}/balances`);
    if (grants(consent, account, 'transactions'))
      links.transactions = this.href(`${accountPath(account)}/transactions?${this.data.profile.transactionsLinkQuery}`);
    if (Object.keys(links).length > 0) view._links = links;
    return view;
  }

  /**
   * How bodies about one card account name it (BG accountReference): by its maskedPan, or, for an
   * account the bank knows by its own number, by that number (`other`) with the currency.
   */
  private reference(account: CardAccountRecord): Record<string, unknown> {
    const number = this.template(account)?.cardAccountNumber;
    if (number === undefined) return { maskedPan: account.maskedPan };
    return { other: { identification: number, schemeNameProprietary: 'CARD-ACCOUNT-NUMBER' }, currency: account.currency };
  }

  private template(account: CardAccountRecord): BankProfile['accounts'][number] | undefined {
    return this.data.profile.accounts[this.data.accounts.indexOf(account)];
  }

  /** The `download` target: every booked and pending entry of the account in one body, unpaged. */
  private download(account: CardAccountRecord): Record<string, unknown> {
    return {
      cardAccount: this.reference(account),
      cardTransactions: {
        booked: structuredClone(account.booked),
        pending: structuredClone(account.pending),
        _links: { cardAccount: this.href(accountPath(account)) },
      },
    };
  }

  private transactions(account: CardAccountRecord, query: URLSearchParams): Record<string, unknown> {
    const profile = this.data.profile;
    const single = (name: string): string | undefined => {
      const values = query.getAll(name);
      if (values.length > 1) throw new ApiError(400, 'FORMAT_ERROR', `${name} is given more than once`, name);
      return values[0];
    };
    const statusParam = single('bookingStatus');
    if (statusParam === undefined)
      throw new ApiError(400, 'FORMAT_ERROR', 'The query parameter bookingStatus is required (booked, pending or both)', 'bookingStatus');
    if (!(BOOKING_STATUSES as readonly string[]).includes(statusParam)) {
      throw new ApiError(400, 'FORMAT_ERROR', `bookingStatus must be booked, pending or both, not '${truncate(statusParam, 40)}'`, 'bookingStatus');
    }
    const bookingStatus = statusParam as BookingStatus;
    if (!profile.supportedBookingStatus.includes(bookingStatus)) {
      throw new ApiError(400, 'PARAMETER_NOT_SUPPORTED', `bookingStatus=${bookingStatus} is not supported`, 'bookingStatus');
    }
    const deltaList = single('deltaList');
    if (deltaList !== undefined && deltaList !== 'true' && deltaList !== 'false') {
      throw new ApiError(400, 'FORMAT_ERROR', 'deltaList must be true or false', 'deltaList');
    }
    if (query.has('deltaList') && !profile.deltaListSupported)
      throw new ApiError(400, 'PARAMETER_NOT_SUPPORTED', 'deltaList is not supported; use entryReferenceFrom', 'deltaList');
    const date = (name: string): string | undefined => {
      const value = single(name);
      return value !== undefined && this.quirks.malformedDatesIgnored && !isIsoDate(value) ? undefined : value;
    };
    const dateFrom = date('dateFrom');
    const dateTo = date('dateTo');
    for (const [name, value] of [
      ['dateFrom', dateFrom],
      ['dateTo', dateTo],
    ] as const) {
      if (value !== undefined && !isIsoDate(value)) throw new ApiError(400, 'FORMAT_ERROR', `${name} must be a date as YYYY-MM-DD`, name);
    }
    if (dateFrom !== undefined && dateTo !== undefined && dateFrom > dateTo) {
      throw new ApiError(400, 'PERIOD_INVALID', `dateFrom ${dateFrom} is after dateTo ${dateTo}`, 'dateFrom');
    }
    const entryReferenceFrom = single('entryReferenceFrom');
    let afterKey: string | undefined;
    if (entryReferenceFrom !== undefined) {
      if (!profile.entryReferenceFromSupported) throw new ApiError(400, 'PARAMETER_NOT_SUPPORTED', 'entryReferenceFrom is not supported', 'entryReferenceFrom');
      const reference = [...account.booked, ...account.pending].find((tx) => tx.cardTransactionId === entryReferenceFrom);
      if (!reference) throw new ApiError(400, 'FORMAT_ERROR', 'entryReferenceFrom names no entry of this card account', 'entryReferenceFrom');
      afterKey = entryKey(reference);
    }
    const pageText = single(profile.pageParameter);
    if (pageText !== undefined && !/^[1-9][0-9]{0,5}$/.test(pageText)) {
      throw new ApiError(400, 'FORMAT_ERROR', `${profile.pageParameter} must be a page number from 1`, profile.pageParameter);
    }

    const to = dateTo ?? this.data.today;
    const select = (list: CardTransaction[], dateOf: (tx: CardTransaction) => string | undefined): CardTransaction[] =>
      list.filter((tx) => {
        const day = dateOf(tx);
        if (day !== undefined && ((dateFrom !== undefined && day < dateFrom) || day > to)) return false;
        return afterKey === undefined || entryKey(tx) > afterKey;
      });
    const entries: { status: 'booked' | 'pending'; tx: CardTransaction }[] = [];
    // Pending entries are the newest, so they lead the combined (newest-first) sequence.
    if (bookingStatus !== 'booked') for (const tx of select(account.pending, (t) => t.transactionDate)) entries.push({ status: 'pending', tx });
    if (bookingStatus !== 'pending') for (const tx of select(account.booked, (t) => t.bookingDate ?? t.transactionDate)) entries.push({ status: 'booked', tx });

    const lastPage = Math.max(1, Math.ceil(entries.length / this.pageSize));
    const page = pageText === undefined ? 1 : Number(pageText);
    if (page > lastPage)
      throw new ApiError(400, 'FORMAT_ERROR', `${profile.pageParameter} ${page} is beyond the last page (${lastPage})`, profile.pageParameter);
    const onPage = entries.slice((page - 1) * this.pageSize, page * this.pageSize);

    const filters = new URLSearchParams();
    filters.set('bookingStatus', bookingStatus);
    if (dateFrom !== undefined) filters.set('dateFrom', dateFrom);
    if (dateTo !== undefined) filters.set('dateTo', dateTo);
    if (entryReferenceFrom !== undefined) filters.set('entryReferenceFrom', entryReferenceFrom);
    const pageLink = (n: number): Link => {
      const q = new URLSearchParams(filters);
      q.set(profile.pageParameter, String(n));
      return this.href(`${accountPath(account)}/transactions?${q.toString()}`);
    };
    const links: Record<string, Link> = { cardAccount: this.href(accountPath(account)), first: pageLink(1) };
    if (page > 1) links.previous = pageLink(page - 1);
    if (page < lastPage) links.next = pageLink(page + 1);
    links.last = pageLink(lastPage);

    const report: Record<string, unknown> = {};
    if (bookingStatus !== 'pending') report.booked = onPage.filter((e) => e.status === 'booked').map((e) => structuredClone(e.tx));
    if (bookingStatus !== 'booked') report.pending = onPage.filter((e) => e.status === 'pending').map((e) => structuredClone(e.tx));
    report._links = links;
    const body: Record<string, unknown> = { cardAccount: this.reference(account) };
    if (account.debitAccounting !== undefined) body.debitAccounting = account.debitAccounting;
    body.cardTransactions = report;
    // The account's balances travel with every page (optional in BG), so clients need no second call.
    body.balances = structuredClone(account.balances);
    // The combined list can also be fetched in one piece (BG `_links.download`).
    if (bookingStatus === 'both') body._links = { download: this.href(`${accountPath(account)}/transactions/download`) };
    return body;
  }
}

/**
 * The origin a request reached, for absolute links. The handler sees no socket: a request that
 * presented a client certificate came over TLS (the sandbox serves TLS only with mutual TLS).
 */
function originOf(req: IncomingRequestInfo): string {
  const host = req.headers.host ?? '127.0.0.1';
  return `${req.clientCertificatePem !== undefined ? 'https' : 'http'}://${host}`;
}

function isAbsoluteUri(value: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

function ok(body: unknown): SandboxResponse {
  return { status: 200, headers: { 'content-type': 'application/json' }, body };
}

function splitOnce(text: string, separator: string): [string, string] {
  const i = text.indexOf(separator);
  return i < 0 ? [text, ''] : [text.slice(0, i), text.slice(i + 1)];
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
