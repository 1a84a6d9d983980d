// `card-conformance replay --out DIR RULE-ID`: re-sends the request a failed rule cites, exactly
// as recorded in DIR/replay.json, with a fresh signature, and prints the bank's answer. The bank
// file is read again (with the environment of now), so the masked values (consent id, PSU id,
// headers the file gives) are filled in from it and no secret ever sat in the output folder.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadBankFile } from '../../config/load.js';
import { ConfigError, type BankConfig } from '../../config/types.js';
import { createHttpClient } from '../../transport/http/client.js';
import { tlsOptionsFromConfig } from '../../transport/http/tls-options.js';
import type { HttpRequestRecord } from '../../core/model.js';
import { generateTestPki } from '../../transport/pki/generate.js';
import { loadProfile, profileNames } from '../../config/profile.js';
import { createRedactor, type Secret } from '../../core/redact.js';
import { assertLocalConfig } from '../doctor/local.js';
import { REPLAY_FILE, type ReplayBank, type ReplayFile, type ReplayRequest } from './replay-record.js';
import { configSecrets } from './run.js';
import { signingFor } from './signing.js';

const CONSENT_POLLS = 10;
const CONSENT_POLL_MS = 1_000;
const MASK = /\[REDACTED(?: [a-z -]+)?\]/;

function readReplayFile(out: string): ReplayFile {
  const path = join(out, REPLAY_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError('--out', undefined, `${path} does not exist: replay needs the output folder of a run against a bank file (--bank)`);
  }
  try {
    return JSON.parse(text) as ReplayFile;
  } catch (e) {
    throw new ConfigError('--out', undefined, `${path}: not valid JSON (${(e as Error).message})`);
  }
}

function pickBank(file: ReplayFile, ruleId: string, bankId: string | undefined): { bank: ReplayBank; requests: ReplayRequest[] } {
  const banks = bankId === undefined ? file.banks : file.banks.filter((b) => b.id === bankId);
  if (banks.length === 0) throw new ConfigError('--bank-id', undefined, `'${bankId}' is not in this run (banks: ${file.banks.map((b) => b.id).join(', ')})`);
  const hits = banks.filter((b) => b.results[ruleId]);
  const [hit, ...others] = hits;
  const requests = hit?.results[ruleId];
  if (!hit || !requests)
    throw new ConfigError(
      'replay',
      'RULE-ID',
      `'${ruleId}' did not fail or break in this run (${banks.reduce((n, b) => n + Object.keys(b.results).length, 0)} rules can be replayed; their ids are in findings.json)`,
    );
  if (others.length > 0) throw new ConfigError('replay', '--bank-id', `'${ruleId}' failed for several banks (${hits.map((b) => b.id).join(', ')}); name one`);
  return { bank: hit, requests };
}

/** The recorded request with every mask filled in from the bank file (or refused, naming what is missing). */
function filled(r: HttpRequestRecord, config: BankConfig, consentId: string | undefined): HttpRequestRecord {
  const fill = (text: string, what: string): string => {
    // The redactor writes a consent id in a URL as the path template {consentId}, elsewhere as a mask.
    const out = text.replace(what === 'URL' ? /\[REDACTED consent-id\]|\{consentId\}/g : /\[REDACTED consent-id\]/g, () => {
      if (consentId === undefined)
        throw new ConfigError(config.source, 'consent', `the ${what} needs the consent id; give consent.id (or consent.create: true)`);
      return consentId;
    });
    const masked = MASK.exec(out);
    if (masked) throw new ConfigError('replay', undefined, `the recorded ${what} holds a masked value the bank file does not give (${masked[0]})`);
    return out;
  };
  const fromFile = new Map(Object.entries(config.headers).map(([k, v]) => [k.toLowerCase(), v]));
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(r.headers)) {
    const lower = name.toLowerCase();
    const fileValue = fromFile.get(lower);
    if (!MASK.test(value)) headers[name] = value;
    else if (lower === 'consent-id' && consentId !== undefined) headers[name] = consentId;
    else if (lower === 'psu-id' && config.psu.id) headers[name] = config.psu.id;
    else if (lower === 'psu-corporate-id' && config.psu.corporateId) headers[name] = config.psu.corporateId;
    else if (fileValue !== undefined) headers[name] = fileValue;
    else headers[name] = fill(value, `header ${name}`);
  }
  return { method: r.method, url: fill(r.url, 'URL'), headers, ...(r.body !== undefined ? { body: fill(r.body, 'body') } : {}) };
}

