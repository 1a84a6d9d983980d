import { randomUUID } from 'node:crypto';
import type { BankConfig } from '../config/types.js';
import type { HttpClient } from '../transport/http/types.js';
import type { Exchange, HttpRequestRecord, NotFollowed } from '../core/model.js';
import type { OperationRole, Profile } from '../config/profile.js';
import type { Catalogue, ErrorProbe } from '../rules/catalogue/generate.js';
import { okProbe } from '../rules/catalogue/generate.js';
import type { OperationInfo } from '../rules/operations.js';
import { LINKS_PROBE } from '../rules/kinds/links-resolve.js';
import { ALL_PROBES } from '../rules/judge.js';
import { isRecord, selectAll } from '../rules/select.js';
import { buildFollowRequest, buildRequest, requiredQuery } from './request-builder.js';
import { linkCandidates, operationFor, withRequiredQuery, type LinkCandidate } from './link-resolver.js';
import { versionSegmentHint } from './version-hint.js';
import { createOriginPolicy, guardOrigins, type OriginPolicy } from '../transport/http/origin-policy.js';
import { parseJsonBounded } from '../core/json-bounded.js';
import type { TestPki } from '../transport/pki/generate.js';
import { signWith, type SigningMaterial } from '../transport/signing/fault-signer.js';
import { defaultSignedHeaders } from '../transport/signing/signing-string.js';
import { SIGNATURE_CASES, signatureProbe } from '../rules/kinds/support/signature-cases.js';
import { checkDeletedConsent, checkOutsideAccess, lifecycleProbes, negativeSamplingNote, sendNegativeProbe, type LifecycleContext } from './negative.js';

/** Everything a run observed of one bank. */
export interface ExchangeLog {
  exchanges: Exchange[];
  /** Why a probe was not sent, by probe id. */
  notSent: Record<string, string>;
  /** The consent the run used (a secret: redacted from every output). */
  consentId?: string;
  /** Further consents the run created and deleted (the consent-lifecycle checks): secrets as consentId. */
  otherConsentIds?: string[];
  /** Set when the run could not be completed (exit 3): the bank is unreachable, or no consent. */
  fatal?: string;
  /**
   * Where the run read less than the bank offered (limits.maxAccounts, limits.maxPages, the link
   * budget), one line each: a sample, not a failure; the summary shows them.
   */
  sampling?: string[];
  /** What the run noticed about its set-up (e.g. a baseUrl ending in /v1), one line each, for the run to print. */
  notices?: string[];
}

/** Tries of a link that did not answer 2xx when another way of resolving it was tried next. */
export const LINK_TRY_PROBE = 'follow:link-try';

