// `card-conformance doctor`: checks a bank file, its environment, certificates, and the bank's reachability and consent.
export { runDoctor } from './doctor.js';
export type { DoctorOptions, DoctorReport } from './doctor.js';
export { renderDoctorReport, MARKS } from './render.js';
export { assertLocalConfig, localChecks } from './local.js';
export type { LocalCheckOptions } from './local.js';
export type { CheckLine, CheckStatus } from './types.js';
