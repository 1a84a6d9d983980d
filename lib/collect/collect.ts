import { randomUUID } from 'node:crypto';
import type { BankConfig } from '../config/types.js';
import type { HttpClient } from '../http/types.js';
import type { Exchange, HttpRequestRecord } from '../model.js';
import type { OperationRole, Profile } from '../profile.js';
import type { Catalogue, ErrorProbe } from '../../rules/catalogue/generate.js';
import { okProbe } from '../../rules/catalogue/generate.js';
import type { OperationInfo } from '../../rules/catalogue/operations.js';
import { LINKS_PROBE } from '../../rules/catalogue/semantic.js';
import { isRecord, selectAll } from '../../rules/select.js';
import { buildFollowRequest, buildRequest } from './request-builder.js';
import type { TestPki } from '../pki/generate.js';
import { signWith, type SigningMaterial } from '../signing/fault-signer.js';
import { defaultSignedHeaders } from '../signing/signing-string.js';
import { SIGNATURE_CASES, signatureProbe } from '../../rules/catalogue/signature-cases.js';

/** Everything a run observed of one bank. */
export interface ExchangeLog {
  exchanges: Exchange[];
  /** Why a probe was not sent, by probe id. */
  notSent: Record<string, string>;
  /** The consent the run used (a secret: redacted from every output). */
  consentId?: string;
  /** Set when the run could not be completed (exit 3): the bank is unreachable, or no consent. */
  fatal?: string;
}

export interface CollectOptions {
  catalogue: Catalogue;
  bank: BankConfig;
  client: HttpClient;
  /** Upper bound on pages followed per transaction list. */
  maxPages?: number;
  /** Upper bound on distinct link hrefs followed. */
  maxLinks?: number;
  /** Polls of the consent status while it is not yet valid. */
  consentPolls?: number;
  consentPollMs?: number;
  today?: () => Date;
  /** What the run signs with; absent when requests are not signed. */
  signing?: {
    material: SigningMaterial;
    /** The run's generated PKI, when the run signs with it (certificate cases need it). */
    pki?: TestPki;
    /** Send the rejection suite: only where the bank mandates signing. */
    rejectionSuite: boolean;
  };
}

type Record_ = (probe: string, op: { operationId: string; endpoint: string }, req: HttpRequestRecord, ctx?: Exchange['context'], sign?: boolean) => Promise<Exchange>;

const ENDED_CONSENT = new Set(['rejected', 'expired', 'revokedByPsu', 'terminatedByTpp']);
// Links a browser follows (SCA pages), not API resources.
const BROWSER_LINKS = new Set(['scaRedirect', 'scaOAuth']);

/**
 * Performs a run's requests against one bank and records them: the consent, the card-account
 * list, every account's details, balances and transactions (every bookingStatus, every page),
 * a date-filtered list, the spec-derived error probes, every same-origin link, and finally
 * the consent's deletion. Never throws for a bank's misbehaviour: it is recorded.
 */
