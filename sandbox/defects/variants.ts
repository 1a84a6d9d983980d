// Negative controls: shapes real banks send that are legal under the standard. Served through
// the same mechanism as defects (`--variants`); none of them may produce a failed result.
import type { ResponseMutation } from '../types.js';
import { digitsOf, isRecord, isSuccess, onSuccessBody, visitAmounts, visitLinks, visitObjects } from './helpers.js';
import type { Variant } from './types.js';

const variant = (v: Omit<Variant, 'mutation'> & { mutation: Omit<ResponseMutation, 'id'> }): Variant => ({ ...v, mutation: { id: v.id, ...v.mutation } });

export const VARIANTS: Variant[] = [
  variant({
    id: 'x-request-id-casing',
    description:
      'X-Request-ID echoed under the name X-Request-Id with the UUID in upper case. (The sandbox server writes known header names in BG spelling, so on the wire only the value casing changes; the client reads names case-insensitively anyway.)',
    modelledOn: 'H7 Bank-Verlag and others',
    mutation: {
      raw: (ctx) => {
        const id = ctx.raw.headers['x-request-id'];
        if (id === undefined) return;
        delete ctx.raw.headers['x-request-id'];
        ctx.raw.headers['X-Request-Id'] = id.toUpperCase();
      },
    },
  }),
  variant({
    id: 'content-type-charset',
    description: 'JSON bodies as "application/json; charset=utf-8" (errors as "application/json;charset=UTF-8").',
    modelledOn: 'H7 Bank-Verlag and others',
    mutation: {
      apply: (ctx) => {
        if (ctx.response.headers['content-type'] !== 'application/json') return;
        ctx.response.headers['content-type'] = isSuccess(ctx.response) ? 'application/json; charset=utf-8' : 'application/json;charset=UTF-8';
      },
    },
  }),
  variant({
    id: 'opaque-ids',
    description: 'Card-account ids like "enc!!aI55…Gw==" (contain !, +, / and =), used verbatim in paths and links.',
    modelledOn: 'I12 SpareBank 1 / SR-Bank / Eika',
    mutation: {
      mutateData: (d) => {
        for (const a of d.accounts) a.resourceId = `enc!!${Buffer.from(a.resourceId, 'base64url').toString('base64')}==`;
      },
    },
  }),
  variant({
    id: 'vendor-extensions',
    description: 'Non-BG fields next to the standard ones: productCode and cardScheme on accounts, transactionType on transactions, a vendor link property.',
    modelledOn: 'W8 ING DE/AT (transactionType, executionDateTime); hrefType allows extra properties',
    mutation: {
      apply: onSuccessBody((b) => {
        visitObjects(b, (o, key) => {
          if (typeof o.maskedPan === 'string' && typeof o.currency === 'string') Object.assign(o, { productCode: 'CC-GOLD', cardScheme: 'VISA' });
          if (o.transactionAmount !== undefined) Object.assign(o, { transactionType: 'Kartenzahlung', executionDateTime: '2026-01-01T10:00:00Z' });
          if (key === 'booked') o.bankInternalReference = 'REF-1';
        });
        visitLinks(b, (links) => {
          for (const l of Object.values(links)) if (isRecord(l)) l.verbs = ['GET'];
        });
      }),
    },
  }),
  variant({
    id: 'amounts-without-fraction',
    description: 'Whole amounts without fraction digits: "15000" EUR credit limits, "100" JPY (fewer digits than ISO 4217 is allowed by the core profile).',
    modelledOn: 'A5 Unicredit, Bank Norwegian, Nordigen (BG regex allows it; BITS would not)',
    mutation: {
      apply: onSuccessBody((b) =>
        visitAmounts(b, (a) => {
          a.amount = a.amount.replace(/\.0+$/, '');
        }),
      ),
    },
  }),
  variant({
    id: 'kwd-three-decimals',
    description: 'A KWD balance of "1.250" (three fraction digits, as ISO 4217 gives the dinar).',
    modelledOn: 'A10 (3-decimal currencies), ISO 4217 KWD',
    mutation: {
      apply: onSuccessBody((b) =>
        visitObjects(b, (o) => {
          const amount = o.balanceAmount;
          if (isRecord(amount) && amount.currency === 'KWD') amount.amount = '1.250';
        }),
      ),
    },
  }),
  variant({
    id: 'masked-pan-at-limit',
    description: 'maskedPan exactly 35 characters (the spec limit), still masked: BIN6 + 25 × "x" + last four.',
    modelledOn: 'M4 (BG maskedPAN ≤ 35, real data sits on the limits)',
    mutation: {
      mutateData: (d) => {
        for (const a of d.accounts) {
          a.maskedPan = `${a.maskedPan.slice(0, 6)}${'x'.repeat(25)}${a.maskedPan.slice(-4)}`;
          for (const tx of [...a.booked, ...a.pending]) if (tx.maskedPAN !== undefined) tx.maskedPAN = a.maskedPan;
        }
      },
    },
  }),
  variant({
    id: 'masked-pan-display-format',
    description: 'maskedPan as "Xxxx Xxxx Xxxx 1234" (19 characters with spaces), legal under the core profile\'s 35.',
    modelledOn: 'M2 aggregator/booked format (ING Romania, insurely sample)',
    mutation: {
      mutateData: (d) => {
        for (const a of d.accounts) {
          a.maskedPan = `Xxxx Xxxx Xxxx ${a.maskedPan.slice(-4)}`;
          for (const tx of [...a.booked, ...a.pending]) if (tx.maskedPAN !== undefined) tx.maskedPAN = a.maskedPan;
        }
      },
    },
  }),
  variant({
    id: 'owner-name-140',
    description: 'ownerName exactly 140 characters (the spec limit).',
    modelledOn: 'I11 Fiducia (names cut at a length limit); BG ownerName maxLength 140',
    mutation: {
      mutateData: (d) => {
        for (const a of d.accounts) a.ownerName = `${a.ownerName ?? 'Owner'} `.padEnd(140, 'x');
      },
    },
  }),
  variant({
    id: 'optional-fields-absent',
    description:
      'Every optional field left out: accounts with only resourceId, maskedPan and currency; balances without dates; transactions with only id, dates and amount (no valueDate).',
    modelledOn: 'D9 BNP Paribas Fortis (no valueDate), D10 Commerzbank/Comdirect (no lastChangeDateTime), L7/W12 (links and fields depend on the bank)',
    mutation: {
      apply: onSuccessBody((b) => {
        visitObjects(b, (o, key) => {
          if (key === 'cardAccounts' || key === 'cardAccount') {
            for (const k of Object.keys(o)) if (!['resourceId', 'maskedPan', 'currency', 'balances'].includes(k)) delete o[k];
          }
          if (key === 'balances') for (const k of Object.keys(o)) if (!['balanceAmount', 'balanceType'].includes(k)) delete o[k];
          if (key === 'booked' || key === 'pending') {
            for (const k of Object.keys(o)) if (!['cardTransactionId', 'transactionDate', 'bookingDate', 'transactionAmount'].includes(k)) delete o[k];
          }
        });
      }),
    },
  }),
  variant({
    id: 'multi-currency-balances',
    description: 'Each account adds a balance in another currency (USD, or JPY for the yen account) next to its own.',
    modelledOn: 'A9 Deutsche Bank sandbox (EUR account, USD balances)',
    mutation: {
      apply: onSuccessBody((b) =>
        visitObjects(b, (o) => {
          if (!Array.isArray(o.balances) || o.balances.length === 0) return;
          const first = o.balances[0];
          if (!isRecord(first) || !isRecord(first.balanceAmount)) return;
          const other = first.balanceAmount.currency === 'USD' ? 'JPY' : 'USD';
          o.balances.push({ ...first, balanceAmount: { currency: other, amount: digitsOf(other) === 0 ? '-125000' : '-1250.40' } });
        }),
      ),
    },
  }),
  variant({
    id: 'absolute-links',
    description:
      'Links name the bank\'s host ("//127.0.0.1:PORT/v1/…", a network-path reference, so it holds under --tls too) instead of server-relative paths.',
    modelledOn: 'L3 (href forms differ between banks; both are URI references)',
    mutation: {
      apply: (ctx) => {
        const host = ctx.request.headers.host;
        if (!host || !isSuccess(ctx.response)) return;
        visitLinks(ctx.response.body, (links) => {
          for (const l of Object.values(links)) if (isRecord(l) && typeof l.href === 'string' && l.href.startsWith('/')) l.href = `//${host}${l.href}`;
        });
      },
    },
  }),
  variant({
    id: 'accept-406-without-body',
    description: 'An Accept the bank cannot serve is answered 406 with no body at all (it sends nothing the client said it cannot read).',
    modelledOn: 'H1 Consorsbank, Bank-Verlag (406 for Accept values other than application/json); RFC 9110 §15.5.7',
    mutation: {
      raw: (ctx) => {
        if (ctx.raw.status !== 406) return;
        const headers = { ...ctx.raw.headers };
        delete headers['content-type'];
        return { status: 406, headers, bodyText: '' };
      },
    },
  }),
  variant({
    id: 'deleted-consent-403-unknown',
    description:
      'Card-account requests with a consent the TPP deleted are answered 403 CONSENT_UNKNOWN ' +
      '(the bank forgets the consent for access; its status still reads terminatedByTpp).',
    modelledOn: 'BG error-code table (CONSENT_UNKNOWN is a 403 code); banks that purge deleted consents from the access layer',
    mutation: {
      apply: (ctx) => {
        const body = ctx.response.body;
        const first = isRecord(body) && Array.isArray(body.tppMessages) ? body.tppMessages[0] : undefined;
        if (ctx.response.status !== 401 || !isRecord(first) || first.code !== 'CONSENT_INVALID' || !String(first.text).includes('terminatedByTpp')) return;
        ctx.response.status = 403;
        const message = { category: 'ERROR', code: 'CONSENT_UNKNOWN', path: 'Consent-ID', text: 'The Consent-ID names no consent of this TPP' };
        ctx.response.body = { tppMessages: [message] };
      },
    },
  }),
  variant({
    id: 'empty-card-account-list',
    description: 'The PSU has no card accounts: an empty cardAccounts list.',
    modelledOn: 'M5 Handelsbanken (debit cards are not card accounts; parallel cards see only their own)',
    mutation: {
      apply: onSuccessBody(
        (b) => {
          b.cardAccounts = [];
        },
        ['getCardAccountList'],
      ),
    },
  }),
];
