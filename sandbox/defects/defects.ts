// The defect catalogue: every entry is documented here and only here (what it changes, which
// real bank it is modelled on, which rules must catch it). tests/detection-matrix.test.ts
// proves each claim; docs/detection-matrix.md is generated from the same run.
import { randomUUID } from 'node:crypto';
import type { BankData, CardTransaction, MutationContext, ResponseMutation } from '../types.js';
import {
  digitsOf,
  isCardOp,
  isRecord,
  isSuccess,
  luhnCheckDigit,
  mapCurrencies,
  onSuccessBody,
  onSuccessText,
  queryOf,
  visitAmounts,
  visitLinks,
  visitObjects,
} from './helpers.js';
import type { Defect } from './types.js';

const defect = (d: Omit<Defect, 'mutation'> & { mutation: Omit<ResponseMutation, 'id'> }): Defect => ({ ...d, mutation: { id: d.id, ...d.mutation } });

const TX = ['getCardAccountTransactionList'] as const;
const ACCOUNT_VIEWS = ['getCardAccountList', 'readCardAccountDetails'] as const;

/** The card-account objects of a list or details body. */
function cardAccountsOf(body: Record<string, unknown>): Record<string, unknown>[] {
  if (Array.isArray(body.cardAccounts)) return body.cardAccounts.filter(isRecord);
  return isRecord(body.cardAccount) ? [body.cardAccount] : [];
}

/** The account a card-account path names (`/v1/card-accounts/{id}/…`). */
function accountOf(ctx: MutationContext) {
  const segment = (ctx.request.path.split('?')[0] ?? '').split('/')[3];
  if (segment === undefined) return undefined;
  let id: string;
  try {
    id = decodeURIComponent(segment);
  } catch {
    return undefined;
  }
  return ctx.data.accounts.find((a) => a.resourceId === id);
}

/** Every masked PAN of the data (account and transactions) through fn. */
function rewritePans(data: BankData, fn: (maskedPan: string) => string): void {
  for (const account of data.accounts) {
    const pan = fn(account.maskedPan);
    account.maskedPan = pan;
    for (const tx of [...account.booked, ...account.pending]) if (tx.maskedPAN !== undefined) tx.maskedPAN = pan;
  }
}

/** A rewrite of error responses (status ≥ 400) of the card-account operations. */
function onCardError(fn: (ctx: MutationContext) => void): (ctx: MutationContext) => void {
  return (ctx) => {
    if (isCardOp(ctx.operationId) && ctx.response.status >= 400) fn(ctx);
  };
}

const errorCode = (ctx: MutationContext): string | undefined => {
  const body = ctx.response.body;
  const first = isRecord(body) && Array.isArray(body.tppMessages) ? body.tppMessages[0] : undefined;
  return isRecord(first) && typeof first.code === 'string' ? first.code : undefined;
};

// The last entry served on each page of a chain, per bank: the off-by-one pager repeats it.
const lastServed = new WeakMap<BankData, Map<string, { list: 'booked' | 'pending'; tx: unknown }>>();

