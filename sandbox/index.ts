// The embedded reference bank: a faithful Berlin Group NextGenPSD2 1.3.12 card-account service
// that the conformance suite runs against by default (zero findings expected), with hooks to
// inject defects (ResponseMutation) and to verify signatures (requestGuard).
export { startReferenceBank, runPipeline } from './server.js';
export { generateBankData, entryKey } from './data.js';
export { getProfile } from './profiles.js';
export { GIVE_BANK_FILE, loadBankProfile } from './reference-bank-data.js';
export type { AccountTemplate, BankProfile, CountrySeed, MerchantSeed, WireShape } from './profiles.js';
export { adaptBody, numberAmount } from './shapes.js';
export { formatMinor, minorUnits, parseMinor } from './money.js';
export { BALANCE_TYPES } from './types.js';
export { DEFAULT_FAULT_OPERATION, FAULTS, FAULT_OPERATIONS, describeFaults, parseFaults } from './faults/index.js';
export type { ActiveFault, FaultDefinition, FaultDelivery } from './faults/index.js';
export { DEFECTS, VARIANTS, UnknownDefectError, findDefects, findVariants, sandboxOptionsFor } from './defects/index.js';
export type { Defect, SandboxExtras, Variant } from './defects/index.js';
export type {
  Address,
  Amount,
  Balance,
  BalanceType,
  BankData,
  CardAccountRecord,
  CardTransaction,
  GuardRejection,
  IncomingRequestInfo,
  MutationContext,
  RawMutationContext,
  RawResponse,
  ReportExchangeRate,
  ResponseMutation,
  RunningBank,
  SandboxOptions,
  SandboxResponse,
} from './types.js';
