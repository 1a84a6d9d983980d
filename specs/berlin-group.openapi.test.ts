// Unit test of specs/berlin-group.openapi.yaml: card-conformance's own OpenAPI description of the
// Berlin Group NextGenPSD2 1.3.12 card-account service. The rule catalogue is generated from that
// file, so this test pins what the catalogue depends on: refs resolve, the eight operations exist
// with the official ids, the required fields / limits / enums of the standard are there, every
// pattern is anchored, and every example validates against its own schema.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it, expect } from 'vitest';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Obj = { [key: string]: Json };

const SPEC_FILE = fileURLToPath(new URL('./berlin-group.openapi.yaml', import.meta.url));
const SPEC_TEXT = readFileSync(SPEC_FILE, 'utf8');
const doc = parse(SPEC_TEXT) as Obj;

const AIS_TAG = 'Account Information Service (AIS)';
const ERROR_WITH_BODY = ['400', '401', '403', '404', '405', '406', '409', '429'];
const ERROR_WITHOUT_BODY = ['408', '415', '500', '503'];

// ---------------------------------------------------------------------------------------------
// helpers

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const escapePointer = (part: string): string => part.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapePointer = (part: string): string => part.replace(/~1/g, '/').replace(/~0/g, '~');

/** The value at a local ref / JSON pointer ("#/components/schemas/amount"), or undefined. */
function at(ref: string): Json | undefined {
  if (!ref.startsWith('#')) return undefined;
  let node: Json | undefined = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const part = unescapePointer(raw);
    if (Array.isArray(node)) node = node[Number(part)];
    else if (isObj(node)) node = node[part];
    else return undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Follows $ref chains to the referenced object. */
function deref(node: Json | undefined): Obj {
  let cur = node;
  for (let hops = 0; isObj(cur) && typeof cur.$ref === 'string'; hops++) {
    if (hops > 20) throw new Error(`$ref loop at ${cur.$ref}`);
    const next = at(cur.$ref);
    if (next === undefined) throw new Error(`unresolved $ref ${cur.$ref}`);
    cur = next;
  }
  if (!isObj(cur)) throw new Error('not an object');
  return cur;
}

/** The schemas a schema is made of: itself (dereferenced) plus its allOf members, recursively. */
function parts(schema: Json | undefined): Obj[] {
  const s = deref(schema);
  const out = [s];
  if (Array.isArray(s.allOf)) for (const member of s.allOf) out.push(...parts(member));
  return out;
}

/** Merged view of a schema: required names, properties, items (through $ref and allOf). */
function view(schema: Json | undefined): { required: string[]; properties: Obj; items?: Json; merged: Obj } {
  const required: string[] = [];
  const properties: Obj = {};
  let items: Json | undefined;
  const merged: Obj = {};
  for (const p of parts(schema)) {
    if (Array.isArray(p.required)) required.push(...(p.required as string[]));
    if (isObj(p.properties)) Object.assign(properties, p.properties);
    if (p.items !== undefined) items = p.items;
    for (const [k, v] of Object.entries(p)) if (!['allOf', 'required', 'properties'].includes(k)) merged[k] = v;
  }
  return { required, properties, items, merged };
}

/** The sub-schema at a dotted path; "x[]" steps into the items of array property x, "[]" into items. */
function schemaAt(root: Json | undefined, path: string): Json {
  let cur: Json | undefined = root;
  if (path === '') return cur as Json;
  for (const step of path.split('.')) {
    const name = step.endsWith('[]') ? step.slice(0, -2) : step;
    if (name !== '') {
      const props = view(cur).properties;
      if (!(name in props)) throw new Error(`no property "${name}" on the way to "${path}"`);
      cur = props[name];
    }
    if (step.endsWith('[]')) {
      const items = view(cur).items;
      if (items === undefined) throw new Error(`"${step}" is not an array on the way to "${path}"`);
      cur = items;
    }
  }
  return cur as Json;
}

interface Visit {
  node: Obj | Json[];
  pointer: string;
  key: string | undefined;
}

/**
 * Every object and array of the document with its JSON pointer. Example values are not
 * entered (they are data, not description), except that a property *named* "example" would be.
 */
function walk(node: Json, pointer = '#', key?: string, out: Visit[] = []): Visit[] {
  if (Array.isArray(node)) {
    out.push({ node, pointer, key });
    node.forEach((child, i) => walk(child, `${pointer}/${i}`, String(i), out));
  } else if (isObj(node)) {
    out.push({ node, pointer, key });
    for (const [k, child] of Object.entries(node)) {
      if ((k === 'example' || k === 'examples') && key !== 'properties') continue;
      walk(child, `${pointer}/${escapePointer(k)}`, k, out);
    }
  }
  return out;
}
const NODES = walk(doc);

const paths = doc.paths as Obj;
const op = (method: string, path: string): Obj => deref((paths[path] as Obj)[method]);
const successSchema = (operation: Obj, code = '200'): Json | undefined =>
  ((deref((operation.responses as Obj)[code]).content as Obj)['application/json'] as Obj).schema;
const paramsOf = (operation: Obj): Obj[] => (operation.parameters as Json[]).map((p) => deref(p));
const param = (operation: Obj, name: string, where = 'header'): Obj | undefined =>
  paramsOf(operation).find((p) => p.in === where && typeof p.name === 'string' && p.name.toLowerCase() === name.toLowerCase());

const OPERATIONS = [
  { id: 'getCardAccountList', method: 'get', path: '/v1/card-accounts', success: '200', card: true },
  { id: 'readCardAccountDetails', method: 'get', path: '/v1/card-accounts/{account-id}', success: '200', card: true },
  { id: 'getCardAccountBalances', method: 'get', path: '/v1/card-accounts/{account-id}/balances', success: '200', card: true },
  { id: 'getCardAccountTransactionList', method: 'get', path: '/v1/card-accounts/{account-id}/transactions', success: '200', card: true },
  { id: 'createConsent', method: 'post', path: '/v1/consents', success: '201', card: false },
  { id: 'getConsentInformation', method: 'get', path: '/v1/consents/{consentId}', success: '200', card: false },
  { id: 'getConsentStatus', method: 'get', path: '/v1/consents/{consentId}/status', success: '200', card: false },
  { id: 'deleteConsent', method: 'delete', path: '/v1/consents/{consentId}', success: '204', card: false },
] as const;
const CARD_OPERATIONS = OPERATIONS.filter((o) => o.card);

function makeAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // The whole document is one schema resource "doc": its "#/components/schemas/x" refs resolve
  // against it, and any sub-schema can be addressed as doc#<pointer>.
  ajv.addSchema(doc, 'doc');
  return ajv;
}
const ajv = makeAjv();
const validatorAt = (pointer: string) => {
  const fragment = pointer
    .slice(1)
    .split('/')
    .map((p) => encodeURIComponent(p))
    .join('/');
  const validate = ajv.getSchema(`doc#${fragment}`);
  if (!validate) throw new Error(`ajv cannot resolve ${pointer}`);
  return validate;
};
const schemaValidator = (name: string) => validatorAt(`#/components/schemas/${name}`);

