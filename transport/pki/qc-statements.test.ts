import { describe, expect, it } from 'vitest';
import { der, toDerBuffer } from './asn1.js';
import { OID } from './oids.js';
import { buildQcStatementsDer, parseQcStatements, psd2Roles, psd2StatementProblem } from './qc-statements.js';

const psd2 = { roles: psd2Roles('PSP_AI', 'PSP_PI'), ncaName: 'Finanstilsynet', ncaId: 'NO-FSA' };

describe('qcStatements', () => {
  it('builds QcCompliance, QcType and the PSD2 statement and reads them back', () => {
    const parsed = parseQcStatements(buildQcStatementsDer({ compliance: true, qcType: 'eseal', psd2 }));
    expect(parsed.statementOids).toEqual([OID.qcCompliance, OID.qcType, OID.psd2Statement]);
    expect(parsed.compliance).toBe(true);
    expect(parsed.qcTypes).toEqual([OID.qcTypeEseal]);
    expect(parsed.psd2).toEqual({
      roles: ['PSP_AI', 'PSP_PI'],
      roleEntries: [
        { oid: '0.4.0.19495.1.3', name: 'PSP_AI' },
        { oid: '0.4.0.19495.1.2', name: 'PSP_PI' },
      ],
      ncaName: 'Finanstilsynet',
      ncaId: 'NO-FSA',
    });
    expect(psd2StatementProblem(parsed.psd2!)).toBeUndefined();
  });

  it('writes the DER the reference describes', () => {
    const bytes = buildQcStatementsDer({ psd2: { roles: psd2Roles('PSP_AI'), ncaName: 'N', ncaId: 'NO-FSA' } });
    // SEQ{ SEQ{ OID 0.4.0.19495.2, SEQ{ SEQ{ SEQ{ OID, UTF8 "PSP_AI" } }, UTF8, UTF8 } } }
    expect(bytes.toString('hex')).toBe(
      ['302c', '302a', '0606040081982702', '3020', '3013', '3011', '06070400819827', '0103', '0c065053505f4149', '0c014e', '0c064e4f2d465341'].join(''),
    );
  });

  it('flags PSD2 statements that break TS 119 495', () => {
    expect(psd2StatementProblem({ ...psd2, roles: [], roleEntries: [] })).toMatch(/empty/);
    expect(psd2StatementProblem({ ...psd2, roleEntries: [{ oid: '0.4.0.19495.1.3', name: 'PSP_PI' }], roles: ['PSP_PI'] })).toMatch(/named/);
    expect(psd2StatementProblem({ ...psd2, roles: ['PSP_AI', 'PSP_PI'], roleEntries: psd2.roles, ncaId: 'Finanstilsynet' })).toMatch(/NCAId/);
  });

  it('keeps a malformed PSD2 statement apart from a malformed extension', () => {
    const badPsd2 = toDerBuffer(der.seq([der.seq([der.oid(OID.psd2Statement), der.seq([der.utf8('x')])])]));
    const parsed = parseQcStatements(badPsd2);
    expect(parsed.psd2).toBeUndefined();
    expect(parsed.psd2Error).toBeTruthy();
    expect(() => parseQcStatements(Buffer.from('0403010203', 'hex'))).toThrow(/QCStatements: expected a SEQUENCE/);
    expect(() => parseQcStatements(Buffer.from('30', 'hex'))).toThrow(/not valid DER/);
  });
});