export interface CollectOptions {
  catalogue: Catalogue;
  bank: BankConfig;
  client: HttpClient;
  /** Upper bound on pages followed per transaction list (default: the bank file's limits.maxPages). */
  maxPages?: number;
  /** Upper bound on accounts read from the list (default: the bank file's limits.maxAccounts). */
  maxAccounts?: number;
  /** Upper bound on distinct link hrefs followed. */
  maxLinks?: number;
  /** Polls of the consent status while it is not yet valid (the first 4xx ends them). */
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

type Record_ = (
  probe: string,
  op: { operationId: string; endpoint: string },
  req: HttpRequestRecord,
  ctx?: Exchange['context'],
  sign?: boolean,
) => Promise<Exchange>;
type Inputs = { bank: BankConfig; profile: Profile; consentId: string };
/** What the collector has learnt about the bank's links while crawling. */
interface LinkState {
  policy: OriginPolicy;
  preferBasePath: boolean;
  linkIds: number;
}

const ENDED_CONSENT = new Set(['rejected', 'expired', 'revokedByPsu', 'terminatedByTpp']);
// Links a browser follows (SCA pages), not API resources.
const BROWSER_LINKS = new Set(['scaRedirect', 'scaOAuth']);

/**
 * Performs a run's requests against one bank and records them: the consent, the card-account
 * list, the accounts' details, balances and transactions (every bookingStatus, every page, up to
 * limits.maxAccounts and limits.maxPages), a date-filtered list, the spec-derived error probes,
 * the links, and finally the consent's deletion. Every request goes through one origin-guarded
 * client: nothing leaves the bank's origin and allowedOrigins. Never throws for a bank's
 * misbehaviour: it is recorded.
 */
export async function collectExchanges(opts: CollectOptions): Promise<ExchangeLog> {
  const { catalogue, bank } = opts;
  const profile = catalogue.profile;
  const sampling: string[] = [];
  const notices: string[] = [];
  const log: ExchangeLog = { exchanges: [], notSent: {}, sampling, notices };
  const op = (role: OperationRole): OperationInfo | undefined => catalogue.operations.find((o) => o.role === role);
  let reachedBank = false;
  const policy = createOriginPolicy(bank.baseUrl, bank.allowedOrigins ?? []);
  // The one way this collector sends anything: every probe, page, link and redirect passes the origin policy.
  const client = guardOrigins(opts.client, policy);
  const links: LinkState = { policy, preferBasePath: false, linkIds: 0 };
  const firstPath = op('listCardAccounts')?.path ?? catalogue.operations[0]?.path;
  const hint = firstPath ? versionSegmentHint(bank.baseUrl, firstPath) : undefined;
  if (hint) notices.push(hint);
  // The catalogue requires the list (its generator refuses a spec without one); a hand-made one may lack it.
  const listOp = op('listCardAccounts');
  if (!listOp) {
    log.fatal = 'the spec has no listCardAccounts operation (the card-account list every run starts from)';
    return log;
  }

  const record: Record_ = async (probe, operation, request, context, sign = true) => {
    const sent = await client.send(request, { sign });
    const ex: Exchange = { probe, operationId: operation.operationId, endpoint: operation.endpoint, request: sent.request, context };
    if (sent.refused) {
      // Callers check the policy first (so the link is reported where it was found); this is the backstop.
      ex.failure = { kind: 'protocol', message: `not sent: ${sent.refused} (origin policy)` };
      notices.push(`${request.method} ${request.url} was not sent: ${sent.refused} (origin policy)`);
      return ex; // not in the log: nothing was sent
    }
    if (sent.response) ex.response = sent.response;
    if (sent.failure) ex.failure = sent.failure;
    if (sent.redirects) ex.context = { ...context, redirects: sent.redirects.join('; ') };
    if (sent.redirectRefused) ex.notFollowed = [{ link: 'redirect (Location)', href: sent.redirectRefused.location, reason: sent.redirectRefused.reason }];
    log.exchanges.push(ex);
    if (!reachedBank && ex.failure && !ex.response && (ex.failure.kind === 'connection' || ex.failure.kind === 'tls' || ex.failure.kind === 'timeout')) {
      log.fatal = `the bank is unreachable: ${request.method} ${request.url}: ${ex.failure.kind}: ${ex.failure.message}`;
    }
    if (ex.response) reachedBank = true;
    return ex;
  };
  const json = (ex: Exchange): unknown => jsonOf(ex);

  // 1. The consent: a pre-authorised one, or one created (and approved by the sandbox).
  let consentId = bank.consent.id;
  const create = op('createConsent');
  const today = (opts.today ?? (() => new Date()))();
  const validUntil = new Date(today.getTime() + profile.consent.validDays * 86_400_000).toISOString().slice(0, 10);
  const createdHere = !consentId;
  if (consentId) {
    if (create) log.notSent[okProbe(create.operationId)] = 'a pre-authorised consent was used (consent.id in the bank file), so none was created';
  } else if (!create) {
    log.fatal = 'the bank file asks to create a consent, but the spec has no createConsent operation';
    return log;
  } else {
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
      // A 4xx will not change by asking again, and portals count every call (a few a day per consent).
      if (ex.response && ex.response.status >= 400 && ex.response.status < 500) {
        const codes = errorCodes(ex.response.body);
        log.fatal = `consent could not be obtained: ${statusOp.method.toUpperCase()} ${statusOp.path} answered ${ex.response.status}${codes.length > 0 ? ` ${codes.join(', ')}` : ''}; the status was not asked again`;
        return log;
      }
      const body = json(ex);
      const status = isRecord(body) ? body.consentStatus : undefined;
      if (status === 'valid') break;
      if (typeof status === 'string' && ENDED_CONSENT.has(status)) {
        log.fatal = `consent could not be obtained: its status is '${status}'`;
        return log;
      }
      if (i === polls - 1) {
        log.fatal = `consent could not be obtained: still '${typeof status === 'string' ? status : (ex.response?.status ?? ex.failure?.kind ?? 'no answer')}' after ${polls} status checks`;
        return log;
      }
      await sleep(opts.consentPollMs ?? 250);
    }
  }
  const infoOp = op('getConsentInformation');
  if (infoOp) await record(okProbe(infoOp.operationId), infoOp, buildRequest(infoOp, { ...inputs, pathParams: { consentId } }));