export const DEFECTS: Defect[] = [
  // ---- minor-units ---------------------------------------------------------------------
  defect({
    id: 'amount-as-number',
    description: 'Every amount is a JSON number (150.02, and 110 where the fraction is zero) instead of a decimal string.',
    modelledOn: 'A1, A2 Commerzbank/Comdirect sandbox; A4 Handelsbanken card accounts',
    catches: { ruleIds: ['*:minor-units', '*:schema'], categories: ['minor-units', 'schema'] },
    mutation: { raw: onSuccessText((t) => t.replace(/"amount":"(-?\d+(?:\.\d+)?)"/g, '"amount":$1')) },
  }),
  defect({
    id: 'amount-mixed-types',
    description: 'Inside one transaction page, every other amount is a JSON number; the rest stay strings.',
    modelledOn: 'A3 Santander DE sandbox',
    catches: { ruleIds: ['getCardAccountTransactionList:*:minor-units', 'getCardAccountTransactionList:schema'], categories: ['minor-units', 'schema'] },
    mutation: {
      raw: onSuccessText((t) => {
        let n = 0;
        return t.replace(/"amount":"(-?\d+(?:\.\d+)?)"/g, (all, num: string) => (n++ % 2 === 1 ? `"amount":${num}` : all));
      }, TX),
    },
  }),
  defect({
    id: 'amount-extra-decimals',
    description: 'Amounts in two-decimal currencies carry four fraction digits ("12.3456" SEK/EUR/NOK).',
    modelledOn: 'A10 bank exports seen by actualbudget (GH actualbudget/actual#2374)',
    catches: { ruleIds: ['*:minor-units', '*:schema'], categories: ['minor-units', 'schema'] },
    mutation: {
      apply: onSuccessBody((b) =>
        visitAmounts(b, (a) => {
          if (digitsOf(a.currency) === 2) a.amount += '56';
        }),
      ),
    },
  }),
  defect({
    id: 'amount-jpy-fraction',
    description: 'JPY amounts carry a fraction ("100.5" JPY) although ISO 4217 gives the yen no minor unit; the amount pattern alone allows it.',
    modelledOn: 'A10 (bank-sync tools hard-coding 2 decimals break on JPY/KWD, GH actualbudget/actual PR #6954)',
    catches: { ruleIds: ['*:minor-units'], categories: ['minor-units'] },
    mutation: {
      apply: onSuccessBody((b) =>
        visitAmounts(b, (a) => {
          if (a.currency === 'JPY') a.amount += '.5';
        }),
      ),
    },
  }),

  // ---- currency ------------------------------------------------------------------------
  defect({
    id: 'currency-unknown',
    description: 'The Norwegian krone is written NKR (the local abbreviation), which is not an ISO 4217 code.',
    modelledOn: 'A6 Entercard SE/NO (currency field not the ISO account currency); section 1 currency-enum class',
    catches: { ruleIds: ['*:currency'], categories: ['currency'] },
    mutation: { apply: onSuccessBody((b) => mapCurrencies(b, (c) => (c === 'NOK' ? 'NKR' : c))) },
  }),
  defect({
    id: 'currency-historic',
    description: 'EUR amounts are labelled HRK, the Croatian kuna withdrawn in 2023 (a core system that missed the euro changeover).',
    modelledOn: 'section 1 currency-enum class (no single bank row; historic codes are a minor finding)',
    catches: { ruleIds: ['*:currency'], categories: ['currency'] },
    mutation: { apply: onSuccessBody((b) => mapCurrencies(b, (c) => (c === 'EUR' ? 'HRK' : c))) },
  }),
  defect({
    id: 'currency-lowercase',
    description: 'Every currency code is lower-case ("sek", "eur").',
    modelledOn: 'section 1 currency-enum class; L5 Commerzbank/Comdirect (case drift of coded values)',
    catches: { ruleIds: ['*:currency', '*:schema'], categories: ['currency', 'schema'] },
    mutation: { apply: onSuccessBody((b) => mapCurrencies(b, (c) => c.toLowerCase())) },
  }),
  defect({
    id: 'currency-euro',
    description: 'EUR is written "EURO".',
    modelledOn: 'section 1 currency-enum class (no single bank row)',
    catches: { ruleIds: ['*:currency', '*:schema'], categories: ['currency', 'schema'] },
    mutation: { apply: onSuccessBody((b) => mapCurrencies(b, (c) => (c === 'EUR' ? 'EURO' : c))) },
  }),

  // ---- masked-pan ----------------------------------------------------------------------
  defect({
    id: 'masked-pan-too-long',
    description:
      'maskedPan/maskedPAN is padded to a 36-character display field ("512345**************************1234"), over the 35 the spec allows. (The 19-character "Xxxx Xxxx Xxxx 1111" of M2 is legal under the core profile\'s 35, so it is a negative control.)',
    modelledOn: 'M2 (Handelsbanken, ING Romania, aggregator formats) and M4 (BG maskedPAN ≤ 35)',
    catches: { ruleIds: ['*:max-length', '*:schema'], categories: ['masked-pan', 'schema'] },
    mutation: { mutateData: (d) => rewritePans(d, (p) => `${p.slice(0, 6)}${'*'.repeat(26)}${p.slice(-4)}`) },
  }),
  defect({
    id: 'pan-unmasked',
    description: 'maskedPan carries the full, Luhn-valid card number.',
    modelledOn: 'M1 American Express DE (card number where an identifier belongs); M2 masking formats',
    catches: { ruleIds: ['*:masking'], categories: ['masked-pan'] },
    mutation: {
      mutateData: (d) =>
        rewritePans(d, (p) => {
          const body = `${p.slice(0, 6)}${p.slice(-4)}31415`;
          return body + luhnCheckDigit(body);
        }),
    },
  }),
  defect({
    id: 'pan-too-many-digits',
    description: 'maskedPan shows the first eight digits ("51234567xxxx1234"), more than PCI DSS allows.',
    modelledOn: 'M2 masking-pattern variations (Handelsbanken, ING Romania)',
    catches: { ruleIds: ['*:masking'], categories: ['masked-pan'] },
    mutation: { mutateData: (d) => rewritePans(d, (p) => `${p.slice(0, 6)}42xxxx${p.slice(-4)}`) },
  }),

  // ---- enum ----------------------------------------------------------------------------
  defect({
    id: 'balance-type-authorised',
    description: 'The first balance of each account has the deprecated balanceType "authorised".',
    modelledOn: 'S8 Santander DE, Unicredit sandboxes',
    catches: { ruleIds: ['*/balanceType:enum', '*:schema'], categories: ['enum', 'schema'] },
    mutation: {
      apply: onSuccessBody((b) =>
        visitObjects(b, (o) => {
          const first = Array.isArray(o.balances) ? o.balances[0] : undefined;
          if (isRecord(first)) first.balanceType = 'authorised';
        }),
      ),
    },
  }),
  defect({
    id: 'balance-type-information',
    description: 'Each account reports a single balance, of the non-BG catch-all type "information".',
    modelledOn: 'S7 American Express DE (AESUDEF1)',
    catches: { ruleIds: ['*/balanceType:enum', '*:schema'], categories: ['enum', 'schema'] },
    mutation: {
      apply: onSuccessBody((b) =>
        visitObjects(b, (o) => {
          const first = Array.isArray(o.balances) ? o.balances[0] : undefined;
          if (isRecord(first)) o.balances = [{ balanceAmount: first.balanceAmount, balanceType: 'information' }];
        }),
      ),
    },
  }),
  defect({
    id: 'enum-case-drift',
    description: 'Account status and usage in another case: "Enabled", "Priv", "Orga".',
    modelledOn: 'L5 Commerzbank/Comdirect (enum values in another case); W17 Sparkasse, Salt Edge (non-BG enum values)',
    catches: { ruleIds: ['*/status:enum', '*/usage:enum', '*:schema'], categories: ['enum', 'schema'] },
    mutation: {
      apply: onSuccessBody((b) => {
        for (const a of cardAccountsOf(b)) {
          if (typeof a.status === 'string') a.status = a.status.charAt(0).toUpperCase() + a.status.slice(1);
          if (typeof a.usage === 'string') a.usage = a.usage[0] + a.usage.slice(1).toLowerCase();
        }
      }, ACCOUNT_VIEWS),
    },
  }),
  defect({
    id: 'booking-status-case-in-links',
    description:
      'The bank writes bookingStatus=BOOKED/PENDING/BOTH into its own transaction links, then refuses them (400): following next, first or last fails.',
    modelledOn: 'L5 Commerzbank/Comdirect (pagination links with bookingStatus=BOOKED)',
    catches: { ruleIds: ['semantic:links-resolve', 'getCardAccountTransactionList:status-code'], categories: ['links', 'status-code'] },
    mutation: {
      apply: onSuccessBody((b) =>
        visitLinks(b, (links) => {
          for (const link of Object.values(links)) {
            if (isRecord(link) && typeof link.href === 'string')
              link.href = link.href.replace(/bookingStatus=(booked|pending|both)/, (_, s: string) => `bookingStatus=${s.toUpperCase()}`);
          }
        }),
      ),
    },
  }),

  // ---- links ---------------------------------------------------------------------------
  defect({
    id: 'links-as-array',
    description: '_links is an array of { rel, href } objects instead of a map of named links.',
    modelledOn: 'L1 Unicredit (update-PSU-data response)',
    catches: { ruleIds: ['*/_links:links', '*:schema'], categories: ['links', 'schema'] },
    mutation: {
      apply: onSuccessBody((b) =>
        visitLinks(b, (links, parent) => {
          parent._links = Object.entries(links).map(([rel, link]) => ({ rel, ...(isRecord(link) ? link : { href: link }) }));
        }),
      ),
    },
  }),
  defect({
    id: 'links-as-strings',
    description: 'Links are plain strings ("balances": "/v1/…") instead of { href } objects.',
    modelledOn: 'L2 ING (payments links)',
    catches: { ruleIds: ['*/_links:links', '*:schema'], categories: ['links', 'schema'] },
    mutation: {
      apply: onSuccessBody((b) =>
        visitLinks(b, (links) => {
          for (const [name, link] of Object.entries(links)) if (isRecord(link) && typeof link.href === 'string') links[name] = link.href;
        }),
      ),
    },
  }),
  defect({
    id: 'links-unencoded-space',
    description: 'Link hrefs with a query carry an unencoded space ("…&ordering=booking date").',
    modelledOn: 'L4 DKB (hrefs with unencoded spaces)',
    catches: { ruleIds: ['*/_links:links'], categories: ['links'] },
    mutation: {
      apply: onSuccessBody((b) =>
        visitLinks(b, (links) => {
          for (const link of Object.values(links))
            if (isRecord(link) && typeof link.href === 'string' && link.href.includes('?')) link.href += '&ordering=booking date';
        }),
      ),
    },
  }),
  defect({
    id: 'link-wrong-version',
    description: 'The balances link of each card account points at /v2/ (an API version the bank does not serve): a dangling link, 404.',
    modelledOn: 'L3 ING, Santander, Fiducia (links to a different API version than the one called)',
    catches: { ruleIds: ['semantic:links-resolve'], categories: ['links'] },
    mutation: {
      apply: onSuccessBody((b) => {
        for (const a of cardAccountsOf(b)) {
          const balances = isRecord(a._links) ? a._links.balances : undefined;
          if (isRecord(balances) && typeof balances.href === 'string') balances.href = balances.href.replace('/v1/', '/v2/');
        }
      }, ACCOUNT_VIEWS),
    },
  }),

  // ---- semantic: pagination, bookingStatus, dates ----------------------------------------
  defect({
    id: 'next-link-cycle',
    description: 'The last page of every transaction list links back to the first as next, so paging never ends.',
    modelledOn: 'L6 ING (next-only paging), L8 SpareBank 1 (offset paging off by one)',
    catches: { ruleIds: ['semantic:pagination-complete'], categories: ['semantic'] },
    mutation: {
      apply: onSuccessBody((b) => {
        const links = isRecord(b.cardTransactions) ? b.cardTransactions._links : undefined;
        if (isRecord(links) && links.next === undefined && links.first !== undefined) links.next = structuredClone(links.first);
      }, TX),
    },
  }),
  defect({
    id: 'duplicate-across-pages',
    description: 'Paging overlaps by one: each page after the first repeats the last entry of the page before.',
    modelledOn: 'L8 SpareBank 1/SR-Bank (offset ≥ 1 documented, examples start at 0); I3 Belfius (same entry twice)',
    catches: { ruleIds: ['semantic:pagination-complete'], categories: ['semantic'] },
    mutation: {
      apply: onSuccessBody((b, ctx) => {
        const report = b.cardTransactions;
        if (!isRecord(report)) return;
        const query = queryOf(ctx.request);
        const page = Number(query.get('page') ?? '1');
        query.delete('page');
        const chain = `${ctx.request.path.split('?')[0]}?${[...query]
          .map((kv) => kv.join('='))
          .sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))
          .join('&')}`;
        const served = lastServed.get(ctx.data) ?? new Map();
        lastServed.set(ctx.data, served);
        const previous = served.get(`${chain}#${page - 1}`);
        const booked = Array.isArray(report.booked) ? report.booked : [];
        const pending = Array.isArray(report.pending) ? report.pending : [];
        // Remember this page's last entry before adding the repeat (pending entries come first).
        const last =
          booked.length > 0
            ? { list: 'booked' as const, tx: booked[booked.length - 1] }
            : pending.length > 0
              ? { list: 'pending' as const, tx: pending[pending.length - 1] }
              : undefined;
        if (last) served.set(`${chain}#${page}`, structuredClone(last));
        if (page > 1 && previous && Array.isArray(report[previous.list])) (report[previous.list] as unknown[]).unshift(previous.tx);
      }, TX),
    },
  }),
  defect({
    id: 'pending-as-booked',
    description: 'bookingStatus=booked also returns the pending entries, in the booked list.',
    modelledOn: 'H16 Fiducia (bookingStatus subset, pending folded into booked); I5 Nationwide (pending entries resurfacing as booked)',
    catches: { ruleIds: ['semantic:booking-status-respected'], categories: ['semantic'] },
    mutation: {
      apply: onSuccessBody((b, ctx) => {
        const q = queryOf(ctx.request);
        const report = b.cardTransactions;
        if (q.get('bookingStatus') !== 'booked' || q.has('dateFrom') || (q.get('page') ?? '1') !== '1' || !isRecord(report) || !Array.isArray(report.booked))
          return;
        const account = accountOf(ctx);
        if (account) report.booked.unshift(...structuredClone(account.pending));
      }, TX),
    },
  }),
  defect({
    id: 'date-filter-ignored',
    description: 'dateFrom/dateTo are accepted but ignored: the whole booked history comes back on one page.',
    modelledOn: 'L8 SpareBank 1/SR-Bank portals (dateFrom documented, silently defaulted)',
    catches: { ruleIds: ['semantic:date-range-respected'], categories: ['semantic'] },
    mutation: {
      apply: onSuccessBody((b, ctx) => {
        const q = queryOf(ctx.request);
        const report = b.cardTransactions;
        if ((!q.has('dateFrom') && !q.has('dateTo')) || !isRecord(report)) return;
        const account = accountOf(ctx);
        if (!account) return;
        report.booked = structuredClone<CardTransaction[]>(account.booked);
        if (isRecord(report._links)) {
          delete report._links.next;
          delete report._links.previous;
        }
      }, TX),
    },
  }),

  // ---- headers -------------------------------------------------------------------------
  defect({
    id: 'no-x-request-id',
    description: 'No X-Request-ID on any response.',
    modelledOn: 'H6 Santander and ING stubs (ING sends X-ING-Response-ID instead)',
    catches: { ruleIds: ['*:x-request-id'], categories: ['headers'] },
    mutation: {
      apply: (ctx) => {
        const id = ctx.response.headers['x-request-id'];
        delete ctx.response.headers['x-request-id'];
        if (id !== undefined) ctx.response.headers['x-ing-response-id'] = randomUUID();
      },
    },
  }),
  defect({
    id: 'x-request-id-regenerated',
    description: "X-Request-ID is the bank's own new UUID, not the one the TPP sent.",
    modelledOn: 'H6 ING, H9 SIBS (bank-side request ids instead of the echo)',
    catches: { ruleIds: ['*:x-request-id'], categories: ['headers'] },
    mutation: {
      apply: (ctx) => {
        if (ctx.response.headers['x-request-id'] !== undefined) ctx.response.headers['x-request-id'] = randomUUID();
      },
    },
  }),
  defect({
    id: 'transactions-mt940-text',
    description: 'Transaction lists come back as MT940 text (text/plain) instead of JSON.',
    modelledOn: 'H2 Bank-Verlag sandbox',
    catches: { ruleIds: ['getCardAccountTransactionList:content-type'], categories: ['headers'] },
    mutation: {
      raw: onSuccessText(() => ':20:STARTUMSE\r\n:25:card-account\r\n:28C:00001/001\r\n:60F:C261120EUR0,00\r\n:62F:C261120EUR0,00\r\n-', TX),
      apply: (ctx) => {
        if (isCardOp(ctx.operationId, TX) && isSuccess(ctx.response)) ctx.response.headers['content-type'] = 'text/plain; charset=ISO-8859-1';
      },
    },
  }),
  defect({
    id: 'transactions-camt-xml',
    description: 'Transaction lists come back as camt.052 XML (application/xml).',
    modelledOn: 'H3 Sparkasse, Fiducia (XML-only transaction lists)',
    catches: { ruleIds: ['getCardAccountTransactionList:content-type'], categories: ['headers'] },
    mutation: {
      raw: onSuccessText(
        () => '<?xml version="1.0" encoding="UTF-8"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.02"><BkToCstmrAcctRpt/></Document>',
        TX,
      ),
      apply: (ctx) => {
        if (isCardOp(ctx.operationId, TX) && isSuccess(ctx.response)) ctx.response.headers['content-type'] = 'application/xml';
      },
    },
  }),
  defect({
    id: 'json-as-text-plain',
    description: 'Card-account bodies are JSON but labelled Content-Type: text/plain.',
    modelledOn: 'H4 (XA ResponseHandlers: non-JSON Content-Type, clients need a sniffing fallback)',
    catches: { ruleIds: ['*:content-type'], categories: ['headers'] },
    mutation: {
      apply: (ctx) => {
        if (isCardOp(ctx.operationId) && isSuccess(ctx.response)) ctx.response.headers['content-type'] = 'text/plain';
      },
    },
  }),

  // ---- error-response ------------------------------------------------------------------
  defect({
    id: 'error-html-page',
    description: 'Errors on card-account endpoints are an HTML error page (text/html) instead of a tppMessages body.',
    modelledOn: 'H4 OpenBankProject (HTML error page, GH OpenBankProject/OBP-API#945); XA ResponseHandlers',
    // The rejection suite and the negative requests read the same error bodies, so they report them too.
    catches: {
      ruleIds: ['*:error:*', 'signature:*', 'certificate:*', '*:negative-*', '*:consent-lifecycle:*'],
      categories: ['error-response', 'signature', 'certificate', 'negative'],
    },
    mutation: {
      apply: onCardError((ctx) => {
        ctx.response.headers['content-type'] = 'text/html; charset=utf-8';
        ctx.response.body = undefined;
      }),
      raw: (ctx) => {
        if (isCardOp(ctx.operationId) && ctx.raw.status >= 400)
          ctx.raw.bodyText = `<html><head><title>Error ${ctx.raw.status}</title></head><body><h1>Something went wrong</h1></body></html>`;
      },
    },
  }),
  defect({
    id: 'tpp-messages-as-strings',
    description: 'Error bodies list tppMessages as strings ("FORMAT_ERROR: …") instead of { category, code, text } objects.',
    modelledOn: 'H5 Deutsche Bank (2019, DbTransactionReport)',
    catches: {
      ruleIds: ['*:error:*', 'signature:*', 'certificate:*', '*:negative-*', '*:consent-lifecycle:*'],
      categories: ['error-response', 'signature', 'certificate', 'negative'],
    },
    mutation: {
      apply: onCardError((ctx) => {
        const body = ctx.response.body;
        if (!isRecord(body) || !Array.isArray(body.tppMessages)) return;
        body.tppMessages = body.tppMessages.map((m) => (isRecord(m) ? `${String(m.code)}: ${String(m.text)}` : m));
      }),
    },
  }),
  defect({
    id: 'unknown-account-403',
    description: 'An unknown account-id is answered 403 RESOURCE_UNKNOWN instead of 404 (a tolerated, minor finding, but a failed result).',
    modelledOn: 'H13 Fiducia (403 RESOURCE_UNKNOWN; UniCredit answers 404)',
    catches: { ruleIds: ['*:error:unknown-account-id'], categories: ['error-response'] },
    mutation: {
      apply: onCardError((ctx) => {
        if (ctx.response.status === 404 && errorCode(ctx) === 'RESOURCE_UNKNOWN') ctx.response.status = 403;
      }),
    },
  }),
  defect({
    id: 'unknown-account-200',
    description: 'An unknown account-id is answered 200 with an empty result instead of 404.',
    modelledOn: 'L8 SpareBank 1/SR-Bank (200 where an error is due); H15 (card endpoints answered without the resource)',
    catches: { ruleIds: ['*:error:unknown-account-id'], categories: ['error-response'] },
    mutation: {
      apply: onCardError((ctx) => {
        if (ctx.response.status !== 404 || errorCode(ctx) !== 'RESOURCE_UNKNOWN') return;
        ctx.response.status = 200;
        ctx.response.body =
          ctx.operationId === 'getCardAccountTransactionList'
            ? { cardTransactions: { booked: [], _links: {} } }
            : ctx.operationId === 'getCardAccountBalances'
              ? { balances: [] }
              : { cardAccount: {} };
      }),
    },
  }),
  defect({
    id: 'missing-consent-id-500',
    description: 'A card-account request without Consent-ID crashes the gateway: 500 instead of 400 FORMAT_ERROR.',
    modelledOn: 'H8 UniCredit, Sparkasse (headers the gateway silently depends on); H4 error-path robustness',
    catches: { ruleIds: ['*:error:missing-header-consent-id'], categories: ['error-response'] },
    mutation: {
      apply: onCardError((ctx) => {
        if (ctx.request.headers['consent-id'] !== undefined) return;
        ctx.response.status = 500;
        ctx.response.body = { tppMessages: [{ category: 'ERROR', code: 'INTERNAL_SERVER_ERROR', text: 'java.lang.NullPointerException' }] };
      }),
    },
  }),
  defect({
    id: 'status-201',
    description: 'Card-account reads answer 201 Created instead of 200.',
    modelledOn: 'status-code class of H13/H14 (status chosen per bank, not per standard); no single row',
    catches: { ruleIds: ['*:status-code'], categories: ['status-code'] },
    mutation: {
      apply: (ctx) => {
        if (isCardOp(ctx.operationId) && ctx.response.status === 200) ctx.response.status = 201;
      },
    },
  }),

  // ---- required-field and wrappers -----------------------------------------------------
  defect({
    id: 'handelsbanken-shape',
    description: 'List items use accountId instead of resourceId, put maskedPan into cards: [{ maskedPan }], and send creditLimit.amount as a number.',
    modelledOn: 'W1 + A4 Handelsbanken Card Account API',
    catches: {
      ruleIds: ['getCardAccountList:/cardAccounts/*/maskedPan:required', 'getCardAccountList:*:minor-units', 'getCardAccountList:schema'],
      categories: ['required-field', 'minor-units', 'schema'],
    },
    mutation: {
      apply: onSuccessBody(
        (b) => {
          b.cardAccounts = cardAccountsOf(b).map(({ resourceId, maskedPan, creditLimit, ...rest }) => ({
            accountId: resourceId,
            cards: [{ maskedPan }],
            ...rest,
            ...(isRecord(creditLimit) ? { creditLimit: { ...creditLimit, amount: Number(creditLimit.amount) } } : {}),
          }));
        },
        ['getCardAccountList'],
      ),
    },
  }),
  defect({
    id: 'masked-pan-missing',
    description: 'Card accounts of the ORGA (business) product carry no maskedPan in the list and details.',
    modelledOn: 'M3 Nordea Cards (card number missing for some products)',
    catches: { ruleIds: ['*/maskedPan:required', '*:schema'], categories: ['required-field', 'schema'] },
    mutation: {
      apply: onSuccessBody((b) => {
        for (const a of cardAccountsOf(b)) if (a.usage === 'ORGA') delete a.maskedPan;
      }, ACCOUNT_VIEWS),
    },
  }),
  defect({
    id: 'currency-missing',
    description: 'Card accounts in the list and details carry no currency.',
    modelledOn: 'W1-like (Handelsbanken: BG fields absent at their BG location); W12 Fiducia (list items lacking fields)',
    catches: { ruleIds: ['*/currency:required', '*:schema'], categories: ['required-field', 'schema'] },
    mutation: {
      apply: onSuccessBody((b) => {
        for (const a of cardAccountsOf(b)) delete a.currency;
      }, ACCOUNT_VIEWS),
    },
  }),
  defect({
    id: 'details-wrapper-plural',
    description: 'The details response wraps the account in cardAccounts (plural) instead of cardAccount.',
    modelledOn: 'W13 CBI Globe (IT) readCardAccountDetails',
    catches: {
      ruleIds: [
        'readCardAccountDetails:/cardAccount:required',
        'readCardAccountDetails:schema',
        'readCardAccountDetails:body-fields',
        'readCardAccountDetails:undeclared-properties',
      ],
      categories: ['required-field', 'schema'],
    },
    mutation: { apply: onSuccessBody((b) => ({ cardAccounts: b.cardAccount }), ['readCardAccountDetails']) },
  }),
  defect({
    id: 'balances-extra-wrapper',
    description: 'The balances response is wrapped: { psuMessage, account: [{ account, balances }] }.',
    modelledOn: 'W2 Deutsche Bank (2019, DbBalanceReport)',
    catches: {
      ruleIds: ['getCardAccountBalances:/balances:required', 'getCardAccountBalances:schema', 'getCardAccountBalances:body-fields'],
      categories: ['required-field', 'schema'],
    },
    mutation: {
      apply: onSuccessBody(
        (b) => ({ psuMessage: 'Balances of your card account', account: [{ account: b.cardAccount, balances: b.balances }] }),
        ['getCardAccountBalances'],
      ),
    },
  }),

  // ---- schema only: no more specific category applies ----------------------------------
  defect({
    id: 'explicit-nulls',
    description: 'Optional card-account fields are sent as explicit nulls (ownerName, displayName, details).',
    modelledOn: 'W10 Deutsche Bank sandbox',
    catches: { ruleIds: ['*:schema'], categories: ['schema'] },
    mutation: {
      apply: onSuccessBody((b) => {
        for (const a of cardAccountsOf(b)) {
          a.ownerName = null;
          a.displayName = null;
          a.details = null;
        }
      }, ACCOUNT_VIEWS),
    },
  }),
  defect({
    id: 'datetime-no-offset',
    description: 'Balance lastChangeDateTime without a UTC offset ("2026-11-20T00:15:00").',
    modelledOn: 'D1 Commerzbank & Comdirect',
    catches: { ruleIds: ['*:schema'], categories: ['schema'] },
    mutation: {
      apply: onSuccessBody((b) =>
        visitObjects(b, (o) => {
          if (typeof o.lastChangeDateTime === 'string') o.lastChangeDateTime = o.lastChangeDateTime.replace(/(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, '');
        }),
      ),
    },
  }),
  defect({
    id: 'quotation-date-as-datetime',
    description: 'currencyExchange.quotationDate (an ISODate) is a date-time with seven fraction digits and no zone.',
    modelledOn: 'D3 Bank Norwegian via GoCardless',
    catches: { ruleIds: ['getCardAccountTransactionList:schema'], categories: ['schema'] },
    mutation: {
      apply: onSuccessBody(
        (b) =>
          visitObjects(b, (o) => {
            if (typeof o.quotationDate === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(o.quotationDate)) o.quotationDate += 'T00:00:00.0000000';
          }),
        TX,
      ),
    },
  }),
  // ---- the Norwegian BITS profile (SR-Bank's page): conformant Berlin Group, so judged under bits-no ----
  defect({
    id: 'bits-links-without-verbs',
    profile: 'bits-no',
    description: "Link objects are { href } only: the verbs SR-Bank's page requires next to href are left out.",
    modelledOn: 'SR-Bank card-account page (links are { href, verbs }); Berlin Group hrefType has href only',
    catches: { ruleIds: ['*/_links/*/verbs:required', '*:schema'], categories: ['required-field', 'schema'] },
    mutation: {
      apply: onSuccessBody((body) => {
        visitLinks(body, (links) => {
          for (const l of Object.values(links)) if (isRecord(l)) delete l.verbs;
        });
      }),
    },
  }),
  defect({
    id: 'bits-masked-pan-19',
    profile: 'bits-no',
    description: 'Every maskedPan is 19 characters (6 digits, 9 x, 4 digits), as for a 19-digit PAN; the page allows 16 (Berlin Group 35).',
    modelledOn: 'SR-Bank card-account page (maskedPan ≤ 16); 19-digit Maestro/UnionPay PANs',
    catches: { ruleIds: ['*:max-length', '*:schema'], categories: ['masked-pan', 'schema'] },
    mutation: { mutateData: (data) => rewritePans(data, (pan) => `${pan.slice(0, 6)}${'x'.repeat(9)}${pan.slice(-4)}`) },
  }),
  defect({
    id: 'bits-product-missing',
    profile: 'bits-no',
    description: 'Card accounts in the list and the details carry no product, which the page makes required.',
    modelledOn: 'SR-Bank card-account page (product required, ≤ 35); optional in Berlin Group',
    catches: { ruleIds: ['*/product:required', '*:schema'], categories: ['required-field', 'schema'] },
    mutation: {
      apply: onSuccessBody((body) => {
        for (const a of cardAccountsOf(body)) delete a.product;
      }, ACCOUNT_VIEWS),
    },
  }),
  defect({
    id: 'bits-balance-type-outside-five',
    profile: 'bits-no',
    description: "Each account's first balance is interimBooked: a Berlin Group balance type outside the page's five.",
    modelledOn: 'SR-Bank card-account page (closingBooked, openingBooked, expected, interimAvailable, forwardAvailable); BG card examples use interimBooked',
    catches: { ruleIds: ['*/balanceType:enum', '*:schema'], categories: ['enum', 'schema'] },
    mutation: {
      mutateData: (data) => {
        for (const a of data.accounts) if (a.balances[0]) a.balances[0].balanceType = 'interimBooked';
      },
    },
  }),
  // ---- negative (generated invalid requests, the consent lifecycle) -----------------------
  defect({
    id: 'malformed-date-ignored',
    description: 'A dateFrom/dateTo that is no date ("2026-13-45", "abc") is dropped as if absent: 200 with the unfiltered list.',
    modelledOn: 'L8 SpareBank 1/SR-Bank portals (date parameters silently defaulted); issue "negative checks" (banks answer 200 and ignore the value)',
    catches: { ruleIds: ['getCardAccountTransactionList:query.date*:negative-format*'], categories: ['negative'] },
    mutation: { quirks: { malformedDatesIgnored: true } },
  }),
  defect({
    id: 'malformed-date-500',
    description: 'A date of the right shape that is no calendar day ("2026-13-45") crashes the date parser behind the gateway: 500 with a Java stack trace.',
    modelledOn: 'H4 error-path robustness (gateways that parse late answer 500 with a stack trace); issue "negative checks"',
    catches: { ruleIds: ['getCardAccountTransactionList:query.date*:negative-format'], categories: ['negative'] },
    mutation: {
      raw: (ctx) => {
        if (ctx.operationId !== 'getCardAccountTransactionList' || ctx.raw.status !== 400) return;
        const q = queryOf(ctx.request);
        const impossible = ['dateFrom', 'dateTo'].map((n) => q.get(n)).find((v) => v !== null && /^\d{4}-\d{2}-\d{2}$/.test(v));
        if (impossible === undefined || !ctx.raw.bodyText.includes('must be a date')) return;
        return {
          status: 500,
          headers: { 'content-type': 'text/html' },
          bodyText:
            '<html><body><h1>HTTP Status 500</h1><pre>java.time.format.DateTimeParseException: ' +
            `Text '${impossible}' could not be parsed: Invalid value for MonthOfYear (valid values 1 - 12): 13\n` +
            '\tat java.base/java.time.format.DateTimeFormatter.createError(DateTimeFormatter.java:2023)</pre></body></html>',
        };
      },
    },
  }),
  defect({
    id: 'deleted-consent-still-works',
    description:
      'After the TPP deletes its consent the status reads terminatedByTpp, but card data is still served with it (the access check reads another flag).',
    modelledOn:
      'issue "negative checks" (a bank that still serves card data after DELETE: a security finding no peer checks); ' +
      'consent status and access held in two systems',
    catches: { ruleIds: ['*:consent-lifecycle:deleted-consent-refused'], categories: ['negative'] },
    mutation: { quirks: { terminatedConsentStillValid: true } },
  }),
  defect({
    id: 'consent-reaches-other-accounts',
    description: "The consent's access is not checked per card account: a consent for one card reads the details of every other card account of the PSU.",
    modelledOn: 'issue "negative checks" (access.cardAccounts / maskedPan-based access must limit what a consent reaches)',
    catches: { ruleIds: ['readCardAccountDetails:consent-lifecycle:outside-access'], categories: ['negative'] },
    mutation: { quirks: { consentAccessIgnored: true } },
  }),

  // Request-side defects: the bank's verifier or transport, not its payloads.
  defect({
    id: 'accepts-any-signature',
    description: 'The signature check is switched off: unsigned, badly signed and badly certified requests are all accepted.',
    modelledOn: 'the adorsys sandbox: accepts unsigned mandatory headers, any algorithm, and does not check the signing certificate',
    catches: { ruleIds: ['signature:*', 'certificate:*'], categories: ['signature', 'certificate'] },
    mutation: {},
    sandbox: { signaturePolicy: { acceptAnySignature: true } },
  }),
  defect({
    id: 'no-revocation-check',
    description: 'The bank does not consult its revocation and block lists: revoked and blocked QSealCs are accepted.',
    modelledOn: 'the adorsys sandbox (checks validity and revocation only on the QWAC), rejection cases S32/S33',
    catches: { ruleIds: ['certificate:revoked', 'certificate:blocked'], categories: ['certificate'] },
    mutation: {},
    sandbox: { signaturePolicy: { revokedSerials: [], blockedSerials: [] } },
  }),
  defect({
    id: 'drops-connections',
    description: 'The bank resets the connection half-way through the card-account details response.',
    modelledOn: 'XA ResponseHandlers (adapters had to survive cut connections); issue "bank faults"',
    catches: { ruleIds: ['transport:every-request-answered'], categories: ['transport'] },
    mutation: {},
    sandbox: { faults: ['connection-reset'] },
  }),
];
