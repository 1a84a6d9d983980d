// The pre-authorised consent is usable: GET its status, as the run's first request would.
// A consent created at run time cannot be checked beforehand; that is only noted.
import type { BankConfig } from '../../config/types.js';
import { buildRequest } from '../../collect/request-builder.js';
import { createHttpClient, type HttpClientOptions } from '../../transport/http/client.js';
import type { RequestSigner } from '../../transport/http/types.js';
import type { Profile } from '../../config/profile.js';
import { createSigner } from '../../transport/signing/signer.js';
import type { OperationInfo } from '../../rules/operations.js';
import { decryptedKeyPem } from '../../config/private-key.js';
import { FILE_CAPS, readBoundedText } from '../../core/fs/read-bounded.js';
import { fail, pass, skip, warn, type CheckLine } from './types.js';

const CHECK = 'consent';
const ENDED = new Set(['rejected', 'expired', 'revokedByPsu', 'terminatedByTpp']);

export async function checkConsent(config: BankConfig, profile: Profile, operations: OperationInfo[], tls: HttpClientOptions['tls']): Promise<CheckLine> {
  const consentId = config.consent.id;
  if (!consentId) {
    const create = operations.find((o) => o.role === 'createConsent');
    return skip(CHECK, `consent.create is true: a consent will be created at run time${create ? ` (${create.endpoint})` : ''}, so there is none to check now`);
  }
  const statusOp = operations.find((o) => o.role === 'getConsentStatus');
  if (!statusOp) return skip(CHECK, `not checked: the ${profile.name} spec has no consent status operation (${profile.operations.getConsentStatus})`);
  const param = statusOp.parameters.find((p) => p.in === 'path')?.name ?? 'consentId';
  const request = buildRequest(statusOp, { bank: config, profile, consentId, pathParams: { [param]: consentId } });

  const client = createHttpClient({ limits: { ...config.limits, retries: 0, requestsPerSecond: 0, concurrency: 1 }, tls, signer: signerFor(config) });
  try {
    const sent = await client.send(request);
    const what = `${statusOp.endpoint} with consent.id`;
    if (!sent.response) return fail(CHECK, `${what}: ${sent.failure?.kind ?? 'no answer'}: ${sent.failure?.message ?? ''}`, 'consent.id');
    const { status, body } = sent.response;
    const json = parseJson(body);
    if (status >= 300) {
      const code = tppCode(json);
      return fail(
        CHECK,
        `${what} answered HTTP ${status}${code ? ` ${code}` : ''}: the bank does not accept this consent (unknown, expired, or not for this TPP); give an authorised one`,
        'consent.id',
      );
    }
    const consentStatus = isRecord(json) ? json.consentStatus : undefined;
    if (consentStatus === 'valid') return pass(CHECK, `consent.id is valid (${statusOp.endpoint} → valid)`);
    if (typeof consentStatus === 'string' && ENDED.has(consentStatus))
      return fail(CHECK, `consent.id has ended: its status is '${consentStatus}'; give a new, authorised consent`, 'consent.id');
    if (typeof consentStatus === 'string')
      return fail(CHECK, `consent.id is not valid yet: its status is '${consentStatus}' (the PSU has not finished authorising it)`, 'consent.id');
    return warn(CHECK, `${what} answered HTTP ${status} without a consentStatus; the consent may or may not be valid`, 'consent.id');
  } finally {
    await client.close();
  }
}

/** The bank file's own QSealC, as the bank will see it on real requests; none when it cannot be used (reported above). */
function signerFor(config: BankConfig): RequestSigner | undefined {
  if (!config.signing) return undefined;
  const s = config.signing;
  try {
    const key = decryptedKeyPem(readBoundedText(s.key, FILE_CAPS.pem), s.keyPassphrase, s.key);
    if (!key.ok) return undefined;
    return createSigner({
      certificatePem: readBoundedText(s.certificate, FILE_CAPS.pem),
      keyPem: key.pem,
      keyIdFormat: s.keyIdFormat,
      signDate: s.signDate,
      signRequestTarget: s.signRequestTarget,
      digestAlgorithm: s.digestAlgorithm,
    });
  } catch {
    return undefined;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function tppCode(json: unknown): string | undefined {
  const messages = isRecord(json) ? json.tppMessages : undefined;
  const first: unknown = Array.isArray(messages) ? messages[0] : undefined;
  return isRecord(first) && typeof first.code === 'string' ? first.code : undefined;
}
