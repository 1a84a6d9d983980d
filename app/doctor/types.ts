// The shape every doctor check reports in: one line each, all shown together.

/** pass ✓, fail ✗ (a problem: exit 2), warn ! (worth knowing, not fatal), skip – (not applicable or not checked). */
export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

export interface CheckLine {
  status: CheckStatus;
  /** What was checked, e.g. "signing key". */
  check: string;
  message: string;
  /** The bank-file field at fault, for a ConfigError when `run` does the same check. */
  field?: string;
}

export const pass = (check: string, message: string): CheckLine => ({ status: 'pass', check, message });
export const fail = (check: string, message: string, field?: string): CheckLine => ({ status: 'fail', check, message, ...(field ? { field } : {}) });
export const warn = (check: string, message: string, field?: string): CheckLine => ({ status: 'warn', check, message, ...(field ? { field } : {}) });
export const skip = (check: string, message: string): CheckLine => ({ status: 'skip', check, message });
