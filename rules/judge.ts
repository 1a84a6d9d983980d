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
  if (!kind) return resultOf(rule, { status: 'broken', message: `no check module for kind '${rule.kind}'` });
  // The exchanges of the rule's probes, sorted into usable and not, are computed once per run for
  // every rule with the same probes and needs (exchangesFor below); the arrays are shared, read only.
  const { relevant, usable: shared, unusable } = exchangesFor(ctx.exchanges, rule, kind.needs);
  if (relevant.length === 0) return notSent(rule, ctx);
  // A check gets its own copy: the shared list outlives it.
  const usable = shared.slice();
  // A followed page (page 2 on) that could not be judged is that page's failure (its status-code and
  // transport rules say so); the pages that were received are judged, and the result names the gap.
  const gaps = usable.length > 0 ? unusable.filter((u) => followedPage(u.ex)) : [];
  const blocking = unusable.filter((u) => !gaps.includes(u));
  let outcome: CheckOutcome;
  try {
    outcome =
      usable.length > 0 || kind.needs === 'exchange'
        ? kind.check({ params: rule.params, exchanges: usable, profile: ctx.profile, validators: ctx.validators })
        : { checked: 0, violations: [] };
  } catch (e) {
    return resultOf(rule, { status: 'broken', message: `the check failed: ${(e as Error).message}`, evidence: relevant.slice(0, 1).map((x) => x.index) });
  }
  const { violations, checked } = outcome;
  const coverage = outcome.coverage;
  const gapNote = gaps.length > 0 ? `judged ${plural(checked, 'instance')} on ${plural(usable.length, 'response')}; ${pageGaps(gaps)}` : undefined;
  const [firstViolation] = violations;
  if (firstViolation) {
    const severity = violations.reduce((s, v) => worstSeverity(s, v.severity ?? rule.severity), 'trivial' as RuleResult['severity']);
    const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
    return resultOf(
      rule,
      {
        coverage,
        status: 'failed',
        severity,
        checked,
        violations,
        message: [firstViolation.message + more, ...(outcome.notes ?? []), ...(gapNote ? [gapNote] : [])].join('; '),
        evidence: unique(violations.map((v) => v.exchange).filter((i): i is number => i !== undefined)).slice(0, MAX_EVIDENCE),
      },
      firstViolation.instancePath,
    );
  }
  if (blocking.length > 0 || outcome.broken) {
    const reason =
      outcome.broken ??
      `${blocking[0]?.reason ?? 'no request could be judged'}${blocking.length > 1 ? ` (${blocking.length} requests could not be judged)` : ''}`;
    return resultOf(rule, { coverage, status: 'broken', checked, message: reason, evidence: unique(blocking.map((u) => u.ex.index)).slice(0, MAX_EVIDENCE) });
  }
  if (checked === 0) {
    // Nothing found because every answer was a refusal (e.g. Content-Type of a success body after a 500): not "nothing to check".
    const refusals = usable.map((ex) => whyUnusable(ex, 'json-body')).filter((r): r is string => r !== undefined);
    if (usable.length > 0 && refusals.length === usable.length && usable.every((ex) => (ex.response?.status ?? 0) >= 300)) {
      const message = `${refusals[0]}${refusals.length > 1 ? ` (${refusals.length} requests could not be judged)` : ''}`;
      return resultOf(rule, { status: 'broken', message, evidence: usable.slice(0, MAX_EVIDENCE).map((x) => x.index) });
    }
    if (gaps.length > 0) {
      const message = `nothing to judge on the ${plural(usable.length, 'response')} received; ${pageGaps(gaps)}`;
      return resultOf(rule, { status: 'broken', message, evidence: unique(gaps.map((u) => u.ex.index)).slice(0, MAX_EVIDENCE) });
    }
    // A probe of the rule that was not sent (a certificate case next to its sent positive control, the date window) says why.
    const why = rule.probes.map((p) => ctx.notSent[p]).find(Boolean) ?? outcome.skipped;
    const message = why ?? 'no instance of this rule was found in the responses';
    return resultOf(rule, { coverage, status: 'skipped', message, evidence: usable.slice(0, 1).map((x) => x.index) });
  }
  const message = [...(outcome.notes ?? []), ...(gapNote ? [gapNote] : [])].join('; ');
  const evidence = [...usable.slice(0, 1).map((x) => x.index), ...gaps.slice(0, MAX_EVIDENCE - 1).map((u) => u.ex.index)];
  return resultOf(rule, { coverage, status: 'passed', checked, message, evidence });
}

