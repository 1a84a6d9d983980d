// The rejection suite proves something only if it can fail: against a bank that accepts any
// signature every must-reject rule fails and the positive controls pass; against a bank that
// refuses every signed card-account request the positive controls fail.
import { beforeAll, describe, expect, it } from 'vitest';
import { defaultBankConfig } from '../config/load.js';
import { collectExchanges } from '../collect/collect.js';
import { createHttpClient } from '../transport/http/client.js';
import type { RuleResult } from '../core/model.js';
import { generateTestPki, type TestPki } from '../transport/pki/generate.js';
import { loadProfile } from '../config/profile.js';
import { signingFor } from '../app/run/signing.js';
import { buildCatalogue } from '../rules/catalogue/generate.js';
import { SIGNATURE_CASES } from '../rules/kinds/support/signature-cases.js';
import { judgeRule, observe } from '../rules/judge.js';
import { SchemaValidators } from '../schemas/validators.js';
import { loadSpecDocument } from '../schemas/spec-document.js';
import { startReferenceBank, type SandboxOptions } from '../sandbox/index.js';
import { signatureGuard } from '../sandbox/signature/guard.js';
import type { VerificationPolicy } from '../sandbox/signature/types.js';

const profile = loadProfile('berlin-group');
const catalogue = buildCatalogue(loadSpecDocument(profile.spec), profile);
let pki: TestPki;
beforeAll(() => {
  pki = generateTestPki();
});

async function runAgainst(guard: SandboxOptions['requestGuard']): Promise<Map<string, RuleResult>> {
  const bank = await startReferenceBank({ host: '127.0.0.1', port: 0, requestGuard: guard });
  try {
    const config = defaultBankConfig(bank.baseUrl, 'berlin-group');
    const signing = signingFor(undefined, profile, () => pki);
    const client = createHttpClient({ limits: config.limits, signer: signing.signer });
    const log = await collectExchanges({ catalogue, bank: config, client, signing });
    await client.close();
    expect(log.fatal).toBeUndefined();
    const ctx = { exchanges: observe(log.exchanges), profile, validators: new SchemaValidators(catalogue.defs), notSent: log.notSent };
    return new Map(catalogue.rules.filter((r) => r.category === 'signature' || r.category === 'certificate').map((r) => [r.id, judgeRule(r, ctx)]));
  } finally {
    await bank.close();
  }
}

const policy = (): VerificationPolicy => ({
  requireSignature: true,
  trustedRootsPem: [pki.rootCaPem],
  revokedSerials: pki.revokedSerials,
  blockedSerials: pki.blockedSerials,
  requiredRole: 'PSP_AI',
});
const positives = SIGNATURE_CASES.filter((c) => c.positive).map((c) => c.id);
const mustReject = SIGNATURE_CASES.filter((c) => !c.positive).map((c) => c.id);

describe('the signature and certificate rejection suite', () => {
  it('passes entirely against the reference bank, which verifies every request', async () => {
    const results = await runAgainst(signatureGuard(policy()));
    const notPassed = [...results.values()].filter((r) => r.status !== 'passed').map((r) => `${r.rule.id}: ${r.status} ${r.message}`);
    expect(notPassed).toEqual([]);
    expect(results.size).toBe(SIGNATURE_CASES.length);
  });

  it('fails every must-reject rule, critically, against a bank that accepts any signature', async () => {
    const results = await runAgainst(signatureGuard({ ...policy(), acceptAnySignature: true }));
    for (const id of positives) expect(results.get(id)!.status, id).toBe('passed');
    for (const id of mustReject) {
      const r = results.get(id)!;
      expect(r.status, `${id}: ${r.message}`).toBe('failed');
      expect(r.severity, id).toBe('critical');
    }
  });

  it('fails the positive controls, and judges no rejection, against a bank that refuses every signed card-account request', async () => {
    const refuseCards: SandboxOptions['requestGuard'] = (req) =>
      req.path.startsWith('/v1/card-accounts') ? { status: 401, code: 'SIGNATURE_INVALID', text: 'refused' } : signatureGuard(policy())(req);
    const results = await runAgainst(refuseCards);
    expect(results.get('signature:accepts-signed-get')!.status).toBe('failed');
    for (const id of mustReject) expect(results.get(id)!.status, id).toBe('broken');
    expect(results.get('signature:missing')!.message).toContain('proves nothing');
  });
});