  // 2. The card-account list, and the ids it names.
  const list = await record(okProbe(listOp.operationId), listOp, buildRequest(listOp, inputs));
  if (log.fatal) return log;
  const allIds = selectAll(json(list), profile.accountIds)
    .map((i) => i.value)
    .filter((v): v is string => typeof v === 'string' && v !== '');
  if (allIds.length === 0) {
    log.notSent['per-account'] = 'the card-account list named no account, so no account was read';
  }
  // A bounded crawl: the first maxAccounts accounts, in the bank's order (deterministic).
  const maxAccounts = opts.maxAccounts ?? bank.limits.maxAccounts;
  const ids = allIds.slice(0, maxAccounts);
  if (allIds.length > ids.length) {
    sampling.push(`the card-account list named ${allIds.length} accounts; the first ${ids.length} were read (limits.maxAccounts)`);
  }

  // 3. Every account: details, balances, transactions for every bookingStatus the spec knows, every
  // page; an operation none of the selected rules judges (`--only`) is not asked: portals count calls.
  const wanted = new Set(catalogue.rules.flatMap((r) => r.probes));
  const wants = (probe: string): boolean => wanted.has(ALL_PROBES) || wanted.has(probe);
  const judged = (o: OperationInfo | undefined): OperationInfo | undefined => (o && (wants(okProbe(o.operationId)) || wants(LINKS_PROBE)) ? o : undefined);
  const details = judged(op('readCardAccount'));
  const balances = judged(op('readBalances'));
  const tx = judged(op('readTransactions'));
  const pathParamOf = (o: OperationInfo): string | undefined => o.parameters.find((p) => p.in === 'path')?.name;
  const withAccount = (o: OperationInfo, id: string) => ({ ...inputs, pathParams: { [pathParamOf(o) ?? 'account-id']: id } });
  const maxPages = opts.maxPages ?? bank.limits.maxPages;
  let chainsSampled = 0;
  const followChain = async (txOp: OperationInfo, first: HttpRequestRecord, label: string, context: Record<string, string>): Promise<Exchange[]> => {
    const pages: Exchange[] = [];
    const visited = new Set<string>([first.url]);
    const firstQuery = new URL(first.url).searchParams;
    const probe = okProbe(txOp.operationId);
    let ex = await record(probe, txOp, first, { ...context, chain: label, page: 1 });
    for (;;) {
      pages.push(ex);
      const found = selectAll(json(ex), profile.transactions.next)[0];
      const end = (how: string): void => {
        ex.context = { ...ex.context, chainEnd: how };
      };
      if (typeof found?.value !== 'string') {
        end(ex.response && ex.response.status < 300 ? 'complete' : 'failed');
        break;
      }
      const candidates = linkCandidates(found.value, ex.request.url, bank.baseUrl, links.preferBasePath);
      const [head] = candidates;
      if (!head) {
        end('failed');
        break;
      }
      const refused = links.policy.refusal(head.url);
      if (refused) {
        refuse(ex, { link: '_links.next', href: found.value, reason: refused, pointer: found.pointer });
        end('left the origin');
        break;
      }
      // A next link that lacks a required parameter keeps the chain's own value (a pending chain stays pending).
      const tries = candidates.map((c) => ({ ...c, ...withRequiredQuery(c.url, txOp, firstQuery) }));
      if (tries.some((t) => visited.has(t.url))) {
        end('cycle');
        break;
      }
      if (pages.length >= maxPages) {
        end('sampled');
        chainsSampled++;
        break;
      }
      tries.forEach((t) => visited.add(t.url));
      ex = await fetchLink(
        tries,
        { probe, tryProbe: LINK_TRY_PROBE, operation: txOp, inputs, record, links },
        { ...context, chain: label, page: pages.length + 1, link: 'next', href: found.value },
      );
    }
    return pages;
  };
  const bookingParam = tx?.parameters.find((p) => p.in === 'query' && p.name === 'bookingStatus');
  const bookingStatuses = bookingParam?.enum ?? ['booked'];
  const bookedPages: { n: number; pages: Exchange[] }[] = [];
  await Promise.all(
    ids.map(async (id, n) => {
      const label = `account ${n + 1}`;
      const ctx = { accountId: id };
      const work: Promise<unknown>[] = [];
      if (details) work.push(record(okProbe(details.operationId), details, buildRequest(details, withAccount(details, id)), ctx));
      if (balances) work.push(record(okProbe(balances.operationId), balances, buildRequest(balances, withAccount(balances, id)), ctx));
      if (tx) {
        for (const status of bookingStatuses) {
          const query = { ...requiredQuery(tx), ...(bookingParam ? { bookingStatus: status } : {}) };
          work.push(
            followChain(tx, buildRequest(tx, { ...withAccount(tx, id), query }), `${label} (${status})`, { ...ctx, bookingStatus: status }).then((pages) => {
              if (status === 'booked') bookedPages.push({ n, pages });
            }),
          );
        }
      }
      await Promise.all(work);
    }),
  );

