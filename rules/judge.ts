import type { Exchange, Rule, RuleResult, Violation } from '../lib/model.js';
import { worstSeverity } from '../lib/model.js';
import type { Profile } from '../lib/profile.js';
import type { SchemaValidators } from '../schemas/validators.js';
import type { ObservedExchange } from './kind.js';
import { KINDS } from './registry.js';
import { pathOf } from './kinds/status.js';

/** Parses each exchange's body once, so hundreds of rules share the work. */
export function observe(exchanges: Exchange[]): ObservedExchange[] {
  return exchanges.map((ex, index) => {
    const o: ObservedExchange = { ...ex, index };
    const res = ex.response;
    if (res && res.body.trim() !== '') {
      if (res.truncated) o.jsonError = `the body was cut at ${res.body.length} characters`;
      else {
        try { o.json = JSON.parse(res.body); } catch (e) { o.jsonError = (e as Error).message; }
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
  if (relevant.length === 0) {
    const why = rule.probes.map((p) => ctx.notSent[p]).find(Boolean);
    return { ...base, status: 'skipped', message: why ?? `no request was made for ${rule.probes.join(', ')}` };
  }
  const unusable: { index: number; reason: string }[] = [];
  const usable = relevant.filter((ex) => {
    const reason = whyUnusable(ex, kind.needs);
    if (reason) unusable.push({ index: ex.index, reason });
    return !reason;
  });
  let outcome;
  try {
    outcome = usable.length > 0 || kind.needs === 'exchange' ? kind.check({ params: rule.params as never, exchanges: usable, profile: ctx.profile, validators: ctx.validators }) : { checked: 0, violations: [] };
  } catch (e) {
    return { ...base, status: 'broken', message: `the check failed: ${(e as Error).message}`, evidence: relevant.slice(0, 1).map((x) => x.index) };
  }
  const { violations, checked } = outcome;
  if (violations.length > 0) {
    const severity = violations.reduce((s, v) => worstSeverity(s, v.severity ?? rule.severity), 'trivial' as RuleResult['severity']);
    const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
    return {
      ...base, status: 'failed', severity, checked, violations,
      message: violations[0]!.message + more,
      instancePath: violations[0]!.instancePath,
      evidence: unique(violations.map((v) => v.exchange).filter((i): i is number => i !== undefined)).slice(0, MAX_EVIDENCE),
    };
  }
  if (unusable.length > 0 || outcome.broken) {
    const reason = outcome.broken ?? `${unusable[0]!.reason}${unusable.length > 1 ? ` (${unusable.length} requests could not be judged)` : ''}`;
    return { ...base, status: 'broken', checked, message: reason, evidence: unique(unusable.map((u) => u.index)).slice(0, MAX_EVIDENCE) };
  }
  if (checked === 0) return { ...base, status: 'skipped', message: outcome.skipped ?? 'no instance of this rule was found in the responses', evidence: usable.slice(0, 1).map((x) => x.index) };
  return { ...base, status: 'passed', checked, message: outcome.notes?.join('; ') ?? '', evidence: usable.slice(0, 1).map((x) => x.index) };
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
  const { params: _p, probes: _q, ...meta } = rule;
  return meta;
}
