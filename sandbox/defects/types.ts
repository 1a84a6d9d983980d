// A defect is one documented misbehaviour of the reference bank, modelled on what real banks
// have sent (each says which bank behaviour it reproduces), together with the rules that must
// catch it. A variant is a legal-but-unusual shape that must NOT be flagged (a negative control).
import type { Category } from '../../core/model.js';
import type { ResponseMutation, SandboxOptions } from '../types.js';
import type { VerificationPolicy } from '../signature/types.js';

/**
 * Sandbox options a defect or variant may need beyond the response pipeline. This is the
 * extension point for request-side defects (signature, certificate, transport): a
 * `requestGuard` rejects requests before routing, `tls` serves HTTPS/mTLS.
 */
export type SandboxExtras = Pick<SandboxOptions, 'requestGuard' | 'tls' | 'pageSize' | 'faults'> & {
  /** Loosens the bank's signature check (a verifier that skips checks it should make). */
  signaturePolicy?: Partial<Pick<VerificationPolicy, 'acceptAnySignature' | 'revokedSerials' | 'blockedSerials'>>;
};

export interface Defect {
  /** Stable id, used by `--defects` and in docs/detection-matrix.md. */
  id: string;
  /** What the bank does differently. */
  description: string;
  /** The reference row id(s) and bank(s) it is modelled on, e.g. "A1 Commerzbank/Comdirect sandbox". */
  modelledOn: string;
  /**
   * The rules that must catch it: at least one failed result in every listed category, and no
   * failed result outside `ruleIds` (exact ids or `*` globs) and `categories`.
   */
  catches: { ruleIds: string[]; categories: Category[] };
  mutation: ResponseMutation;
  sandbox?: SandboxExtras;
  /**
   * The profile the detection matrix serves and judges it under (default berlin-group): a
   * deviation from a national profile only (e.g. BITS link verbs) is conformant Berlin Group.
   */
  profile?: string;
}

export interface Variant {
  id: string;
  description: string;
  modelledOn: string;
  mutation: ResponseMutation;
  sandbox?: SandboxExtras;
}