  // 4. A date-filtered list, with a window inside the booked dates actually seen.
  if (tx) {
    const window = dateWindow(
      bookedPages.sort((a, b) => a.n - b.n),
      json,
      profile,
    );
    if (window) {
      const query = { ...requiredQuery(tx), ...(bookingParam ? { bookingStatus: 'booked' } : {}), dateFrom: window.from, dateTo: window.to };
      await followChain(
        tx,
        buildRequest(tx, { ...withAccount(tx, window.accountId), query }),
        `account ${window.n + 1} (booked, ${window.from}..${window.to})`,
        {
          accountId: window.accountId,
          bookingStatus: 'booked',
          dateFrom: window.from,
          dateTo: window.to,
        },
      );
    } else {
      log.notSent['date-window'] = 'no account had two or more booked transactions with a booking date to choose a date window from';
    }
  }

  if (chainsSampled > 0) {
    sampling.push(
      `${chainsSampled} transaction list${chainsSampled > 1 ? 's' : ''} had more than ${maxPages} pages; the first ${maxPages} pages of each were read (limits.maxPages)`,
    );
  }

  // 5. The spec-derived error probes: one deliberate fault each.
  await Promise.all(
    catalogue.errorProbes.filter((p) => wants(p.probe)).map((probe) => sendErrorProbe(probe, catalogue, inputs, ids[0], record, log, opts.signing?.material)),
  );

  // 5b. The signature and certificate rejection suite, positive controls first.
  if (SIGNATURE_CASES.some((c) => wants(signatureProbe(c)))) await sendSignatureProbes(listOp, inputs, record, log, opts.signing);

  // 5c. The spec-generated negative requests that fit limits.negativeRequests (one broken constraint each).
  const negatives = catalogue.negativeProbes.filter((p) => wants(p.probe));
  await Promise.all(negatives.map((p) => sendNegativeProbe(p, catalogue, inputs, ids[0], record, log.notSent)));
  const negativeNote = catalogue.rules.some((r) => r.category === 'negative') ? negativeSamplingNote(catalogue, negatives.length) : undefined;
  if (negativeNote) sampling.push(negativeNote);

