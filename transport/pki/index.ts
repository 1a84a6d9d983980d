// The test PKI: generation, writing, and reading certificates.
export { generateTestPki, BAD_CERTIFICATE_IDS } from './generate.js';
export type { TestPki, PkiEntry, BadCertificate, BadCertificateId, ExpectedVerdict, GenerateOptions } from './generate.js';
export { writePki, runPkiCommand } from './write.js';
export { parseCertificate, tryParseCertificate, decodeCertificateInput, CertificateParseError } from './certificate-info.js';
export type { CertificateInfo, KeyUsageBits, CertificateParseResult } from './certificate-info.js';
export { issueCertificate, keyIdentifierOf } from './certificate-builder.js';
export type { IssueSpec, IssuedCertificate, CertificateIssuer, NameAttributeSpec, KeyUsageSpec } from './certificate-builder.js';
export { generateRsaKeyPair } from './keys.js';
export type { KeyPair } from './keys.js';
export { formatRfc2253, parseDn, sameDnAttributes, escapeDnValue, attributeShortName } from './dn.js';
export type { DnAttribute, ParsedDnAttribute, DnParseResult } from './dn.js';
export { normalizeSerialHex, serialToBigInt, serialToDecimal, serialToDerHex, randomSerialHex } from './serial.js';
export { buildQcStatementsDer, parseQcStatements, psd2Roles, psd2StatementProblem } from './qc-statements.js';
export type { Psd2Statement, Psd2RoleEntry, QcStatementsInfo, QcStatementsSpec, Psd2StatementSpec } from './qc-statements.js';
export { OID, PSD2_ROLE_OIDS, psd2RoleName } from './oids.js';
export type { Psd2RoleName, QcType } from './oids.js';