const usesConsent = (r: HttpRequestRecord): boolean => JSON.stringify(r).includes('[REDACTED consent-id]') || r.url.includes('{consentId}');

export async function replay(opts: { out: string; ruleId: string; bankId?: string; env?: NodeJS.ProcessEnv; print: (line: string) => void }): Promise<number> {
  const file = readReplayFile(opts.out);
  const { bank, requests } = pickBank(file, opts.ruleId, opts.bankId);
  const config = assertLocalConfig(loadBankFile(bank.bankFile, opts.env ?? process.env, { profiles: profileNames() }));
  const profile = loadProfile(bank.profile);
  const signing = signingFor(config, profile, generateTestPki);
  const secrets: Secret[] = configSecrets({ config });
  let redactor = createRedactor(secrets);
  const client = createHttpClient({ limits: config.limits, tls: tlsOptionsFromConfig(config.tls, config.source), signer: signing.signer });
  try {
    let consentId = config.consent.id;
    if (consentId === undefined && requests.some((r) => usesConsent(r.request)) && bank.consentRequest) {
      // The run created its consent; so does the replay, with the same request, signed afresh.
      const created = await client.send(filled(bank.consentRequest.request, config, undefined), { sign: bank.consentRequest.signed });
      try {
        consentId = (JSON.parse(created.response?.body ?? '') as { consentId?: string }).consentId;
      } catch {
        /* not JSON: said below */
      }
      if (!consentId) {
        opts.print(
          `the consent could not be created again: ${created.response ? `HTTP ${created.response.status}` : (created.failure?.message ?? 'no answer')}`,
        );
        return 3;
      }
      secrets.push({ value: consentId, kind: 'consent-id' });
      redactor = createRedactor(secrets);
      // As the run did: ask the consent's status until it is valid (a sandbox approves it on its own).
      const statusRequest = bank.consentStatusRequest;
      for (let i = 0; statusRequest && i < CONSENT_POLLS; i++) {
        const polled = await client.send(filled(statusRequest.request, config, consentId), { sign: statusRequest.signed });
        let status: unknown;
        try {
          status = (JSON.parse(polled.response?.body ?? '') as { consentStatus?: unknown }).consentStatus;
        } catch {
          /* not JSON: asked again */
        }
        if (status === 'valid' || (polled.response && polled.response.status >= 400)) break;
        await new Promise((r) => setTimeout(r, CONSENT_POLL_MS));
      }
    }
    let code = 0;
    for (const [i, r] of requests.entries()) {
      const sent = await client.send(filled(r.request, config, consentId), { sign: r.signed });
      const lines = [
        `${requests.length > 1 ? `[${i + 1}/${requests.length}] ` : ''}${sent.request.method} ${sent.request.url}${r.signed ? ' (signed afresh)' : ''}`,
      ];
      if (sent.response) {
        let body = sent.response.body;
        try {
          body = JSON.stringify(JSON.parse(body), null, 2);
        } catch {
          /* not JSON: as received */
        }
        lines.push(`HTTP ${sent.response.status}`, ...Object.entries(sent.response.headers).map(([k, v]) => `${k}: ${v}`), '', body);
      } else {
        lines.push(`no answer: ${sent.refused ?? `${sent.failure?.kind}: ${sent.failure?.message}`}`);
        code = 3;
      }
      lines.push(`(the run got: ${typeof r.answered === 'number' ? `HTTP ${r.answered}` : r.answered})`, '');
      for (const line of lines.join('\n').split('\n')) opts.print(redactor.redactText(line));
    }
    return code;
  } finally {
    await client.close();
  }
}