  // 6. Every link not already fetched (those leaving the allowed origins are reported, not fetched).
  if (wants(LINKS_PROBE)) await followLinks(log, inputs, record, { maxLinks: opts.maxLinks ?? 200, maxItems: maxAccounts }, catalogue.operations, links);

  // 6b. The consent lifecycle, only for consents the run creates itself: never a pre-authorised one.
  const lifecycle: LifecycleContext = {
    catalogue,
    inputs,
    send: record,
    notSent: log.notSent,
    wants,
    ids,
    list: json(list),
    polls: opts.consentPolls ?? 10,
    pollMs: opts.consentPollMs ?? 250,
    validUntil,
    onConsent: (id) => {
      (log.otherConsentIds ??= []).push(id);
    },
  };
  if (createdHere) await checkOutsideAccess(lifecycle);
  else {
    const why =
      'a pre-authorised consent was used (consent.id in the bank file): the run neither deletes it nor creates others, ' +
      'so the consent lifecycle was not tested';
    for (const p of lifecycleProbes(catalogue)) log.notSent[p] = why;
  }

  // 7. Clean up: delete the consent created for the run; then it must be refused.
  const del = op('deleteConsent');
  if (del) {
    if (createdHere) {
      const deleted = await record(okProbe(del.operationId), del, buildRequest(del, { ...inputs, pathParams: { consentId } }));
      await checkDeletedConsent(lifecycle, deleted);
    } else log.notSent[okProbe(del.operationId)] = 'the pre-authorised consent from the bank file is kept, so it was not deleted';
  }
  return log;
}