// ---------------------------------------------------------------------------------------------

describe('specs/berlin-group.openapi.yaml: document', () => {
  it('parses as OpenAPI 3.0.3 with the agreed info, externalDocs, servers and security scheme', () => {
    expect(doc.openapi).toBe('3.0.3');
    const info = doc.info as Obj;
    expect(info.title).toBe('NextGenPSD2 XS2A Framework: card accounts and consents');
    expect(info.version).toBe('1.3.12_2022-07-01');
    expect(info.description).toMatch(/card-conformance's own/);
    expect((doc.externalDocs as Obj).url).toBe('https://www.berlin-group.org/nextgenpsd2-downloads');
    expect(doc.servers).toEqual([{ url: '/' }]);
    const schemes = (doc.components as Obj).securitySchemes as Obj;
    expect(schemes.BearerAuthOAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it('resolves every $ref within the document', () => {
    const refs = NODES.filter((v) => isObj(v.node) && typeof v.node.$ref === 'string').map((v) => ({ at: v.pointer, ref: (v.node as Obj).$ref as string }));
    expect(refs.length).toBeGreaterThan(100);
    const broken = refs.filter((r) => !r.ref.startsWith('#/') || at(r.ref) === undefined);
    expect(broken).toEqual([]);
  });

  it('never puts other keywords next to a $ref (OpenAPI 3.0 ignores them)', () => {
    const withSiblings = NODES.filter((v) => isObj(v.node) && '$ref' in v.node && Object.keys(v.node).length > 1).map((v) => v.pointer);
    expect(withSiblings).toEqual([]);
  });

  it('anchors every pattern with ^...$ and every pattern compiles as a unicode RegExp', () => {
    const patterns = NODES.filter((v) => isObj(v.node) && typeof v.node.pattern === 'string' && v.key !== 'properties').map((v) => ({
      at: v.pointer,
      pattern: (v.node as Obj).pattern as string,
    }));
    expect(patterns.length).toBeGreaterThanOrEqual(7);
    for (const { at: where, pattern } of patterns) {
      expect(pattern.startsWith('^'), `${where}: ${pattern}`).toBe(true);
      expect(pattern.endsWith('$'), `${where}: ${pattern}`).toBe(true);
      expect(() => new RegExp(pattern, 'u'), `${where}: ${pattern}`).not.toThrow();
    }
  });

  it('never sets additionalProperties: false (vendor extensions are legal)', () => {
    const closed = NODES.filter((v) => isObj(v.node) && v.node.additionalProperties === false).map((v) => v.pointer);
    expect(closed).toEqual([]);
  });

  it('gives every component schema and every operation a description', () => {
    const schemas = (doc.components as Obj).schemas as Obj;
    const undescribed = Object.entries(schemas)
      .filter(([, s]) => !(isObj(s) && typeof s.description === 'string'))
      .map(([name]) => name);
    expect(undescribed).toEqual([]);
    for (const o of OPERATIONS) expect(typeof op(o.method, o.path).description, o.id).toBe('string');
  });

  it('has the official component schema names', () => {
    const schemas = Object.keys((doc.components as Obj).schemas as Obj);
    const expected = [
      'cardAccountList',
      'cardAccountDetails',
      'readCardAccountBalanceResponse-200',
      'cardAccountsTransactionsResponse200',
      'cardAccountReport',
      'cardTransactionList',
      'cardTransaction',
      'reportExchangeRateList',
      'reportExchangeRate',
      'address',
      'balanceList',
      'balance',
      'balanceType',
      'amount',
      'amountValue',
      'currencyCode',
      'accountStatus',
      'accountReference',
      'otherType',
      'hrefType',
      'hrefEntry',
      '_linksAccountDetails',
      '_linksCardAccountReport',
      '_linksDownload',
      '_linksConsents',
      '_linksGetConsent',
      '_linksAll',
      'tppMessageText',
      'consents',
      'accountAccess',
      'consentsResponse-201',
      'consentStatus',
      'consentStatusResponse-200',
      'consentInformationResponse-200_json',
      'scaStatus',
      'psuMessage',
    ];
    for (const code of ERROR_WITH_BODY) {
      expected.push(`tppMessage${code}_AIS`, `MessageCode${code}_AIS`, `Error${code}_NG_AIS`, `Error${code}_AIS`);
    }
    expect(schemas).toEqual(expect.arrayContaining(expected));
  });
});

describe('specs/berlin-group.openapi.yaml: operations', () => {
  it('has exactly the eight operations with the official ids, methods and paths', () => {
    const found: string[] = [];
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, operation] of Object.entries(item as Obj)) {
        if (isObj(operation) && typeof operation.operationId === 'string') found.push(`${method.toUpperCase()} ${path} ${operation.operationId}`);
      }
    }
    expect(found.sort()).toEqual(OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path} ${o.id}`).sort());
  });

  it.each(OPERATIONS)('$id: tag, security, success and error responses', (o) => {
    const operation = op(o.method, o.path);
    expect(operation.tags).toEqual([AIS_TAG]);
    expect(operation.security).toEqual([{}, { BearerAuthOAuth: [] }]);
    const responses = operation.responses as Obj;
    expect(Object.keys(responses).sort()).toEqual([o.success, ...ERROR_WITH_BODY, ...ERROR_WITHOUT_BODY].sort());

    const success = deref(responses[o.success]);
    const xRequestId = deref((success.headers as Obj)['X-Request-ID']);
    expect(xRequestId.required).toBe(true);
    expect(xRequestId.schema).toEqual({ type: 'string', format: 'uuid' });
    if (o.success === '204') expect(success.content).toBeUndefined();
    else expect(Object.keys(success.content as Obj)).toEqual(['application/json']);

    for (const code of [...ERROR_WITH_BODY, ...ERROR_WITHOUT_BODY]) {
      const response = deref(responses[code]);
      const headers = response.headers as Obj;
      expect(deref(headers['X-Request-ID']).required, `${code} X-Request-ID`).toBe(true);
      expect(deref(headers.Location).required, `${code} Location`).not.toBe(true);
      if (ERROR_WITHOUT_BODY.includes(code)) {
        expect(response.content, code).toBeUndefined();
        continue;
      }
      const content = response.content as Obj;
      expect(Object.keys(content).sort()).toEqual(['application/json', 'application/problem+json']);
      expect((content['application/json'] as Obj).schema).toEqual({ $ref: `#/components/schemas/Error${code}_NG_AIS` });
      expect((content['application/problem+json'] as Obj).schema).toEqual({ $ref: `#/components/schemas/Error${code}_AIS` });
    }
  });

  it.each(CARD_OPERATIONS)('$id: required headers and path parameter', (o) => {
    const operation = op(o.method, o.path);
    expect(param(operation, 'X-Request-ID')).toMatchObject({ required: true, schema: { type: 'string', format: 'uuid' } });
    expect(param(operation, 'Consent-ID')).toMatchObject({ required: true, schema: { type: 'string' } });
    for (const optional of [
      'Digest',
      'Signature',
      'TPP-Signature-Certificate',
      'PSU-IP-Address',
      'PSU-IP-Port',
      'PSU-Accept',
      'PSU-Accept-Charset',
      'PSU-Accept-Encoding',
      'PSU-Accept-Language',
      'PSU-User-Agent',
      'PSU-Http-Method',
      'PSU-Device-ID',
      'PSU-Geo-Location',
    ]) {
      expect(param(operation, optional)?.required, optional).toBe(false);
    }
    expect(param(operation, 'TPP-Signature-Certificate')?.schema).toEqual({ type: 'string', format: 'byte' });
    expect(param(operation, 'PSU-IP-Address')?.schema).toEqual({ type: 'string', format: 'ipv4' });
    expect(param(operation, 'PSU-Device-ID')?.schema).toEqual({ type: 'string', format: 'uuid' });
    expect((param(operation, 'PSU-Http-Method')?.schema as Obj | undefined)?.enum).toEqual(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']);
    expect(param(operation, 'Authorization')).toBeUndefined();
    expect(param(operation, 'Accept')).toBeUndefined();
    if (o.path.includes('{account-id}')) {
      expect(param(operation, 'account-id', 'path')).toMatchObject({ required: true, schema: { type: 'string' } });
    }
    if (o.id === 'getCardAccountList') expect(paramsOf(operation).filter((p) => p.in === 'query')).toEqual([]);
  });

  it('getCardAccountTransactionList: query parameters', () => {
    const operation = op('get', '/v1/card-accounts/{account-id}/transactions');
    const query = Object.fromEntries(
      paramsOf(operation)
        .filter((p) => p.in === 'query')
        .map((p) => [p.name as string, p]),
    );
    expect(Object.keys(query).sort()).toEqual(['bookingStatus', 'dateFrom', 'dateTo', 'deltaList', 'entryReferenceFrom']);
    expect(query.bookingStatus).toMatchObject({ required: true, schema: { type: 'string', enum: ['booked', 'pending', 'both'] } });
    expect(query.dateFrom).toMatchObject({ required: false, schema: { type: 'string', format: 'date' } });
    expect(query.dateTo).toMatchObject({ required: false, schema: { type: 'string', format: 'date' } });
    expect(query.entryReferenceFrom).toMatchObject({ required: false, schema: { type: 'string' } });
    expect(query.deltaList).toMatchObject({ required: false, schema: { type: 'boolean' } });
  });

  it('createConsent: PSU-IP-Address mandatory, TPP headers, body and 201 headers', () => {
    const operation = op('post', '/v1/consents');
    expect(param(operation, 'X-Request-ID')?.required).toBe(true);
    expect(param(operation, 'PSU-IP-Address')).toMatchObject({ required: true, schema: { type: 'string', format: 'ipv4' } });
    expect(param(operation, 'Consent-ID')).toBeUndefined();
    for (const name of [
      'PSU-ID',
      'PSU-ID-Type',
      'PSU-Corporate-ID',
      'PSU-Corporate-ID-Type',
      'TPP-Redirect-Preferred',
      'TPP-Decoupled-Preferred',
      'TPP-Redirect-URI',
      'TPP-Nok-Redirect-URI',
      'TPP-Explicit-Authorisation-Preferred',
      'TPP-Brand-Logging-Information',
      'TPP-Notification-URI',
      'TPP-Notification-Content-Preferred',
      'Digest',
      'Signature',
      'TPP-Signature-Certificate',
      'PSU-Geo-Location',
    ]) {
      expect(param(operation, name)?.required, name).toBe(false);
    }
    expect((param(operation, 'TPP-Redirect-Preferred')?.schema as Obj | undefined)?.type).toBe('boolean');
    expect((param(operation, 'TPP-Redirect-URI')?.schema as Obj | undefined)?.format).toBe('uri');
    const body = deref(operation.requestBody);
    expect(body.required).toBe(true);
    expect(((body.content as Obj)['application/json'] as Obj).schema).toEqual({ $ref: '#/components/schemas/consents' });
    const created = deref((operation.responses as Obj)['201']);
    const headers = created.headers as Obj;
    expect(Object.keys(headers)).toEqual(expect.arrayContaining(['Location', 'X-Request-ID', 'ASPSP-SCA-Approach']));
    expect((deref(headers['ASPSP-SCA-Approach']).schema as Obj).enum).toEqual(['EMBEDDED', 'DECOUPLED', 'REDIRECT']);
  });

  it.each(['getConsentInformation', 'getConsentStatus', 'deleteConsent'])('%s: consentId path parameter, PSU-IP-Address optional', (id) => {
    const o = OPERATIONS.find((x) => x.id === id)!;
    const operation = op(o.method, o.path);
    expect(param(operation, 'consentId', 'path')).toMatchObject({ required: true, schema: { type: 'string' } });
    expect(param(operation, 'X-Request-ID')?.required).toBe(true);
    expect(param(operation, 'PSU-IP-Address')?.required).toBe(false);
  });
});

describe('specs/berlin-group.openapi.yaml: response schemas of the card GETs', () => {
  const schemaOf = (id: string): Json => {
    const o = OPERATIONS.find((x) => x.id === id);
    if (!o) throw new Error(`no operation ${id} in OPERATIONS`);
    const schema = successSchema(op(o.method, o.path), o.success);
    if (schema === undefined) throw new Error(`${id}: no application/json schema for ${o.success}`);
    return schema;
  };
  const required = (root: Json, path: string): string[] => view(schemaAt(root, path)).required.sort();

  const AMOUNT = ['amount', 'currency'];
  const BALANCE = ['balanceAmount', 'balanceType'];
  const CARD_ACCOUNT = ['currency', 'maskedPan'];
  const EXCHANGE_RATE = ['exchangeRate', 'quotationDate', 'sourceCurrency', 'targetCurrency', 'unitCurrency'];

  const cases: Array<[string, string, string[]]> = [
    ['getCardAccountList', '', ['cardAccounts']],
    ['getCardAccountList', 'cardAccounts[]', CARD_ACCOUNT],
    ['getCardAccountList', 'cardAccounts[].creditLimit', AMOUNT],
    ['getCardAccountList', 'cardAccounts[].balances[]', BALANCE],
    ['getCardAccountList', 'cardAccounts[].balances[].balanceAmount', AMOUNT],
    ['readCardAccountDetails', '', ['cardAccount']],
    ['readCardAccountDetails', 'cardAccount', CARD_ACCOUNT],
    ['readCardAccountDetails', 'cardAccount.creditLimit', AMOUNT],
    ['readCardAccountDetails', 'cardAccount.balances[]', BALANCE],
    ['readCardAccountDetails', 'cardAccount.balances[].balanceAmount', AMOUNT],
    ['getCardAccountBalances', '', ['balances']],
    ['getCardAccountBalances', 'balances[]', BALANCE],
    ['getCardAccountBalances', 'balances[].balanceAmount', AMOUNT],
    ['getCardAccountBalances', 'cardAccount', []],
    ['getCardAccountTransactionList', '', []],
    ['getCardAccountTransactionList', 'cardTransactions', ['_links']],
    ['getCardAccountTransactionList', '_links', ['download']],
    ['getCardAccountTransactionList', 'balances[]', BALANCE],
    ...(['booked', 'pending'] as const).flatMap((list): Array<[string, string, string[]]> => [
      ['getCardAccountTransactionList', `cardTransactions.${list}[]`, ['transactionAmount']],
      ['getCardAccountTransactionList', `cardTransactions.${list}[].transactionAmount`, AMOUNT],
      ['getCardAccountTransactionList', `cardTransactions.${list}[].grandTotalAmount`, AMOUNT],
      ['getCardAccountTransactionList', `cardTransactions.${list}[].originalAmount`, AMOUNT],
      ['getCardAccountTransactionList', `cardTransactions.${list}[].markupFee`, AMOUNT],
      ['getCardAccountTransactionList', `cardTransactions.${list}[].currencyExchange[]`, EXCHANGE_RATE],
      ['getCardAccountTransactionList', `cardTransactions.${list}[].cardAcceptorAddress`, ['country']],
    ]),
  ];

  it.each(cases)('%s %s requires %j', (id, path, expected) => {
    expect(required(schemaOf(id), path)).toEqual([...expected].sort());
  });

  it('models every amount as an object whose amount is an anchored string, never a number', () => {
    const amount = view(at('#/components/schemas/amount'));
    expect(amount.merged.type).toBe('object');
    const value = view(amount.properties.amount).merged;
    expect(value).toMatchObject({ type: 'string', pattern: '^-?[0-9]{1,14}(\\.[0-9]{1,3})?$' });
    expect(value.description).toMatch(/minor units/);
    expect(view(amount.properties.currency).merged).toMatchObject({ type: 'string', pattern: '^[A-Z]{3}$' });
  });

  const limits: Array<[string, string, number]> = [
    ['cardAccountDetails', 'maskedPan', 35],
    ['cardAccountDetails', 'ownerName', 140],
    ['cardAccountDetails', 'name', 70],
    ['cardAccountDetails', 'displayName', 70],
    ['cardAccountDetails', 'product', 35],
    ['cardAccountDetails', 'usage', 4],
    ['cardAccountDetails', 'details', 1000],
    ['cardTransaction', 'cardTransactionId', 35],
    ['cardTransaction', 'terminalId', 35],
    ['cardTransaction', 'transactionDetails', 1000],
    ['cardTransaction', 'cardAcceptorId', 35],
    ['cardTransaction', 'maskedPAN', 35],
    ['cardTransaction', 'proprietaryBankTransactionCode', 35],
    ['cardTransaction', 'merchantCategoryCode', 4],
    ['reportExchangeRate', 'contractIdentification', 35],
    ['balance', 'lastCommittedTransaction', 35],
    ['address', 'streetName', 70],
    ['accountReference', 'maskedPan', 35],
    ['accountReference', 'pan', 35],
    ['accountReference', 'msisdn', 35],
    ['otherType', 'identification', 35],
    ['otherType', 'schemeNameCode', 35],
    ['otherType', 'schemeNameProprietary', 35],
    ['otherType', 'issuer', 35],
    ['tppMessage401_AIS', 'text', 500],
    ['consentStatusResponse-200', 'psuMessage', 500],
    ['Error400_AIS', 'type', 70],
    ['Error400_AIS', 'title', 70],
    ['Error400_AIS', 'detail', 500],
  ];
  it.each(limits)('%s.%s has maxLength %i', (schema, property, max) => {
    const s = view(schemaAt(at(`#/components/schemas/${schema}`), property)).merged;
    expect(s.type).toBe('string');
    expect(s.maxLength).toBe(max);
  });

  it('merchantCategoryCode is exactly 4 characters; usage, status and balanceType are the standard enums', () => {
    const mcc = view(schemaAt(at('#/components/schemas/cardTransaction'), 'merchantCategoryCode')).merged;
    expect([mcc.minLength, mcc.maxLength]).toEqual([4, 4]);
    const details = at('#/components/schemas/cardAccountDetails') as Json;
    expect(view(schemaAt(details, 'usage')).merged.enum).toEqual(['PRIV', 'ORGA']);
    expect(view(schemaAt(details, 'status')).merged.enum).toEqual(['enabled', 'deleted', 'blocked']);
    expect(view(at('#/components/schemas/balanceType') as Json).merged.enum).toEqual([
      'closingBooked',
      'expected',
      'openingBooked',
      'interimAvailable',
      'interimBooked',
      'forwardAvailable',
      'nonInvoiced',
    ]);
  });

  it('uses maskedPAN (capital PAN) in cardTransaction and maskedPan elsewhere', () => {
    expect(Object.keys(view(at('#/components/schemas/cardTransaction') as Json).properties)).toContain('maskedPAN');
    expect(Object.keys(view(at('#/components/schemas/cardTransaction') as Json).properties)).not.toContain('maskedPan');
    expect(Object.keys(view(at('#/components/schemas/cardAccountDetails') as Json).properties)).toContain('maskedPan');
  });

  it('names the card link card-account in _linksGetConsent and cardAccount in the report links', () => {
    expect(Object.keys(view(at('#/components/schemas/_linksGetConsent') as Json).properties)).toEqual(['account', 'card-account']);
    expect(Object.keys(view(at('#/components/schemas/_linksCardAccountReport') as Json).properties)).toContain('cardAccount');
    expect(view(at('#/components/schemas/hrefType') as Json).properties.href).toEqual({ $ref: '#/components/schemas/hrefEntry' });
  });
});

describe('specs/berlin-group.openapi.yaml: errors and consents', () => {
  const ENUMS: Record<string, string[]> = {
    MessageCode400_AIS: [
      'FORMAT_ERROR',
      'PARAMETER_NOT_CONSISTENT',
      'PARAMETER_NOT_SUPPORTED',
      'SERVICE_INVALID',
      'RESOURCE_UNKNOWN',
      'RESOURCE_EXPIRED',
      'RESOURCE_BLOCKED',
      'TIMESTAMP_INVALID',
      'PERIOD_INVALID',
      'SCA_METHOD_UNKNOWN',
      'SCA_INVALID',
      'CONSENT_UNKNOWN',
      'SESSIONS_NOT_SUPPORTED',
    ],
    MessageCode401_AIS: [
      'CERTIFICATE_INVALID',
      'ROLE_INVALID',
      'CERTIFICATE_EXPIRED',
      'CERTIFICATE_BLOCKED',
      'CERTIFICATE_REVOKE',
      'CERTIFICATE_REVOKED',
      'CERTIFICATE_MISSING',
      'SIGNATURE_INVALID',
      'SIGNATURE_MISSING',
      'CORPORATE_ID_INVALID',
      'PSU_CREDENTIALS_INVALID',
      'CONSENT_INVALID',
      'CONSENT_EXPIRED',
      'TOKEN_UNKNOWN',
      'TOKEN_INVALID',
      'TOKEN_EXPIRED',
    ],
    MessageCode403_AIS: ['CONSENT_UNKNOWN', 'SERVICE_BLOCKED', 'RESOURCE_UNKNOWN', 'RESOURCE_EXPIRED'],
    MessageCode404_AIS: ['RESOURCE_UNKNOWN'],
    MessageCode405_AIS: ['SERVICE_INVALID'],
    MessageCode406_AIS: ['REQUESTED_FORMATS_INVALID'],
    MessageCode409_AIS: ['STATUS_INVALID'],
    MessageCode429_AIS: ['ACCESS_EXCEEDED'],
    consentStatus: ['received', 'rejected', 'valid', 'revokedByPsu', 'expired', 'terminatedByTpp', 'partiallyAuthorised'],
    scaStatus: ['received', 'psuIdentified', 'psuAuthenticated', 'scaMethodSelected', 'started', 'unconfirmed', 'finalised', 'failed', 'exempted'],
    tppMessageCategory: ['ERROR', 'WARNING'],
  };
  it.each(Object.entries(ENUMS))('%s has the standard enum', (name, values) => {
    expect(view(at(`#/components/schemas/${name}`) as Json).merged.enum).toEqual(values);
  });

  it('explains the two CERTIFICATE_REVOKE spellings', () => {
    expect(view(at('#/components/schemas/MessageCode401_AIS')).merged.description).toMatch(/CERTIFICATE_REVOKED/);
  });

  it.each(ERROR_WITH_BODY)('HTTP %s: both error shapes with their requirements', (code) => {
    const ng = view(at(`#/components/schemas/Error${code}_NG_AIS`));
    expect(ng.required).toEqual([]);
    expect(Object.keys(ng.properties).sort()).toEqual(['_links', 'tppMessages']);
    const message = schemaAt(at(`#/components/schemas/Error${code}_NG_AIS`), 'tppMessages[]');
    expect(view(message).required.sort()).toEqual(['category', 'code']);
    expect(view(schemaAt(message, 'code')).merged.enum).toEqual(ENUMS[`MessageCode${code}_AIS`]);
    const problem = at(`#/components/schemas/Error${code}_AIS`) as Json;
    expect(view(problem).required.sort()).toEqual(['code', 'type']);
    expect(view(schemaAt(problem, 'type')).merged).toMatchObject({ type: 'string', format: 'uri', maxLength: 70 });
    expect(view(schemaAt(problem, 'additionalErrors[]')).required).toEqual(['code']);
    expect(view(schemaAt(problem, 'additionalErrors[].code')).merged.enum).toEqual(ENUMS[`MessageCode${code}_AIS`]);
  });

  it('consent bodies have their required fields', () => {
    const req = (name: string) => view(at(`#/components/schemas/${name}`)).required.sort();
    expect(req('consents')).toEqual(['access', 'combinedServiceIndicator', 'frequencyPerDay', 'recurringIndicator', 'validUntil']);
    expect(req('accountAccess')).toEqual([]);
    expect(req('consentsResponse-201')).toEqual(['_links', 'consentId', 'consentStatus']);
    expect(req('consentStatusResponse-200')).toEqual(['consentStatus']);
    expect(req('consentInformationResponse-200_json')).toEqual([
      'access',
      'consentStatus',
      'frequencyPerDay',
      'lastActionDate',
      'recurringIndicator',
      'validUntil',
    ]);
    const consents = at('#/components/schemas/consents') as Json;
    expect(view(schemaAt(consents, 'validUntil')).merged).toMatchObject({ type: 'string', format: 'date' });
    expect(view(schemaAt(consents, 'frequencyPerDay')).merged).toMatchObject({ type: 'integer', minimum: 1 });
  });
});

describe('specs/berlin-group.openapi.yaml: examples and validation', () => {
  interface Example {
    where: string;
    schemaPointer: string;
    value: unknown;
  }
  const examples: Example[] = [];
  for (const { node, pointer, key } of NODES) {
    if (!isObj(node) || key === 'properties') continue;
    // A media type, parameter or header carries `schema`; otherwise the object is a schema itself.
    const schemaPointer = 'schema' in node ? `${pointer}/schema` : pointer;
    if ('example' in node) examples.push({ where: `${pointer}/example`, schemaPointer, value: node.example });
    if ('examples' in node && isObj(node.examples) && 'schema' in node) {
      for (const [name, ex] of Object.entries(node.examples)) {
        examples.push({ where: `${pointer}/examples/${name}`, schemaPointer, value: deref(ex).value });
      }
    }
  }

  it('finds examples on schemas, parameters, headers, media types and the request body', () => {
    expect(examples.length).toBeGreaterThan(40);
    expect(examples.some((e) => e.where.includes('/components/schemas/'))).toBe(true);
    expect(examples.some((e) => e.where.includes('/components/parameters/'))).toBe(true);
    expect(examples.some((e) => e.where.includes('/components/headers/'))).toBe(true);
    expect(examples.some((e) => e.where.includes('/components/responses/'))).toBe(true);
    expect(examples.some((e) => e.where.includes('/components/requestBodies/'))).toBe(true);
  });

  it('validates every example against its schema', () => {
    const failures: string[] = [];
    for (const e of examples) {
      const validate = validatorAt(e.schemaPointer);
      if (!validate(e.value)) failures.push(`${e.where}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(failures).toEqual([]);
  });

  it('resolves response and parameter schemas by pointer, and they bite', () => {
    const list = validatorAt('#/components/responses/OK_200_CardAccountList/content/application~1json/schema');
    expect(list({ cardAccounts: [] })).toBe(true);
    expect(list({ cardAccounts: [{ currency: 'EUR' }] })).toBe(false);
    expect(list({ cardAccounts: [{ maskedPan: '123456xxxxxx1234', currency: 'EUR', balances: [{ balanceType: 'closingBooked' }] }] })).toBe(false);
    const problem = validatorAt('#/components/responses/UNAUTHORIZED_401_AIS/content/application~1problem+json/schema');
    expect(problem({ type: 'https://example.com/p', code: 'SIGNATURE_MISSING' })).toBe(true);
    expect(problem({ type: 'not a uri', code: 'SIGNATURE_MISSING' })).toBe(false);
    expect(validatorAt('#/components/parameters/X-Request-ID/schema')('not-a-uuid')).toBe(false);
    expect(validatorAt('#/components/parameters/PSU-Geo-Location/schema')('GEO:52.506931;13.144558')).toBe(true);
    expect(validatorAt('#/components/parameters/PSU-Geo-Location/schema')('xGEO:52.506931;13.144558')).toBe(false);
    expect(validatorAt('#/components/parameters/bookingStatusCard/schema')('information')).toBe(false);
  });

  it('the schemas reject what the standard forbids', () => {
    const amount = schemaValidator('amount');
    expect(amount({ currency: 'EUR', amount: '12.50' })).toBe(true);
    expect(amount({ currency: 'EUR', amount: 12.5 })).toBe(false);
    expect(amount({ currency: 'EURO', amount: '1' })).toBe(false);
    expect(amount({ currency: 'eur', amount: '1' })).toBe(false);
    expect(amount({ currency: 'EUR', amount: '1.2345' })).toBe(false);
    expect(amount({ currency: 'EUR', amount: '1,50' })).toBe(false);
    expect(amount({ currency: 'EUR', amount: '123456789012345' })).toBe(false);
    expect(amount({ currency: 'EUR' })).toBe(false);

    const card = schemaValidator('cardAccountDetails');
    const ok = { maskedPan: '123456xxxxxx1234', currency: 'EUR' };
    expect(card(ok)).toBe(true);
    expect(card({ ...ok, maskedPan: 'x'.repeat(36) })).toBe(false);
    expect(card({ ...ok, usage: 'BUSI' })).toBe(false);
    expect(card({ currency: 'EUR' })).toBe(false);
    // Vendor extensions (a Norwegian relatedAccount, link verbs) are not rejected.
    expect(card({ ...ok, relatedAccount: { other: { identification: '1' } }, _links: { balances: { href: '/b', verbs: ['GET'] } } })).toBe(true);

    const tx = schemaValidator('cardTransaction');
    const amountOk = { currency: 'EUR', amount: '-1.00' };
    expect(tx({ transactionAmount: amountOk, merchantCategoryCode: '5411' })).toBe(true);
    expect(tx({ transactionAmount: amountOk, merchantCategoryCode: '541' })).toBe(false);
    expect(tx({ transactionAmount: amountOk, cardAcceptorPhone: 'x+47-51500000' })).toBe(false);
    expect(tx({ transactionAmount: amountOk, cardAcceptorAddress: { country: 'NOR' } })).toBe(false);
    expect(tx({ merchantCategoryCode: '5411' })).toBe(false);

    const ng401 = schemaValidator('Error401_NG_AIS');
    expect(ng401({ tppMessages: [{ category: 'ERROR', code: 'CERTIFICATE_REVOKE' }] })).toBe(true);
    expect(ng401({ tppMessages: [{ category: 'ERROR', code: 'CERTIFICATE_REVOKED' }] })).toBe(true);
    expect(ng401({ tppMessages: [{ category: 'ERROR', code: 'FORMAT_ERROR' }] })).toBe(false);
    expect(ng401({ tppMessages: [{ category: 'ERROR', code: 'TOKEN_INVALID', text: 'x'.repeat(501) }] })).toBe(false);

    const consents = schemaValidator('consents');
    expect(consents({ access: {}, recurringIndicator: true, validUntil: '2025-12-31', frequencyPerDay: 0, combinedServiceIndicator: false })).toBe(false);
    expect(consents({ access: {}, recurringIndicator: true, validUntil: '31.12.2025', frequencyPerDay: 1, combinedServiceIndicator: false })).toBe(false);
  });
});
