// Unit test of specs/profiles/handelsbanken/openapi.yaml (card-conformance's model of Handelsbanken's Card
// Account Information API) and of specs/profiles/bits-no/overlay.yaml against the Berlin Group document:
// what the catalogues depend on (refs resolve, limits and shapes from the reference) and that the
// shipped examples are valid under their own schemas.
import { describe, expect, it } from 'vitest';
import type { OpenAPIV3 } from 'openapi-types';
import { loadProfile } from '../config/profile.js';
import { projectPath } from '../core/paths.js';
import { componentDefs, toJsonSchema } from '../schemas/json-schema.js';
import { loadOverlay } from '../schemas/overlay.js';
import { loadProfileSpec } from '../schemas/load-profile-spec.js';
import { resolvePointer } from '../schemas/refs.js';
import { isObject, loadSpecDocument } from '../schemas/spec-document.js';
import { SchemaValidators } from '../schemas/validators.js';
import { selectAll } from '../rules/select.js';

const spec = loadSpecDocument(projectPath('specs', 'profiles', 'handelsbanken', 'openapi.yaml'));
const doc = spec.document as OpenAPIV3.Document;
const schemas = doc.components!.schemas as Record<string, OpenAPIV3.SchemaObject>;

/** Every object of the document with its pointer (examples are data: not entered). */
function nodes(node: unknown, pointer = '#', out: { pointer: string; node: Record<string, unknown> }[] = []): typeof out {
  if (Array.isArray(node)) node.forEach((v, i) => nodes(v, `${pointer}/${i}`, out));
  else if (isObject(node)) {
    out.push({ pointer, node });
    for (const [k, v] of Object.entries(node)) if (k !== 'example') nodes(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  }
  return out;
}
const ALL = nodes(doc);

describe('specs/profiles/handelsbanken/openapi.yaml', () => {
  it('resolves every $ref, never puts keywords beside one, anchors every pattern, never closes an object', () => {
    const refs = ALL.filter((n) => typeof n.node.$ref === 'string');
    expect(refs.length).toBeGreaterThan(50);
    expect(refs.filter((n) => resolvePointer(doc, n.node.$ref as string) === undefined).map((n) => n.pointer)).toEqual([]);
    expect(refs.filter((n) => Object.keys(n.node).length > 1).map((n) => n.pointer)).toEqual([]);
    for (const n of ALL.filter((x) => typeof x.node.pattern === 'string')) expect(n.node.pattern, n.pointer).toMatch(/^\^.*\$$/);
    expect(ALL.filter((n) => n.node.additionalProperties === false).map((n) => n.pointer)).toEqual([]);
    expect(
      Object.entries(schemas)
        .filter(([, s]) => typeof s.description !== 'string')
        .map(([n]) => n),
    ).toEqual([]);
  });

  it('has the shape the portal shows: accountId, nested cards[].maskedPan, number amounts', () => {
    expect(schemas.cardAccount!.required).toEqual(['accountId', 'currency']);
    expect(Object.keys(schemas.cardAccount!.properties!)).toEqual(
      expect.arrayContaining(['accountId', 'cards', 'currency', 'product', 'creditLimit', 'balances']),
    );
    expect(schemas.cardAccount!.properties).not.toHaveProperty('maskedPan');
    expect(schemas.cardAccount!.properties).not.toHaveProperty('resourceId');
    expect(schemas.card!.required).toEqual(['maskedPan']);
    expect(schemas.amountValue!.type).toBe('number');
    expect(schemas.amount!.required).toEqual(['currency', 'amount']);
  });

  it('has the live shapes: card holders, its own balance codes, one flat transaction list with status and creditDebit', () => {
    expect(Object.keys(schemas.card!.properties!)).toEqual(['maskedPan', 'name']);
    expect(schemas.balanceType!.enum).toEqual(['AVAILABLE_AMOUNT', 'CURRENT']);
    expect(schemas.cardAccountTransactionsResponse!.required).toEqual(['transactions']);
    expect(schemas.transaction!.required).toEqual(['status', 'creditDebit', 'transactionAmount']);
    expect(Object.keys(schemas.transaction!.properties!)).toEqual([
      'transactionDate',
      'bookingDate',
      'status',
      'creditDebit',
      'transactionAmount',
      'transactionDetails',
      'card',
    ]);
    expect(schemas.transactionStatus!.enum).toEqual(['BOOKED', 'PENDING']);
    expect(schemas.creditDebit!.enum).toEqual(['DEBITED', 'CREDITED']);
    expect(schemas).not.toHaveProperty('cardTransaction');
  });

  it("the profile's selectors split the flat list into booked and pending entries, keeping their positions", () => {
    const profile = loadProfile('handelsbanken');
    const body = {
      transactions: [
        { status: 'PENDING', transactionDate: '2024-05-13' },
        { status: 'BOOKED', bookingDate: '2024-05-14' },
        { status: 'BOOKED', bookingDate: '2024-05-10' },
      ],
    };
    expect(selectAll(body, `${profile.transactions.booked}/*`).map((i) => i.pointer)).toEqual(['/transactions/1', '/transactions/2']);
    expect(selectAll(body, `${profile.transactions.pending}/*`).map((i) => i.pointer)).toEqual(['/transactions/0']);
    expect(selectAll(body, `${profile.transactions.booked}/*/${profile.transactions.bookingDate}`).map((i) => i.value)).toEqual(['2024-05-14', '2024-05-10']);
    expect(selectAll({ transactions: 'not a list' }, `${profile.transactions.booked}/*`)).toEqual([]);
    expect(selectAll(body, profile.accountIds)).toEqual([]);
  });

  it('describes only the four card reads (consents are a separate API)', () => {
    const ops = Object.entries(doc.paths).flatMap(([path, item]) =>
      Object.entries(item!).map(([m, o]) => `${m.toUpperCase()} ${path} ${(o as OpenAPIV3.OperationObject).operationId}`),
    );
    expect(ops).toEqual([
      'GET /v1/card-accounts getCardAccounts',
      'GET /v1/card-accounts/{accountId} getCardAccount',
      'GET /v1/card-accounts/{accountId}/balances getCardAccountBalances',
      'GET /v1/card-accounts/{accountId}/transactions getCardAccountTransactions',
    ]);
    const profile = loadProfile('handelsbanken');
    expect(Object.values(profile.operations).filter(Boolean).sort()).toEqual([
      'getCardAccount',
      'getCardAccountBalances',
      'getCardAccountTransactions',
      'getCardAccounts',
    ]);
  });

  it('every example validates against its own schema', () => {
    const validators = new SchemaValidators(componentDefs(spec));
    const examples = ALL.filter((n) => n.node.example !== undefined && (n.node.schema !== undefined || n.pointer.includes('/schemas/')));
    expect(examples.length).toBeGreaterThan(5);
    for (const { pointer, node } of examples) {
      const schema = node.schema !== undefined ? node.schema : node;
      expect(validators.validate(toJsonSchema(schema, spec.dialect), node.example), pointer).toEqual([]);
    }
  });
});

describe('specs/profiles/bits-no/overlay.yaml', () => {
  it('is a valid Overlay 1.0.0 document whose every action fits the Berlin Group document', () => {
    const overlay = loadOverlay(projectPath('specs', 'profiles', 'bits-no', 'overlay.yaml'));
    expect(overlay.actions.length).toBeGreaterThanOrEqual(10);
    const bits = loadProfileSpec(loadProfile('bits-no'));
    const s = (bits.document as OpenAPIV3.Document).components!.schemas as Record<string, OpenAPIV3.SchemaObject>;
    expect(s.maskedPan!.maxLength).toBe(16);
    expect(s.ownerName!.maxLength).toBe(140);
    expect((s.cardAccountDetails!.properties!.product as OpenAPIV3.SchemaObject).maxLength).toBe(35);
    expect(s.hrefType!.properties).toHaveProperty('verbs');
    const param = (bits.document as OpenAPIV3.Document).components!.parameters!['x-accept-fix'] as OpenAPIV3.ParameterObject;
    expect(param).toMatchObject({ name: 'x-accept-fix', in: 'header', required: true });
    // Every operation carries it once.
    for (const item of Object.values(bits.document.paths ?? {})) {
      for (const op of Object.values(item!).filter(isObject)) {
        const refs = ((op as OpenAPIV3.OperationObject).parameters ?? []).filter((p) => '$ref' in p && p.$ref === '#/components/parameters/x-accept-fix');
        expect(refs).toHaveLength(1);
      }
    }
  });
});
