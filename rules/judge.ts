import type { CheckOutcome, Exchange, Rule, RuleResult, Violation } from '../core/model.js';
import { worstSeverity } from '../core/model.js';
import type { Profile } from '../config/profile.js';
import type { SchemaValidators } from '../schemas/validators.js';
import type { ObservedExchange } from './kind.js';
import { KINDS } from './registry.js';
import { pathOf } from './kinds/status.js';
import { parseJsonBounded } from '../core/json-bounded.js';

/** Parses each exchange's body once, so hundreds of rules share the work. */
export function observe(exchanges: Exchange[]): ObservedExchange[] {
  return exchanges.map((ex, index) => {
    const o: ObservedExchange = { ...ex, index };
    const res = ex.response;
    if (res && res.body.trim() !== '') {
      if (res.truncated) o.jsonError = `the body was cut at ${res.body.length} characters`;
      else {
        // Nesting is capped before parsing: a bank's deeply nested body is unparseable, not a crash.
        const parsed = parseJsonBounded(res.body);
        if (parsed.ok) o.json = parsed.value;
        else o.jsonError = parsed.error;
      }
    }
    return o;
  });
}

export interface JudgeContext {
  exchanges: ObservedExchange[];
  profile: Profile;
  validators: SchemaValidators;
  /** Why a probe was not sent (e.g. "a pre-authorised consent was used"), by probe id. */
  notSent: Record<string, string>;
}

const MAX_EVIDENCE = 5;
/** A rule with this probe judges every exchange of the run. */
export const ALL_PROBES = '*';

/** Judges one rule on every exchange it concerns. Never throws: an exception in a check is a broken result. */
export function judgeRule(rule: Rule, ctx: JudgeContext): RuleResult {
  const kind = KINDS[rule.kind];
  const relevant = ctx.exchanges.filter((ex) => rule.probes.includes(ex.probe) || rule.probes.includes(ALL_PROBES));
  const base = { rule: metaOf(rule), severity: rule.severity, checked: 0, violations: [] as Violation[], evidence: [] as number[] };
  if (!kind) return { ...base, status: 'broken', message: `no check module for kind '${rule.kind}'` };
  if (relevant.length === 0) return notSent(rule, ctx, base);
  const unusable: { ex: ObservedExchange; reason: string }[] = [];
  const usable = relevant.filter((ex) => {
    const reason = whyUnusable(ex, kind.needs);
    if (reason) unusable.push({ ex, reason });
    return !reason;
  });
  // A followed page (page 2 on) that could not be judged is that page's failure (its status-code and
  // transport rules say so); the pages that were received are judged, and the result names the gap.
  const gaps = usable.length > 0 ? unusable.filter((u) => followedPage(u.ex)) : [];
  const blocking = unusable.filter((u) => !gaps.includes(u));
  let outcome: CheckOutcome;
  try {
    outcome = usable.length > 0 || kind.needs === 'exchange' ? kind.check({ params: rule.params as never, exchanges: usable, profile: ctx.profile, validators: ctx.validators }) : { checked: 0, violations: [] };
  } catch (e) {
    return { ...base, status: 'broken', message: `the check failed: ${(e as Error).message}`, evidence: relevant.slice(0, 1).map((x) => x.index) };
  }
  const { violations, checked } = outcome;
  const coverage = outcome.coverage ? { coverage: outcome.coverage } : {};
  const gapNote = gaps.length > 0 ? `judged ${plural(checked, 'instance')} on ${plural(usable.length, 'response')}; ${pageGaps(gaps)}` : undefined;
  if (violations.length > 0) {
    const severity = violations.reduce((s, v) => worstSeverity(s, v.severity ?? rule.severity), 'trivial' as RuleResult['severity']);
    const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
    return {
      ...base, ...coverage, status: 'failed', severity, checked, violations,
      message: [violations[0]!.message + more, ...(outcome.notes ?? []), ...(gapNote ? [gapNote] : [])].join('; '),
      instancePath: violations[0]!.instancePath,
      evidence: unique(violations.map((v) => v.exchange).filter((i): i is number => i !== undefined)).slice(0, MAX_EVIDENCE),
    };
  }
  if (blocking.length > 0 || outcome.broken) {
    const reason = outcome.broken ?? `${blocking[0]!.reason}${blocking.length > 1 ? ` (${blocking.length} requests could not be judged)` : ''}`;
    return { ...base, ...coverage, status: 'broken', checked, message: reason, evidence: unique(blocking.map((u) => u.ex.index)).slice(0, MAX_EVIDENCE) };
  }
  if (checked === 0) {
    // Nothing found because every answer was a refusal (e.g. Content-Type of a success body after a 500): not "nothing to check".
    const refusals = usable.map((ex) => whyUnusable(ex, 'json-body')).filter((r): r is string => r !== undefined);
    if (usable.length > 0 && refusals.length === usable.length && usable.every((ex) => (ex.response?.status ?? 0) >= 300)) {
      return { ...base, status: 'broken', message: `${refusals[0]}${refusals.length > 1 ? ` (${refusals.length} requests could not be judged)` : ''}`, evidence: usable.slice(0, MAX_EVIDENCE).map((x) => x.index) };
    }
    if (gaps.length > 0) return { ...base, status: 'broken', message: `nothing to judge on the ${plural(usable.length, 'response')} received; ${pageGaps(gaps)}`, evidence: unique(gaps.map((u) => u.ex.index)).slice(0, MAX_EVIDENCE) };
    // A probe of the rule that was not sent (a certificate case next to its sent positive control, the date window) says why.
    const why = rule.probes.map((p) => ctx.notSent[p]).find(Boolean) ?? outcome.skipped;
    return { ...base, ...coverage, status: 'skipped', message: why ?? 'no instance of this rule was found in the responses', evidence: usable.slice(0, 1).map((x) => x.index) };
  }
  const message = [...(outcome.notes ?? []), ...(gapNote ? [gapNote] : [])].join('; ');
  return { ...base, ...coverage, status: 'passed', checked, message, evidence: [...usable.slice(0, 1).map((x) => x.index), ...gaps.slice(0, MAX_EVIDENCE - 1).map((u) => u.ex.index)] };
}