async function sendErrorProbe(
  probe: ErrorProbe,
  catalogue: Catalogue,
  inputs: Inputs,
  accountId: string | undefined,
  record: Record_,
  log: ExchangeLog,
  signing: SigningMaterial | undefined,
): Promise<void> {
  const op = catalogue.operations.find((o) => o.operationId === probe.operationId);
  if (!op) {
    // The probe was generated from this catalogue's operations, so this is a mismatched catalogue.
    log.notSent[probe.probe] = `the spec has no operation '${probe.operationId}' to build this request from`;
    return;
  }
  const pathParams: Record<string, string> = {};
  for (const p of op.parameters.filter((x) => x.in === 'path')) {
    if (!accountId) {
      log.notSent[probe.probe] = 'the card-account list named no account to build this request from';
      return;
    }
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

async function sendSignatureProbes(
  listOp: OperationInfo,
  inputs: Inputs,
  record: Record_,
  log: ExchangeLog,
  signing: CollectOptions['signing'],
): Promise<void> {
  const skip = (why: string): void => {
    for (const c of SIGNATURE_CASES) log.notSent[signatureProbe(c)] = why;
  };
  if (!signing) return skip('requests are not signed: the profile does not mandate signing and the bank file has no signing section');
  if (!signing.rejectionSuite) return skip('the bank does not mandate signing, so unsigned or badly signed requests may legitimately be accepted');
  const send = (c: (typeof SIGNATURE_CASES)[number]): Promise<unknown> => {
    if (c.certificate && !signing.pki) {
      log.notSent[signatureProbe(c)] = "needs a certificate with exactly this fault from a CA the bank trusts; this run signs with the bank file's certificate";
      return Promise.resolve();
    }
    const request = c.build(buildRequest(listOp, inputs), signing.material, signing.pki);
    return record(signatureProbe(c), listOp, request, { case: c.ref }, false);
  };
  for (const c of SIGNATURE_CASES.filter((x) => x.positive)) await send(c);
  await Promise.all(SIGNATURE_CASES.filter((x) => !x.positive).map(send));
}

async function followLinks(
  log: ExchangeLog,
  inputs: Inputs,
  record: Record_,
  limits: { maxLinks: number; maxItems: number },
  operations: readonly OperationInfo[],
  state: LinkState,
): Promise<void> {
  const max = limits.maxLinks;
  // Links inside list items beyond the sample (e.g. of the 51st account) would read what the sample left out.
  const beyondSample = (pointer: string): boolean => pointer.split('/').some((t) => /^\d+$/.test(t) && Number(t) >= limits.maxItems);
  let sampledOut = 0;
  const fetched = new Set(log.exchanges.map((e) => e.request.url));
  const targets = new Map<string, { tries: (LinkCandidate & { added: string[] })[]; context: Record<string, string>; target?: string }>();
  let beyond = 0;
  // A snapshot: following links adds exchanges to the log while this loop reads it.
  for (const ex of log.exchanges.slice()) {
    if (!ex.probe.startsWith('ok:') || !ex.response || ex.response.status >= 300) continue;
    const body = jsonOf(ex);
    if (body === undefined) continue;
    for (const { name, href, pointer } of linksIn(body)) {
      if (BROWSER_LINKS.has(name)) continue;
      if (beyondSample(pointer)) {
        sampledOut++;
        continue;
      }
      // A page's next link is the chain follower's: followed, refused, or left out beyond limits.maxPages.
      if (name === 'next' && ex.context?.chain !== undefined) continue;
      const candidates = linkCandidates(href, ex.request.url, inputs.bank.baseUrl, state.preferBasePath);
      const [head] = candidates;
      if (!head) continue; // not a URI reference: the `links` rule reports it
      const refused = state.policy.refusal(head.url);
      if (refused) {
        refuse(ex, { link: `_links.${name}`, href, reason: refused, pointer });
        continue;
      }
      const target = operationFor(head.url, operations, inputs.bank.baseUrl);
      const tries = candidates.map((c) => ({ ...c, ...withRequiredQuery(c.url, target) }));
      const [firstTry] = tries; // one try per candidate, so there is one
      if (!firstTry) continue;
      const key = firstTry.url;
      if (tries.some((t) => fetched.has(t.url)) || targets.has(key)) continue;
      if (targets.size >= max) {
        beyond++;
        continue;
      }
      targets.set(key, { tries, context: { link: name, href, from: ex.endpoint }, target: target?.operationId });
    }
  }
  if (sampledOut > 0)
    (log.sampling ??= []).push(`${sampledOut} links in list items beyond the first ${limits.maxItems} were not followed (limits.maxAccounts)`);
  if (beyond > 0) {
    log.notSent['links-beyond-limit'] = `${beyond} further links were not followed`;
    (log.sampling ??= []).push(`${targets.size + beyond} distinct links were found; the first ${targets.size} were followed`);
  }
  const operation = { operationId: 'followLinks', endpoint: 'GET {_links href}' };
  await Promise.all(
    [...targets.values()].map(({ tries, context, target }) =>
      fetchLink(tries, { probe: LINKS_PROBE, tryProbe: LINKS_PROBE, operation, inputs, record, links: state }, { ...context, ...(target ? { target } : {}) }),
    ),
  );
}

/**
 * Fetches a link by its candidate URLs in turn until one answers 2xx; every try is recorded, with
 * the URL fetched, the convention and any query parameter added. A try that is superseded by the
 * next one is recorded under `tryProbe`; the last one under `probe`. A base-path try that works
 * where the origin did not makes base-path the first choice for the rest of the run.
 */
async function fetchLink(
  tries: (LinkCandidate & { added: string[] })[],
  how: { probe: string; tryProbe: string; operation: { operationId: string; endpoint: string }; inputs: Inputs; record: Record_; links: LinkState },
  context: Record<string, string | number>,
): Promise<Exchange> {
  const linkId = `L${++how.links.linkIds}`;
  let ex: Exchange | undefined;
  for (const [i, t] of tries.entries()) {
    const last = i === tries.length - 1;
    ex = await how.record(how.probe, how.operation, buildFollowRequest(t.url, how.inputs), {
      ...context,
      linkId,
      convention: t.convention,
      ...(t.added.length > 0 ? { addedQuery: t.added.join('&') } : {}),
    });
    const ok = ex.response !== undefined && !ex.failure && ex.response.status >= 200 && ex.response.status < 300;
    if (ok) {
      if (i > 0 && t.convention.startsWith('against baseUrl')) how.links.preferBasePath = true;
      break;
    }
    if (!last) ex.probe = how.tryProbe;
  }
  // Callers return early on an href with no candidate, so this is a caller's bug, not a bank's.
  if (!ex) throw new Error('fetchLink needs at least one candidate URL');
  return ex;
}

/** Notes on `ex` a link that was not followed (once per href and place). */
function refuse(ex: Exchange, n: NotFollowed): void {
  const list = (ex.notFollowed ??= []);
  if (list.length >= 50 || list.some((x) => x.href === n.href && x.pointer === n.pointer)) return;
  list.push(n);
}

/** The parsed body of a 2xx answer (nesting capped before parsing), or undefined. */
function jsonOf(ex: Exchange): unknown {
  if (!ex.response || ex.response.status >= 300) return undefined;
  const parsed = parseJsonBounded(ex.response.body);
  return parsed.ok ? parsed.value : undefined;
}

/** The bank's error codes in a Berlin Group error body (tppMessages[].code), for messages. */
export function errorCodes(body: string): string[] {
  const parsed = parseJsonBounded(body);
  if (!parsed.ok || !isRecord(parsed.value)) return [];
  const messages = parsed.value.tppMessages ?? parsed.value.tppMessage;
  const list = Array.isArray(messages) ? messages : [messages];
  return list
    .filter(isRecord)
    .map((m) => m.code)
    .filter((c): c is string => typeof c === 'string' && c !== '')
    .slice(0, 5)
    .map((c) => c.slice(0, 60));
}

/** Every { name, href, pointer } under any `_links` object of a body (pointer: of the href). */
export function linksIn(body: unknown): { name: string; href: string; pointer: string }[] {
  const out: { name: string; href: string; pointer: string }[] = [];
  const token = (k: string | number): string => String(k).replace(/~/g, '~0').replace(/\//g, '~1');
  const visit = (v: unknown, at: string, depth: number): void => {
    if (depth > 20) return;
    if (Array.isArray(v)) {
      v.forEach((x, i) => visit(x, `${at}/${i}`, depth + 1));
      return;
    }
    if (!isRecord(v)) return;
    for (const [k, child] of Object.entries(v)) {
      if (k === '_links' && isRecord(child)) {
        for (const [name, link] of Object.entries(child)) {
          if (isRecord(link) && typeof link.href === 'string') out.push({ name, href: link.href, pointer: `${at}/_links/${token(name)}/href` });
        }
      } else visit(child, `${at}/${token(k)}`, depth + 1);
    }
  };
  visit(body, '', 0);
  return out;
}

function dateWindow(
  chains: { n: number; pages: Exchange[] }[],
  json: (ex: Exchange) => unknown,
  profile: Profile,
): { accountId: string; n: number; from: string; to: string } | undefined {
  for (const { n, pages } of chains) {
    const dates = pages
      .flatMap((p) => selectAll(json(p), `${profile.transactions.booked}/*/${profile.transactions.bookingDate}`))
      .map((d) => d.value)
      .filter((d): d is string => typeof d === 'string' && /^\d{4}-\d{2}-\d{2}/.test(d))
      .map((d) => d.slice(0, 10))
      .sort();
    const distinct = [...new Set(dates)];
    if (distinct.length < 2) continue;
    const from = distinct[Math.floor(distinct.length / 4)];
    const to = from === undefined ? undefined : distinct[Math.max(Math.floor((distinct.length * 3) / 4), distinct.indexOf(from))];
    if (from === undefined || to === undefined) continue; // both inside, as there are two or more dates
    return { accountId: String(pages[0]?.context?.accountId), n, from, to };
  }
  return undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
