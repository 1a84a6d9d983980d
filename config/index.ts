export * from './types.js';
export {
  loadBankFile,
  parseBankFile,
  defaultBankConfig,
  DEFAULT_LIMITS,
  DEFAULT_PSU_IP_ADDRESS,
  BUILT_IN_SOURCE,
  KEY_ID_FORMATS,
  DIGEST_ALGORITHMS,
  BANK_FILE_FIELDS,
} from './load.js';
export type { LoadOptions, ParseOptions } from './load.js';
export { substituteEnv, substituteString } from './substitute.js';
