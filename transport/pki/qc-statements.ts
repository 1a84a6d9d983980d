// The qcStatements extension (RFC 3739) with the ETSI statements PSD2 certificates carry:
// QcCompliance, QcType and the TS 119 495 PSD2 statement. Built and read with forge.asn1
// because neither forge nor Node knows these structures (ETSI EN 319 412-5 QCStatements, ETSI TS 119 495 PSD2 statement).
import { type Asn1, Asn1ShapeError, Type, children, der, isUniversal, oidValue, parseDer, sequence, stringValue, toDerBuffer } from './asn1.js';
import { OID, PSD2_ROLE_OIDS, QC_TYPE_OIDS, type Psd2RoleName, type QcType, psd2RoleName } from './oids.js';

export interface Psd2RoleEntry {
  oid: string;
  name: string;
}

export interface Psd2StatementSpec {
  roles: Psd2RoleEntry[];
  ncaName: string;
  ncaId: string;
}

export interface QcStatementsSpec {
  compliance?: boolean;
  qcType?: QcType;
  sscd?: boolean;
  psd2?: Psd2StatementSpec;
}

/** Role entries with the OID that belongs to each name. */
export function psd2Roles(...names: Psd2RoleName[]): Psd2RoleEntry[] {
  return names.map((name) => ({ oid: PSD2_ROLE_OIDS[name], name }));
}

/** DER of the QCStatements SEQUENCE: the extnValue of extension 1.3.6.1.5.5.7.1.3. */
export function buildQcStatementsDer(spec: QcStatementsSpec): Buffer {
  const statements: Asn1[] = [];
  if (spec.compliance) statements.push(der.seq([der.oid(OID.qcCompliance)]));
  if (spec.qcType) statements.push(der.seq([der.oid(OID.qcType), der.seq([der.oid(QC_TYPE_OIDS[spec.qcType])])]));
  if (spec.sscd) statements.push(der.seq([der.oid(OID.qcSscd)]));
  if (spec.psd2) {
    const roles = der.seq(spec.psd2.roles.map((r) => der.seq([der.oid(r.oid), der.utf8(r.name)])));
    statements.push(der.seq([der.oid(OID.psd2Statement), der.seq([roles, der.utf8(spec.psd2.ncaName), der.utf8(spec.psd2.ncaId)])]));
  }
  return toDerBuffer(der.seq(statements));
}

export interface Psd2Statement {
  /** Role names as written in the certificate (e.g. "PSP_AI"). */
  roles: string[];
  /** Each role's OID and name, to check that the two agree. */
  roleEntries: Psd2RoleEntry[];
  ncaName: string;
  ncaId: string;
}

export interface QcStatementsInfo {
  statementOids: string[];
  compliance: boolean;
  /** QcType OIDs (eseal 0.4.0.1862.1.6.2, web 0.4.0.1862.1.6.3…). */
  qcTypes: string[];
  psd2?: Psd2Statement;
  /** Set when a PSD2 statement is present but does not decode. */
  psd2Error?: string;
}

function parsePsd2Info(info: Asn1): Psd2Statement {
  const parts = sequence(info, 'PSD2 statement');
  if (parts.length !== 3) throw new Asn1ShapeError('PSD2 statement: expected rolesOfPSP, NCAName, NCAId');
  const roleEntries = sequence(parts[0], 'rolesOfPSP').map((role) => {
    const fields = sequence(role, 'RoleOfPSP');
    if (fields.length !== 2) throw new Asn1ShapeError('RoleOfPSP: expected an OID and a name');
    if (!isUniversal(fields[1], Type.UTF8)) throw new Asn1ShapeError('RoleOfPSP: name must be a UTF8String');
    return { oid: oidValue(fields[0], 'role OID'), name: stringValue(fields[1], 'role name') };
  });
  if (!isUniversal(parts[1], Type.UTF8) || !isUniversal(parts[2], Type.UTF8)) {
    throw new Asn1ShapeError('PSD2 statement: NCAName and NCAId must be UTF8Strings');
  }
  return {
    roles: roleEntries.map((r) => r.name),
    roleEntries,
    ncaName: stringValue(parts[1], 'NCAName'),
    ncaId: stringValue(parts[2], 'NCAId'),
  };
}

/** Reads the extnValue of a qcStatements extension. Throws Asn1ShapeError when the outer shape is wrong. */
export function parseQcStatements(extnValue: Buffer | string): QcStatementsInfo {
  const result: QcStatementsInfo = { statementOids: [], compliance: false, qcTypes: [] };
  for (const statement of sequence(parseDer(extnValue), 'QCStatements')) {
    const fields = sequence(statement, 'QCStatement');
    if (fields.length < 1 || fields.length > 2) throw new Asn1ShapeError('QCStatement: expected an id and optional info');
    const id = oidValue(fields[0], 'statementId');
    result.statementOids.push(id);
    if (id === OID.qcCompliance) result.compliance = true;
    else if (id === OID.qcType && fields[1]) {
      for (const t of children(fields[1], 'QcType')) result.qcTypes.push(oidValue(t, 'QcType'));
    } else if (id === OID.psd2Statement) {
      try {
        if (!fields[1]) throw new Asn1ShapeError('PSD2 statement without info');
        result.psd2 = parsePsd2Info(fields[1]);
      } catch (e) {
        result.psd2Error = e instanceof Error ? e.message : String(e);
      }
    }
  }
  return result;
}

/** Why a decoded PSD2 statement breaks TS 119 495 (empty roles, name ≠ OID, bad NCAId), or undefined. */
export function psd2StatementProblem(psd2: Psd2Statement): string | undefined {
  if (psd2.roleEntries.length === 0) return 'rolesOfPSP is empty';
  for (const role of psd2.roleEntries) {
    const expected = psd2RoleName(role.oid);
    if (expected !== undefined && expected !== role.name) {
      return `role ${role.oid} is named "${role.name}", expected "${expected}"`;
    }
  }
  if (!/^[A-Z]{2}-[A-Z]{2,8}$/.test(psd2.ncaId)) return `NCAId "${psd2.ncaId}" is not CC-XXXX`;
  if (psd2.ncaName.length === 0) return 'NCAName is empty';
  return undefined;
}