interface Verdict {
  status: RuleResult['status'];
  message: string;
  severity?: RuleResult['severity'];
  checked?: number;
  violations?: Violation[];
  evidence?: number[];
  coverage?: RuleResult['coverage'];
}

/**
 * A result, its fields always in the same order (rule, severity, checked, violations, evidence,
 * coverage, status, message, instancePath), built as one literal: spreading a shared base object
 * into each result cost microseconds per rule, the whole per-exchange budget of a small body.
 * `instancePath` is passed only by a failure (where it is present even when undefined, as before).
 */
function resultOf(rule: Rule, v: Verdict, ...instancePath: [string | undefined] | []): RuleResult {
  const rule_ = metaOf(rule);
  const severity = v.severity ?? rule.severity;
  const checked = v.checked ?? 0;
  const violations = v.violations ?? [];
  const evidence = v.evidence ?? [];
  const r: RuleResult = v.coverage
    ? { rule: rule_, severity, checked, violations, evidence, coverage: v.coverage, status: v.status, message: v.message }
    : { rule: rule_, severity, checked, violations, evidence, status: v.status, message: v.message };
  if (instancePath.length > 0) r.instancePath = instancePath[0];
  return r;
}

/** No exchange for the rule: broken when the request it depends on failed, else skipped with the reason. */
function notSent(rule: Rule, ctx: JudgeContext): RuleResult {
  // Most rules of a run share a few (probes, after) pairs: the verdict is worked out once per pair.
  const plan = planOf(ctx.exchanges);
  if (plan.notSentOf !== ctx.notSent) {
    plan.notSentOf = ctx.notSent;
    plan.notSent.clear();
  }
  const key = keyOf(rule, KINDS[rule.kind]?.needs ?? '');
  let verdict = plan.notSent.get(key);
  if (!verdict) {
    verdict = notSentVerdict(rule, ctx);
    plan.notSent.set(key, verdict);
  }
  return resultOf(rule, { status: verdict.status, message: verdict.message, evidence: verdict.evidence.slice() });
}

function notSentVerdict(rule: Rule, ctx: JudgeContext): NotSent {
  const why = rule.probes.map((p) => ctx.notSent[p]).find(Boolean);
  if (rule.after) {
    const upstream = ctx.exchanges.filter((ex) => ex.probe === rule.after);
    const failed = upstream.map((ex) => ({ ex, reason: whyUnusable(ex, 'json-body') })).filter((u) => u.reason);
    if (upstream.length === 0 || failed.length === upstream.length) {
      const reason = failed[0]?.reason ?? `${rule.after} was not requested`;
      return { status: 'broken', message: `no account was read: ${reason}`, evidence: failed.slice(0, 1).map((u) => u.ex.index) };
    }
    const named = ctx.notSent[PER_ACCOUNT];
    if (!why && named) return { status: 'skipped', message: named, evidence: [] };
  }
  return { status: 'skipped', message: why ?? `no request was made for ${rule.probes.join(', ')}`, evidence: [] };
}

/** The collector's reason, when the card-account list named no account (collect/). */
const PER_ACCOUNT = 'per-account';

