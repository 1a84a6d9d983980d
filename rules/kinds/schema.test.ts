import { describe, expect, it } from 'vitest';
import { anchorPattern, SPEC_SCHEMA_ID } from '../../schemas/json-schema.js';
import { exchange, run, testKind } from '../testing.js';
import { schema } from './schema.js';

const defs = { currencyCode: { type: 'string', pattern: anchorPattern('[A-Z]{3}') } };
const params = {
  schema: { type: 'object', required: ['currency'], properties: { currency: { $ref: `${SPEC_SCHEMA_ID}#/$defs/currencyCode` } } },
  source: 'test',
};

describe('schema', () => {
  it('passes a valid body, extra vendor fields included', () => {
    expect(run(schema, params, [exchange({ currency: 'EUR', 'x-vendor': 1 })], defs).violations).toHaveLength(0);
  });
  it('reports each schema error with its path (patterns anchored: EURO fails)', () => {
    const o = run(schema, params, [exchange({ currency: 'EURO' })], defs);
    expect(o.violations[0]).toMatchObject({ instancePath: '/currency' });
    expect(run(schema, params, [exchange({})], defs).violations).toHaveLength(1);
  });
});

testKind(schema, {
  valid: [{ name: 'a body that validates, vendor fields included', params, defs, exchanges: [exchange({ currency: 'EUR', 'x-vendor': 1 })] }],
  invalid: [{ name: 'a code outside the anchored pattern', params, defs, exchanges: [exchange({ currency: 'EURO' })], errors: [/pattern/] }],
});
