import * as allure from 'allure-js-commons';
import type { Redactor } from '../lib/redact.js';
import type { Exchange, HttpRequestRecord, HttpResponseRecord, RuleResult } from '../lib/model.js';
import { toCurl } from '../reporters/curl.js';

const MAX_BODY_CHARS = 200_000;

function requestText(r: HttpRequestRecord): string {
  const head = [`${r.method} ${r.url}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`)].join('\n');
  return r.body ? `${head}\n\n${r.body}` : head;
}

function responseText(r: HttpResponseRecord): string {
  let body = r.body;
  try { body = JSON.stringify(JSON.parse(r.body), null, 2); } catch { /* not JSON: as received */ }
  if (body.length > MAX_BODY_CHARS) body = `${body.slice(0, MAX_BODY_CHARS)}\n… (${body.length - MAX_BODY_CHARS} more characters)`;
  const head = [`HTTP ${r.status} (${Math.round(r.durationMs)} ms)${r.truncated ? ' (body cut at the size limit)' : ''}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`)].join('\n');
  return `${head}\n\n${body}`;
}

/**
 * Attaches what the verdict rests on, redacted: on a failed or broken rule each cited
 * exchange in full (request, response, curl); on a passed or skipped one a short account
 * of what was judged and one curl line.
 */
export async function attachEvidence(result: RuleResult, exchanges: Exchange[], redactor: Redactor): Promise<void> {
  const cited = result.evidence.map((i) => exchanges[i]).filter((e): e is Exchange => e !== undefined);
  if (result.status === 'failed' || result.status === 'broken') {
    for (const [n, raw] of cited.slice(0, 3).entries()) {
      const ex = redactor.redactExchange(raw);
      const label = cited.length > 1 ? ` ${n + 1}` : '';
      await allure.step(`${ex.request.method} ${ex.request.url}`, async () => {
        await allure.attachment(`request${label}`, requestText(ex.request), 'text/plain');
        if (ex.response) await allure.attachment(`response${label}`, responseText(ex.response), 'text/plain');
        if (ex.failure) await allure.attachment(`transport failure${label}`, `${ex.failure.kind}: ${ex.failure.message}`, 'text/plain');
        await allure.attachment(`curl${label}`, toCurl(ex.request), 'text/plain');
      });
    }
    if (result.violations.length > 0) {
      const list = result.violations.slice(0, 200).map((v) => ({ ...v, message: redactor.redactText(v.message) }));
      await allure.attachment('violations.json', JSON.stringify(list, null, 2), 'application/json');
    }
    return;
  }
  const first = cited[0] ? redactor.redactExchange(cited[0]) : undefined;
  const lines = [result.status === 'passed' ? `Judged ${result.checked} instance(s); none broke the rule.` : `Skipped: ${redactor.redactText(result.message)}`];
  if (first) lines.push('', 'Reproduce one of the requests:', toCurl(first.request));
  await allure.attachment('judged', lines.join('\n'), 'text/plain');
}
