// The rejection cases live beside the kinds that judge them (rules/kinds/support/); the collector reads them here too.
export { SIGNATURE_CASES, signatureProbe, type SignatureCase } from '../kinds/support/signature-cases.js';