const followedPage = (ex: ObservedExchange): boolean => Number(ex.context?.page ?? 1) > 1;

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** "page 2 of account 1 (booked) could not be judged: … (and 2 more pages)" */
function pageGaps(gaps: { ex: ObservedExchange; reason: string }[]): string {
  const [first] = gaps;
  if (!first) return 'no page gaps'; // callers pass at least one gap
  const others = gaps.length > 1 ? ` (and ${plural(gaps.length - 1, 'more page')})` : '';
  return `page ${first.ex.context?.page} of ${first.ex.context?.chain ?? 'a transaction list'} could not be judged: ${first.reason}${others}`;
}

function whyUnusable(ex: ObservedExchange, needs: string): string | undefined {
  if (needs === 'exchange') return undefined;
  const where = `${ex.request.method} ${pathOf(ex.request.url)}`;
  if (!ex.response) return `${where}: ${ex.failure?.kind ?? 'no response'}: ${ex.failure?.message ?? 'no response was received'}`;
  if (ex.failure) {
    // What had arrived tells a slow drip or a mid-body reset from a bank that never answered.
    const got =
      ex.failure.kind === 'too-large'
        ? ' (limits.maxBodyBytes)'
        : ` (status ${ex.response.status} and ${Buffer.byteLength(ex.response.body)} body bytes had arrived)`;
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

interface Sorted {
  relevant: ObservedExchange[];
  usable: ObservedExchange[];
  unusable: { ex: ObservedExchange; reason: string }[];
}
interface NotSent {
  status: 'broken' | 'skipped';
  message: string;
  evidence: number[];
}
interface Plan {
  length: number;
  byKey: Map<string, Sorted>;
  notSentOf?: Record<string, string>;
  notSent: Map<string, NotSent>;
}

const keys = new WeakMap<Rule, string>();

/**
 * What decides which exchanges a rule concerns and which of them it can judge (its probes, the probe
 * it comes after, what its kind needs), as one key built once per rule.
 */
function keyOf(rule: Rule, needs: string): string {
  let key = keys.get(rule);
  if (key === undefined) {
    key = `${needs}\n${rule.after ?? ''}\n${rule.probes.join('\n')}`;
    keys.set(rule, key);
  }
  return key;
}

/** Per exchange list (one per run): its exchanges by the probes and needs of the rules judged on it. */
const plans = new WeakMap<ObservedExchange[], Plan>();

function planOf(exchanges: ObservedExchange[]): Plan {
  let plan = plans.get(exchanges);
  // An exchange list that grew since (a caller appending to it) is planned afresh.
  if (!plan || plan.length !== exchanges.length) {
    plan = { length: exchanges.length, byKey: new Map(), notSent: new Map() };
    plans.set(exchanges, plan);
  }
  return plan;
}

/**
 * The exchanges a rule concerns, in log order, and which of them its kind can judge. Hundreds of
 * rules share a few probe lists, so each list is sorted once per run instead of once per rule.
 */
function exchangesFor(exchanges: ObservedExchange[], rule: Rule, needs: string): Sorted {
  const plan = planOf(exchanges);
  const probes = rule.probes;
  const key = keyOf(rule, needs);
  let sorted = plan.byKey.get(key);
  if (!sorted) {
    const all = probes.includes(ALL_PROBES);
    const relevant = all ? exchanges : exchanges.filter((ex) => probes.includes(ex.probe));
    const unusable: Sorted['unusable'] = [];
    const usable = relevant.filter((ex) => {
      const reason = whyUnusable(ex, needs);
      if (reason) unusable.push({ ex, reason });
      return !reason;
    });
    sorted = { relevant, usable, unusable };
    plan.byKey.set(key, sorted);
  }
  return sorted;
}

const unique = (xs: number[]): number[] => [...new Set(xs)];

const metas = new WeakMap<Rule, RuleResult['rule']>();

/** The rule without its parameters and probes, built once per rule (results share it, read only). */
export function metaOf(rule: Rule): RuleResult['rule'] {
  let meta = metas.get(rule);
  if (!meta) {
    const { params: _p, probes: _q, after: _a, ...rest } = rule;
    meta = rest;
    metas.set(rule, meta);
  }
  return meta;
}