export async function collectExchanges(opts: CollectOptions): Promise<ExchangeLog> {
  const { catalogue, bank, client } = opts;
  const profile = catalogue.profile;
  const log: ExchangeLog = { exchanges: [], notSent: {} };
  const op = (role: OperationRole): OperationInfo | undefined => catalogue.operations.find((o) => o.role === role);
  let reachedBank = false;

  const record: Record_ = async (probe, operation, request, context, sign = true) => {
    const sent = await client.send(request, { sign });
    const ex: Exchange = { probe, operationId: operation.operationId, endpoint: operation.endpoint, request: sent.request, context };
    if (sent.response) ex.response = sent.response;
    if (sent.failure) ex.failure = sent.failure;
    log.exchanges.push(ex);
    if (!reachedBank && ex.failure && !ex.response && (ex.failure.kind === 'connection' || ex.failure.kind === 'tls' || ex.failure.kind === 'timeout')) {
      log.fatal = `the bank is unreachable: ${request.method} ${request.url}: ${ex.failure.kind}: ${ex.failure.message}`;
    }
    if (ex.response) reachedBank = true;
    return ex;
  };
  const json = (ex: Exchange): unknown => {
    if (!ex.response || ex.response.status >= 300) return undefined;
    try { return JSON.parse(ex.response.body); } catch { return undefined; }
  };

  // 1. The consent: a pre-authorised one, or one created (and approved by the sandbox).
  let consentId = bank.consent.id;
  const create = op('createConsent');
  const createdHere = !consentId;
  if (consentId) {
    if (create) log.notSent[okProbe(create.operationId)] = 'a pre-authorised consent was used (consent.id in the bank file), so none was created';
  } else if (!create) {
    log.fatal = 'the bank file asks to create a consent, but the spec has no createConsent operation';
    return log;
  } else {
    const today = (opts.today ?? (() => new Date()))();
    const validUntil = new Date(today.getTime() + profile.consent.validDays * 86_400_000).toISOString().slice(0, 10);
    const { validDays: _v, ...body } = profile.consent;
    const ex = await record(okProbe(create.operationId), create, buildRequest(create, { bank, profile, body: { ...body, validUntil } }));
    if (log.fatal) return log;
    const created = json(ex);
    consentId = isRecord(created) && typeof created.consentId === 'string' ? created.consentId : undefined;
    if (!consentId) {
      log.fatal = `consent could not be obtained: POST ${create.path} answered ${ex.response?.status ?? ex.failure?.kind}${ex.response ? ` ${ex.response.body.slice(0, 200)}` : ''}`;
      return log;
    }
  }
  log.consentId = consentId;
  const inputs = { bank, profile, consentId };

  const statusOp = op('getConsentStatus');
  if (statusOp) {
    const polls = opts.consentPolls ?? 10;
    for (let i = 0; i < polls; i++) {
      const ex = await record(okProbe(statusOp.operationId), statusOp, buildRequest(statusOp, { ...inputs, pathParams: { consentId } }));
      if (log.fatal) return log;
      const body = json(ex);
      const status = isRecord(body) ? body.consentStatus : undefined;
      if (status === 'valid') break;
      if (typeof status === 'string' && ENDED_CONSENT.has(status)) { log.fatal = `consent could not be obtained: its status is '${status}'`; return log; }
      if (i === polls - 1) { log.fatal = `consent could not be obtained: still '${String(status ?? ex.response?.status ?? ex.failure?.kind)}' after ${polls} status checks`; return log; }
      await sleep(opts.consentPollMs ?? 250);
    }
  }
  const infoOp = op('getConsentInformation');
  if (infoOp) await record(okProbe(infoOp.operationId), infoOp, buildRequest(infoOp, { ...inputs, pathParams: { consentId } }));

  // 2. The card-account list, and the ids it names.
  const listOp = op('listCardAccounts')!;
  const list = await record(okProbe(listOp.operationId), listOp, buildRequest(listOp, inputs));
  if (log.fatal) return log;
  const ids = selectAll(json(list), profile.accountIds).map((i) => i.value).filter((v): v is string => typeof v === 'string' && v !== '');
  if (ids.length === 0) {
    log.notSent['per-account'] = 'the card-account list named no account, so no account was read';
  }

  // 3. Every account: details, balances, transactions for every bookingStatus the spec knows, every page.
  const details = op('readCardAccount');
  const balances = op('readBalances');
  const tx = op('readTransactions');
  const pathParamOf = (o: OperationInfo): string | undefined => o.parameters.find((p) => p.in === 'path')?.name;
  const withAccount = (o: OperationInfo, id: string) => ({ ...inputs, pathParams: { [pathParamOf(o) ?? 'account-id']: id } });
  const maxPages = opts.maxPages ?? 100;
  const followChain = async (first: HttpRequestRecord, label: string, context: Record<string, string>): Promise<Exchange[]> => {
    const pages: Exchange[] = [];
    const visited = new Set<string>();
    let request: HttpRequestRecord | undefined = first;
    while (request) {
      visited.add(request.url);
      const ex = await record(okProbe(tx!.operationId), tx!, request, { ...context, chain: label, page: pages.length + 1 });
      pages.push(ex);
      const next = selectAll(json(ex), profile.transactions.next)[0]?.value;
      request = undefined;
      if (typeof next !== 'string') { ex.context!.chainEnd = ex.response && ex.response.status < 300 ? 'complete' : 'failed'; break; }
      const url = resolveHref(next, ex.request.url);
      if (!url) { ex.context!.chainEnd = 'failed'; break; }
      if (visited.has(url)) { ex.context!.chainEnd = 'cycle'; break; }
      if (pages.length >= maxPages) { ex.context!.chainEnd = 'limit'; break; }
      request = buildFollowRequest(url, inputs);
    }
    return pages;
  };
  const bookingParam = tx?.parameters.find((p) => p.in === 'query' && p.name === 'bookingStatus');
  const bookingStatuses = bookingParam?.enum ?? ['booked'];
  const bookedPages: { n: number; pages: Exchange[] }[] = [];
  await Promise.all(ids.map(async (id, n) => {
    const label = `account ${n + 1}`;
    const ctx = { accountId: id };
    const work: Promise<unknown>[] = [];
    if (details) work.push(record(okProbe(details.operationId), details, buildRequest(details, withAccount(details, id)), ctx));
    if (balances) work.push(record(okProbe(balances.operationId), balances, buildRequest(balances, withAccount(balances, id)), ctx));
    if (tx) {
      for (const status of bookingStatuses) {
        const query = { ...requiredQuery(tx), ...(bookingParam ? { bookingStatus: status } : {}) };
        work.push(followChain(buildRequest(tx, { ...withAccount(tx, id), query }), `${label} (${status})`, { ...ctx, bookingStatus: status })
          .then((pages) => { if (status === 'booked') bookedPages.push({ n, pages }); }));
      }
    }
    await Promise.all(work);
  }));

  // 4. A date-filtered list, with a window inside the booked dates actually seen.
  if (tx) {
    const window = dateWindow(bookedPages.sort((a, b) => a.n - b.n), json, profile);
    if (window) {
      const query = { ...requiredQuery(tx), ...(bookingParam ? { bookingStatus: 'booked' } : {}), dateFrom: window.from, dateTo: window.to };
      await followChain(buildRequest(tx, { ...withAccount(tx, window.accountId), query }), `account ${window.n + 1} (booked, ${window.from}..${window.to})`,
        { accountId: window.accountId, bookingStatus: 'booked', dateFrom: window.from, dateTo: window.to });
    } else {
      log.notSent['date-window'] = 'no account had two or more booked transactions with a booking date to choose a date window from';
    }
  }

  // 5. The spec-derived error probes: one deliberate fault each.
  await Promise.all(catalogue.errorProbes.map((probe) => sendErrorProbe(probe, catalogue, inputs, ids[0], record, log, opts.signing?.material)));

  // 5b. The signature and certificate rejection suite, positive controls first.
  await sendSignatureProbes(listOp, inputs, record, log, opts.signing);

  // 6. Every same-origin link not already fetched.
  await followLinks(log, inputs, record, opts.maxLinks ?? 200);

  // 7. Clean up: delete the consent created for the run.
  const del = op('deleteConsent');
  if (del) {
    if (createdHere) await record(okProbe(del.operationId), del, buildRequest(del, { ...inputs, pathParams: { consentId } }));
    else log.notSent[okProbe(del.operationId)] = 'the pre-authorised consent from the bank file is kept, so it was not deleted';
  }
  return log;
}

