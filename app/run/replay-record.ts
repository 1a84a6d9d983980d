// What `card-conformance replay` needs to re-send a failure's request, written to the output
// folder as replay.json: which bank file and profile the run used (paths and names, never a
// secret), and for every failed or broken rule the requests it cites, redacted like every output
// and without their signature headers (a replay signs afresh). The consent-creating request is
// kept too, for banks where the run created its consent.

import type { Exchange, HttpRequestRecord, RuleResult } from '../../core/model.js';

export const REPLAY_FILE = 'replay.json';

/** Headers a signer writes: a replay drops the recorded ones and signs again. */
export const SIGNATURE_HEADERS = ['signature', 'digest', 'tpp-signature-certificate'];

export interface ReplayRequest {
  request: HttpRequestRecord;
  /** The request was signed when the run sent it. */
  signed: boolean;
  /** What the bank answered then (HTTP status), or the transport failure. */
  answered: number | string;
}

export interface ReplayBank {
  id: string;
  /** Absolute path of the bank file; replay reads it again (and the environment it names). */
  bankFile: string;
  profile: string;
  spec?: string;
  consentRequest?: ReplayRequest;
  /** The consent-status request the run polled until the consent was valid. */
  consentStatusRequest?: ReplayRequest;
  /** Rule id → the requests it cites (at most three). */
  results: Record<string, ReplayRequest[]>;
}

export interface ReplayFile {
  tool: string;
  banks: ReplayBank[];
}

function replayable(ex: Exchange): ReplayRequest {
  const headers = Object.fromEntries(Object.entries(ex.request.headers).filter(([k]) => !SIGNATURE_HEADERS.includes(k.toLowerCase())));
  return {
    request: { ...ex.request, headers },
    signed: Object.keys(ex.request.headers).some((k) => k.toLowerCase() === 'signature'),
    answered: ex.response?.status ?? ex.failure?.kind ?? 'no answer',
  };
}

/** The bank's part of replay.json (still to be redacted on writing). */
export function replayBank(opts: {
  id: string;
  bankFile: string;
  profile: string;
  spec?: string;
  exchanges: Exchange[];
  consentId?: string;
  results: Iterable<RuleResult>;
}): ReplayBank {
  const results: Record<string, ReplayRequest[]> = {};
  for (const r of opts.results) {
    if (r.status !== 'failed' && r.status !== 'broken') continue;
    const cited = r.evidence
      .slice(0, 3)
      .map((i) => opts.exchanges[i])
      .filter((e): e is Exchange => e !== undefined);
    if (cited.length > 0) results[r.rule.id] = cited.map(replayable);
  }
  // The request that created the run's consent: its answer named the consent id the run used.
  const consentId = opts.consentId;
  const consent =
    consentId === undefined
      ? undefined
      : opts.exchanges.find((e) => e.request.method === 'POST' && e.response && e.response.status < 300 && e.response.body.includes(consentId));
  const status =
    consent && consentId !== undefined ? opts.exchanges.find((e) => e.operationId === 'getConsentStatus' && e.request.url.includes(consentId)) : undefined;
  return {
    id: opts.id,
    bankFile: opts.bankFile,
    profile: opts.profile,
    ...(opts.spec ? { spec: opts.spec } : {}),
    ...(consent ? { consentRequest: replayable(consent) } : {}),
    ...(status ? { consentStatusRequest: replayable(status) } : {}),
    results,
  };
}
