import { sandboxOptionsFor } from './defects/index.js';
import type { Defect, Variant } from './defects/types.js';
import { signatureGuard } from './signature/guard.js';
import type { TrustAnchors } from './signature/trusted-pki.js';
import type { SandboxOptions } from './types.js';
import type { VerificationPolicy } from './signature/types.js';

/**
 * The reference bank as runs use it: it mandates signing (every request validly signed by a
 * QSealC of the PKI it trusts: the run's test PKI, or the one `pki --out` wrote), then applies any
 * defects and negative controls. One place, so `run`, `sandbox` and the detection matrix serve the
 * same bank. Without `pki` it verifies nothing: only `sandbox --no-verify` asks for that.
 */
export function referenceBankOptions(opts: {
  pki?: TrustAnchors;
  entries?: (Defect | Variant)[];
  faults?: string[];
  revokedCode?: VerificationPolicy['revokedCode'];
}): Partial<SandboxOptions> {
  const { signaturePolicy, requestGuard: defectGuard, faults, ...extras } = sandboxOptionsFor(opts.entries ?? []);
  const signature =
    opts.pki &&
    signatureGuard({
      requireSignature: true,
      trustedRootsPem: [opts.pki.rootCaPem],
      requiredRole: 'PSP_AI',
      revokedSerials: opts.pki.revokedSerials,
      blockedSerials: opts.pki.blockedSerials,
      ...(opts.revokedCode ? { revokedCode: opts.revokedCode } : {}),
      ...signaturePolicy,
    });
  // The signature check runs first, as the bank's gateway would; then any guard a defect brings.
  const requestGuard = signature && defectGuard ? (req: Parameters<typeof signature>[0]) => signature(req) ?? defectGuard(req) : (signature ?? defectGuard);
  const allFaults = [...(opts.faults ?? []), ...(faults ?? [])];
  return { ...extras, requestGuard, ...(allFaults.length > 0 ? { faults: allFaults } : {}) };
}