async function sendErrorProbe(
  probe: ErrorProbe, catalogue: Catalogue, inputs: { bank: BankConfig; profile: Profile; consentId: string }, accountId: string | undefined,
  record: Record_, log: ExchangeLog, signing: SigningMaterial | undefined,
): Promise<void> {
  const op = catalogue.operations.find((o) => o.operationId === probe.operationId)!;
  const pathParams: Record<string, string> = {};
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    if (!accountId) { log.notSent[probe.probe] = 'the card-account list named no account to build this request from'; return; }
    pathParams[p.name] = accountId;
  }
  const query: Record<string, string | undefined> = requiredQuery(op);
  const fault = probe.fault;
  if (fault.type === 'unknown-path-param') pathParams[fault.name] = `card-conformance-unknown-${randomUUID()}`;
  if (fault.type === 'omit-query') query[fault.name] = undefined;
  if (fault.type === 'invalid-query') query[fault.name] = fault.value;
  let request = buildRequest(op, { ...inputs, pathParams, query });
  if (fault.type === 'unknown-consent') request.headers['consent-id'] = randomUUID();
  if (fault.type === 'omit-header') {
    const name = fault.name.toLowerCase();
    delete request.headers[name];
    // The normal signer would add (and sign) a missing X-Request-ID; sign what is there instead.
    if (signing) {
      request = signWith(request, signing, { sign: defaultSignedHeaders(request.headers, signing).filter((h) => h !== name) });
      await record(probe.probe, op, request, { fault: fault.type }, false);
      return;
    }
  }
  await record(probe.probe, op, request, { fault: fault.type });
}