/** No exchange for the rule: broken when the request it depends on failed, else skipped with the reason. */
function notSent(rule: Rule, ctx: JudgeContext, base: Pick<RuleResult, 'rule' | 'severity' | 'checked' | 'violations' | 'evidence'>): RuleResult {
  const why = rule.probes.map((p) => ctx.notSent[p]).find(Boolean);
  if (rule.after) {
    const upstream = ctx.exchanges.filter((ex) => ex.probe === rule.after);
    const failed = upstream.map((ex) => ({ ex, reason: whyUnusable(ex, 'json-body') })).filter((u) => u.reason);
    if (upstream.length === 0 || failed.length === upstream.length) {
      const reason = failed[0]?.reason ?? `${rule.after} was not requested`;
      return { ...base, status: 'broken', message: `no account was read: ${reason}`, evidence: failed.slice(0, 1).map((u) => u.ex.index) };
    }
    const named = ctx.notSent[PER_ACCOUNT];
    if (!why && named) return { ...base, status: 'skipped', message: named };
  }
  return { ...base, status: 'skipped', message: why ?? `no request was made for ${rule.probes.join(', ')}` };
}

/** The collector's reason, when the card-account list named no account (collect/). */
const PER_ACCOUNT = 'per-account';

const followedPage = (ex: ObservedExchange): boolean => Number(ex.context?.page ?? 1) > 1;

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** "page 2 of account 1 (booked) could not be judged: … (and 2 more pages)" */
function pageGaps(gaps: { ex: ObservedExchange; reason: string }[]): string {
  const first = gaps[0]!; // called only with at least one gap
  const others = gaps.length > 1 ? ` (and ${plural(gaps.length - 1, 'more page')})` : '';
  return `page ${first.ex.context?.page} of ${first.ex.context?.chain ?? 'a transaction list'} could not be judged: ${first.reason}${others}`;
}

function whyUnusable(ex: ObservedExchange, needs: string): string | undefined {
  if (needs === 'exchange') return undefined;
  const where = `${ex.request.method} ${pathOf(ex.request.url)}`;
  if (!ex.response) return `${where}: ${ex.failure?.kind ?? 'no response'}: ${ex.failure?.message ?? 'no response was received'}`;
  if (ex.failure) {
    // What had arrived tells a slow drip or a mid-body reset from a bank that never answered.
    const got = ex.failure.kind === 'too-large' ? ' (limits.maxBodyBytes)' : ` (status ${ex.response.status} and ${Buffer.byteLength(ex.response.body)} body bytes had arrived)`;
    return `${where}: ${ex.failure.kind}: ${ex.failure.message}${got}`;
  }
  if (needs === 'response') return undefined;
  const { status, headers } = ex.response;
  const type = headers['content-type'];
  // An HTML page (a gateway's error or maintenance page) is named as such, and a Retry-After too.
  const nonJson = type !== undefined && !/json/i.test(type) ? `Content-Type '${type.slice(0, 60)}'` : undefined;
  if (status < 200 || status >= 300) {
    const retryAfter = headers['retry-after'] ? `Retry-After: ${headers['retry-after'].slice(0, 40)}, the bank asks to come back later` : undefined;
    const notes = [nonJson, retryAfter].filter(Boolean).join('; ');
    return `${where} answered ${status}${notes ? ` (${notes})` : ''}, so its body could not be judged`;
  }
  if (ex.json === undefined) {
    const notes = [nonJson, ex.jsonError].filter(Boolean).join('; ');
    return `${where}: the body is not JSON${notes ? ` (${notes})` : ''}`;
  }
  return undefined;
}


const unique = (xs: number[]): number[] => [...new Set(xs)];

export function metaOf(rule: Rule): RuleResult['rule'] {
  const { params: _p, probes: _q, after: _a, ...meta } = rule;
  return meta;
}
