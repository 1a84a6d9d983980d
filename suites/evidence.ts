import * as allure from 'allure-js-commons';
import type { Redactor } from '../core/redact.js';
import type { Exchange, HttpRequestRecord, HttpResponseRecord, RuleResult } from '../core/model.js';
import { curlWithGuide, toCurl } from '../reporters/curl.js';

const MAX_BODY_CHARS = 200_000;

/** Ends an evidence step as failed (the exchange broke the rule) or broken; its stack is only its message. */
class StepVerdict extends Error {
  constructor(failed: boolean, message: string) {
    super(message);
    // Allure reads "Assertion" in the name as failed, anything else as broken.
    this.name = failed ? 'AssertionError' : 'NotJudged';
    this.stack = `${this.name}: ${message}`;
  }
}

/** What this exchange did wrong: the violations that cite it, else the rule's message. */
function stepMessage(result: RuleResult, exchange: Exchange, all: Exchange[]): string {
  const index = all.indexOf(exchange);
  // After judging, a violation's `exchange` is the index into the bank's exchange log (as `evidence`).
  const own = result.violations.filter((v) => v.exchange === index);
  const cited = own.length > 0 ? own : result.violations.filter((v) => v.exchange === undefined);
  if (cited.length === 0) return result.message;
  const first = cited
    .slice(0, 3)
    .map((v) => v.message)
    .join('; ');
  return cited.length > 3 ? `${first} (and ${cited.length - 3} more)` : first;
}

/**
 * A JSON body pretty-printed, BEFORE redaction: parsing decodes the bank's escapes (\u0063, \/),
 * so a secret it wrote escaped is plain text by the time the redactor reads it.
 */
function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body; /* not JSON: as received */
  }
}

/** The exchange as it is shown: the response body pretty-printed first, then redacted (structure, then text). */
function shown(raw: Exchange, redactor: Redactor): Exchange {
  // The request body stays as sent, so the curl line reproduces it byte for byte.
  const ex: Exchange = { ...raw };
  if (raw.response) ex.response = { ...raw.response, body: pretty(raw.response.body) };
  return redactor.redactExchange(ex);
}

function requestText(r: HttpRequestRecord): string {
  const head = [`${r.method} ${r.url}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`)].join('\n');
  return r.body ? `${head}\n\n${r.body}` : head;
}

function responseText(r: HttpResponseRecord): string {
  let body = r.body;
  if (body.length > MAX_BODY_CHARS) body = `${body.slice(0, MAX_BODY_CHARS)}\n… (${body.length - MAX_BODY_CHARS} more characters)`;
  const head = [
    `HTTP ${r.status} (${Math.round(r.durationMs)} ms)${r.truncated ? ' (body cut at the size limit)' : ''}`,
    ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`),
  ].join('\n');
  return `${head}\n\n${body}`;
}

/**
 * Attaches what the verdict rests on: on a failed or broken rule each cited exchange in full
 * (request, response, curl); on a passed or skipped one a short account of what was judged and
 * one curl line. Every name and attachment goes through the redactor as its final text.
 */
export async function attachEvidence(result: RuleResult, exchanges: Exchange[], redactor: Redactor): Promise<void> {
  const text = (t: string): string => redactor.redactText(t);
  const attach = async (name: string, content: string): Promise<void> => {
    await allure.attachment(text(name), text(content), 'text/plain');
  };
  const cited = result.evidence.map((i) => exchanges[i]).filter((e): e is Exchange => e !== undefined);
  if (result.status === 'failed' || result.status === 'broken') {
    for (const [n, raw] of cited.slice(0, 3).entries()) {
      const ex = shown(raw, redactor);
      const label = cited.length > 1 ? ` ${n + 1}` : '';
      // The step of an exchange that broke the rule is itself failed (broken when it could not be
      // judged), so the report shows red where the bank went wrong, not a green step.
      await allure
        .step(text(`${ex.request.method} ${ex.request.url}`), async () => {
          await attach(`request${label}`, requestText(ex.request));
          if (ex.response) await attach(`response${label}`, responseText(ex.response));
          if (ex.failure) await attach(`transport failure${label}`, `${ex.failure.kind}: ${ex.failure.message}`);
          await attach(`curl${label}`, curlWithGuide(ex.request, result.rule.id));
          throw new StepVerdict(result.status === 'failed', text(stepMessage(result, raw, exchanges)));
        })
        .then(undefined, (e: unknown) => {
          if (!(e instanceof StepVerdict)) throw e;
        });
    }
    if (result.violations.length > 0) {
      const list = result.violations.slice(0, 200);
      await allure.attachment('violations.json', redactor.redactJsonText(JSON.stringify(list, null, 2)), 'application/json');
    }
    return;
  }
  const first = cited[0] ? shown(cited[0], redactor) : undefined;
  const lines = [result.status === 'passed' ? `Judged ${result.checked} instance(s); none broke the rule.` : `Skipped: ${result.message}`];
  if (first) lines.push('', 'Reproduce one of the requests:', toCurl(first.request));
  await attach('judged', lines.join('\n'));
}