async function sendSignatureProbes(listOp: OperationInfo, inputs: { bank: BankConfig; profile: Profile; consentId: string }, record: Record_, log: ExchangeLog, signing: CollectOptions['signing']): Promise<void> {
  const skip = (why: string): void => { for (const c of SIGNATURE_CASES) log.notSent[signatureProbe(c)] = why; };
  if (!signing) return skip('requests are not signed: the profile does not mandate signing and the bank file has no signing section');
  if (!signing.rejectionSuite) return skip('the bank does not mandate signing, so unsigned or badly signed requests may legitimately be accepted');
  const send = (c: (typeof SIGNATURE_CASES)[number]): Promise<unknown> => {
    if (c.certificate && !signing.pki) {
      log.notSent[signatureProbe(c)] = 'needs a certificate with exactly this fault from a CA the bank trusts; this run signs with the bank file\'s certificate';
      return Promise.resolve();
    }
    const request = c.build(buildRequest(listOp, inputs), signing.material, signing.pki);
    return record(signatureProbe(c), listOp, request, { case: c.ref }, false);
  };
  for (const c of SIGNATURE_CASES.filter((x) => x.positive)) await send(c);
  await Promise.all(SIGNATURE_CASES.filter((x) => !x.positive).map(send));
}

async function followLinks(log: ExchangeLog, inputs: { bank: BankConfig; profile: Profile; consentId: string }, record: Record_, max: number): Promise<void> {
  const fetched = new Set(log.exchanges.map((e) => e.request.url));
  const origin = new URL(inputs.bank.baseUrl).origin;
  const targets = new Map<string, { link: string; from: string }>();
  for (const ex of log.exchanges) {
    if (!ex.probe.startsWith('ok:') || !ex.response || ex.response.status >= 300) continue;
    let body: unknown;
    try { body = JSON.parse(ex.response.body); } catch { continue; }
    for (const { name, href } of linksIn(body)) {
      if (BROWSER_LINKS.has(name)) continue;
      const url = resolveHref(href, ex.request.url);
      if (!url || fetched.has(url) || targets.has(url) || new URL(url).origin !== origin) continue;
      targets.set(url, { link: name, from: ex.endpoint });
    }
  }
  const list = [...targets].slice(0, max);
  if (targets.size > max) log.notSent['links-beyond-limit'] = `${targets.size - max} further links were not followed`;
  await Promise.all(list.map(([url, ctx]) => record(LINKS_PROBE, { operationId: 'followLinks', endpoint: 'GET {_links href}' }, buildFollowRequest(url, inputs), ctx)));
}

/** Values for an operation's required query parameters: `booked` where the enum has it (every bank must support it), else the first value. */
function requiredQuery(op: OperationInfo): Record<string, string> {
  return Object.fromEntries(op.parameters.filter((p) => p.in === 'query' && p.required)
    .map((p) => [p.name, p.enum?.includes('booked') ? 'booked' : p.enum?.[0] ?? '']));
}

/** Every { name, href } under any `_links` object of a body. */
export function linksIn(body: unknown): { name: string; href: string }[] {
  const out: { name: string; href: string }[] = [];
  const visit = (v: unknown, depth: number): void => {
    if (depth > 20) return;
    if (Array.isArray(v)) { v.forEach((x) => visit(x, depth + 1)); return; }
    if (!isRecord(v)) return;
    for (const [k, child] of Object.entries(v)) {
      if (k === '_links' && isRecord(child)) {
        for (const [name, link] of Object.entries(child)) if (isRecord(link) && typeof link.href === 'string') out.push({ name, href: link.href });
      } else visit(child, depth + 1);
    }
  };
  visit(body, 0);
  return out;
}

/** An href as an absolute URL (BG allows relative hrefs), or undefined when it is not one. */
export function resolveHref(href: string, base: string): string | undefined {
  if (/\s/.test(href)) return undefined;
  try { return new URL(href, base).toString(); } catch { return undefined; }
}

function dateWindow(chains: { n: number; pages: Exchange[] }[], json: (ex: Exchange) => unknown, profile: Profile): { accountId: string; n: number; from: string; to: string } | undefined {
  for (const { n, pages } of chains) {
    const dates = pages.flatMap((p) => selectAll(json(p), `${profile.transactions.booked}/*/${profile.transactions.bookingDate}`))
      .map((d) => d.value).filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}/.test(d)).map((d) => d.slice(0, 10)).sort();
    const distinct = [...new Set(dates)];
    if (distinct.length < 2) continue;
    const from = distinct[Math.floor(distinct.length / 4)]!;
    const to = distinct[Math.max(Math.floor((distinct.length * 3) / 4), distinct.indexOf(from))]!;
    return { accountId: String(pages[0]!.context?.accountId), n, from, to };
  }
  return undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
