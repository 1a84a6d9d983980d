import { basename } from 'node:path';
import type { Rule } from '../../core/model.js';
import type { OperationRole, Profile } from '../../config/profile.js';
import { anchorPattern, componentDefs, toJsonSchema, type JsonSchema } from '../../schemas/json-schema.js';
import type { SpecDocument } from '../../schemas/spec-document.js';
import type { ContentTypeParams } from '../kinds/content-type.js';
import type { CurrencyParams } from '../kinds/currency.js';
import type { EnumParams } from '../kinds/enum.js';
import type { ErrorResponseParams } from '../kinds/error-response.js';
import type { LinksParams } from '../kinds/links.js';
import type { MaskingParams } from '../kinds/masking.js';
import type { MaxLengthParams } from '../kinds/max-length.js';
import type { MinorUnitsParams } from '../kinds/minor-units.js';
import type { RequiredParams } from '../kinds/required.js';
import type { SchemaParams } from '../kinds/schema.js';
import type { StatusParams } from '../kinds/status.js';
import { KINDS } from '../registry.js';
import { errorCase, type ErrorCase, type Fault } from './error-cases.js';
import { findOperations, type OperationInfo } from './operations.js';
import { declaredProperties } from '../../schemas/declared.js';
import type { BodyFieldsParams } from '../kinds/body-fields.js';
import type { UndeclaredParams } from '../kinds/undeclared.js';
import { semanticRules } from './semantic.js';
import { SIGNATURE_CASES, signatureProbe } from './signature-cases.js';
import type { RejectionParams } from '../kinds/rejection.js';
import { flatten, isAmountObject, isCurrencyField, isMaskedPan, walkSchema } from '../../schemas/walk.js';
import { DEFAULT_LIMITS } from '../../config/load.js';
import { negativeRules, type NegativeProbe, type NegativeSampling } from './negative-rules.js';

/** A request the collector sends with one deliberate fault; rules judge it by its probe id. */
export interface ErrorProbe {
  probe: string;
  operationId: string;
  fault: Fault;
}

/** The catalogue as a vitest worker needs it to judge (plain data). */
export interface JudgingCatalogue {
  spec: { title: string; version: string; file: string };
  profile: Profile;
  defs: Record<string, JsonSchema>;
  rules: Rule[];
}

export interface Catalogue extends JudgingCatalogue {
  operations: OperationInfo[];
  errorProbes: ErrorProbe[];
  /** The generated negative requests that fit limits.negativeRequests, and what was left out. */
  negativeProbes: NegativeProbe[];
  negativeSampling: NegativeSampling;
  /** What the run should tell the user about the spec (e.g. success responses declared only as `default`). */
  warnings: string[];
}

/** The probe id under which the collector records the valid requests of an operation. */
export const okProbe = (operationId: string): string => `ok:${operationId}`;

/** Card-account reads get the error cases; consent management is exercised only as far as a run needs it. */
const ERROR_CASE_ROLES: OperationRole[] = ['listCardAccounts', 'readCardAccount', 'readBalances', 'readTransactions'];

/**
 * Generates the rule catalogue from the spec: which rules exist is the spec's decision
 * (its operations, required properties, currency fields, amounts, masked PANs, enums,
 * links, parameters and responses); the rule kinds decide how each is checked.
 */
export function buildCatalogue(spec: SpecDocument, profile: Profile, options: { negativeRequests?: number } = {}): Catalogue {
  const operations = findOperations(spec, profile);
  const rules = new Map<string, Rule>();
  const specRef = (location: string): string => `${basename(spec.file)}#${location}`;
  const add = <P>(rule: Omit<Rule<P>, 'category' | 'severity'> & Partial<Pick<Rule<P>, 'severity'>>): void => {
    if (rules.has(rule.id)) return; // the same path reached twice (e.g. through oneOf) is one rule
    const kind = KINDS[rule.kind]!;
    rules.set(rule.id, { ...rule, category: kind.category, severity: rule.severity ?? kind.severity } as Rule);
  };
  const errorProbes: ErrorProbe[] = [];
  const warnings: string[] = [];
  const list = operations.find((o) => o.role === 'listCardAccounts')!; // findOperations throws without it
  const listProbe = okProbe(list.operationId);

  for (const op of operations) {
    // Requests that need an account id are built from the list's answer: when it failed, they could not be judged.
    const after = op.role !== 'listCardAccounts' && ERROR_CASE_ROLES.includes(op.role) ? { after: listProbe } : {};
    const base = { endpoint: op.endpoint, operationId: op.operationId, mandatory: true, probes: [okProbe(op.operationId)], ...after };
    const success = op.responses.filter((r) => op.successStatuses.includes(Number(r.status)) || (op.successFromDefault && r.status === 'default'));
    if (op.successFromDefault) {
      warnings.push(`${basename(spec.file)}: ${op.endpoint} (${op.operationId}) declares no 2xx response, only 'default'; its schema is used as the success schema and ${op.successStatuses.join('/')} is expected`);
    }
    add<StatusParams>({ ...base, id: `${op.operationId}:status-code`, kind: 'status', title: `${op.endpoint} answers ${op.successStatuses.join('/')}`, specRef: specRef(`${op.location}/responses`), params: { expected: op.successStatuses } });
    const mediaTypes = [...new Set(success.flatMap((r) => Object.keys(r.content)))];
    if (mediaTypes.length > 0) {
      add<ContentTypeParams>({ ...base, id: `${op.operationId}:content-type`, kind: 'content-type', title: `${op.endpoint} sends ${mediaTypes.join(' or ')}`, specRef: specRef(`${op.location}/responses/${success[0]!.status}/content`), params: { mediaTypes } });
    }
    if (success.some((r) => r.requiredHeaders.includes('x-request-id'))) {
      add({ ...base, id: `${op.operationId}:x-request-id`, kind: 'x-request-id', title: `${op.endpoint} echoes X-Request-ID`, specRef: specRef(`${op.location}/responses/${success[0]!.status}/headers`), params: {} });
    }
    for (const r of success) {
      const json = Object.entries(r.content).find(([m]) => m === 'application/json' || m.endsWith('+json'));
      if (!json) continue;
      const [, { schema, location }] = json;
      add<SchemaParams>({ ...base, id: `${op.operationId}:schema`, kind: 'schema', title: `${op.endpoint} body validates against its response schema`, specRef: specRef(location), params: { schema: toJsonSchema(schema, spec.dialect), source: location } });
      addFieldRules(spec, profile, op, { schema, location }, base, specRef, add);
      addPresenceRules(spec, op, { schema, location }, base, specRef, add);
    }
    if (ERROR_CASE_ROLES.includes(op.role)) {
      for (const c of errorCasesFor(op)) {
        const probe = `error:${op.operationId}:${c.slug}`;
        errorProbes.push({ probe, operationId: op.operationId, fault: c.fault });
        add<ErrorResponseParams>({
          ...base, probes: [probe], ...(op.parameters.some((p) => p.in === 'path') ? { after: listProbe } : {}), id: `${op.operationId}:error:${c.slug}`, kind: 'error-response',
          title: `${op.endpoint}: ${c.title}`, specRef: specRef(`${op.location}/responses`),
          params: { fault: c.description, expected: c.expected, tolerated: c.tolerated, bodies: errorBodies(spec, op) },
        });
      }
    }
  }
  for (const r of semanticRules(operations, profile, specRef)) add(r);
  addSignatureRules(spec, list, specRef, add);
  const negative = negativeRules(spec, operations, { budget: options.negativeRequests ?? DEFAULT_LIMITS.negativeRequests, specRef, listProbe });
  for (const r of negative.rules) add(r);
  return {
    spec: { title: spec.title, version: spec.version, file: spec.file },
    profile, defs: componentDefs(spec), operations, errorProbes, negativeProbes: negative.probes, negativeSampling: negative.sampling,
    rules: [...rules.values()], warnings,
  };
}

type Add = <P>(rule: Omit<Rule<P>, 'category' | 'severity'> & Partial<Pick<Rule<P>, 'severity'>>) => void;
type Base = Pick<Rule, 'endpoint' | 'operationId' | 'mandatory' | 'probes' | 'after'>;

/**
 * No silent pass: the body carries some field the spec defines (else every field rule finds
 * nothing to judge), and every property it carries is declared (typos and renames; minor, optional).
 */
function addPresenceRules(spec: SpecDocument, op: OperationInfo, root: { schema: unknown; location: string }, base: Base, specRef: (l: string) => string, add: Add): void {
  const declared = declaredProperties(spec.document, root);
  const top = declared.objects['']?.names ?? [];
  const fields = top.filter((n) => n !== '_links');
  if (fields.length > 0) {
    add<BodyFieldsParams>({ ...base, id: `${op.operationId}:body-fields`, kind: 'body-fields', title: `${op.endpoint} body carries the fields the spec defines (${fields.join(', ')})`, specRef: specRef(root.location.replace(/^#/, '')), params: { fields } });
  }
  if (Object.keys(declared.objects).length > 0) {
    add<UndeclaredParams>({ ...base, mandatory: false, id: `${op.operationId}:undeclared-properties`, kind: 'undeclared-properties', title: `${op.endpoint} body carries only properties the spec declares`, specRef: specRef(root.location.replace(/^#/, '')), params: declared });
  }
}

/** One rule per required property path, currency field, amount, masked PAN, enum and _links of the body. */
function addFieldRules(spec: SpecDocument, profile: Profile, op: OperationInfo, root: { schema: unknown; location: string }, base: Base, specRef: (l: string) => string, add: Add): void {
  const doc = spec.document;
  const limitSource = profile.overlays.length > 0 ? 'the profile' : 'the spec';
  walkSchema(doc, { schema: root.schema, location: root.location.replace(/^#/, '') }, (node) => {
    const { path, flat } = node;
    const ref = specRef(flat.location);
    const declaredBy = flat.refNames[flat.refNames.length - 1];
    if (!node.conditional) {
      for (const property of flat.required) {
        const at = `${path}/${property}`;
        add<RequiredParams>({ ...base, id: `${op.operationId}:${at}:required`, kind: 'required', title: `${at} is present`, specRef: `${ref}/required`, params: { parent: path, property, declaredBy } });
      }
    }
    if (isAmountObject(flat)) {
      const amount = flatten(doc, flat.properties.get('amount')!);
      const amountType = amount.types.has('number') || amount.types.has('integer') ? 'number' : 'string';
      add<MinorUnitsParams>({ ...base, id: `${op.operationId}:${path}:minor-units`, kind: 'minor-units', title: `${path || '/'} amount is a ${amountType} within its currency's ISO 4217 minor units`, specRef: specRef(amount.location), params: { path, amountType, pattern: amount.pattern ? anchorPattern(amount.pattern) : undefined, ...(profile.amounts.exactMinorUnits ? { exact: true } : {}) } });
    }
    if (path !== '' && isCurrencyField(node)) {
      const allowed = flat.enum?.filter((v): v is string => typeof v === 'string');
      add<CurrencyParams>({ ...base, id: `${op.operationId}:${path}:currency`, kind: 'currency', title: `${path} is an ISO 4217 currency code`, specRef: ref, params: { path, allowed } });
    } else if (flat.enum && flat.enum.length > 0 && path !== '') {
      const values = flat.enum.filter((v): v is string | number | boolean => ['string', 'number', 'boolean'].includes(typeof v));
      add<EnumParams>({ ...base, id: `${op.operationId}:${path}:enum`, kind: 'enum', title: `${path} is one of ${declaredBy ?? 'its values'}`, specRef: ref, params: { path, values, declaredBy } });
    }
    if (isMaskedPan(node)) {
      if (flat.maxLength !== undefined) {
        add<MaxLengthParams>({ ...base, id: `${op.operationId}:${path}:max-length`, kind: 'max-length', title: `${path} is at most ${flat.maxLength} characters`, specRef: ref, params: { path, maxLength: flat.maxLength, source: limitSource } });
      }
      add<MaskingParams>({ ...base, id: `${op.operationId}:${path}:masking`, kind: 'masking', title: `${path} is masked (at most the first ${profile.maskedPan.visibleLeading} and last ${profile.maskedPan.visibleTrailing} digits)`, specRef: ref, params: { path } });
    }
    if (node.name === '_links') {
      add<LinksParams>({ ...base, id: `${op.operationId}:${path}:links`, kind: 'links', title: `${path} is a map of { href } links`, specRef: ref, params: { path } });
    }
  });
}

function errorCasesFor(op: OperationInfo): ErrorCase[] {
  const cases: ErrorCase[] = [];
  for (const p of op.parameters.filter((x) => x.required)) {
    if (p.in === 'path') cases.push(errorCase.unknownPathParam(p.name));
    if (p.in === 'header') cases.push(errorCase.omitHeader(p.name));
    if (p.in === 'query') {
      cases.push(errorCase.omitQuery(p.name));
      if (p.enum) cases.push(errorCase.invalidQuery(p.name, 'card-conformance-invalid'));
    }
  }
  if (op.parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === 'consent-id')) cases.push(errorCase.unknownConsent());
  return cases;
}

/** The error body schemas the spec declares for the operation, translated: status → media type → schema. */
function errorBodies(spec: SpecDocument, op: OperationInfo): ErrorResponseParams['bodies'] {
  const bodies: ErrorResponseParams['bodies'] = {};
  for (const r of op.responses) {
    if (!/^4\d\d$/.test(r.status)) continue;
    bodies[r.status] = Object.fromEntries(Object.entries(r.content).map(([media, c]) => [media, toJsonSchema(c.schema, spec.dialect)]));
  }
  return bodies;
}

/**
 * The rejection suite: hand-written rules (ids chosen, not generated), each sending a signed GET of
 * the card-account list with exactly one fault; the positive controls come first.
 */
function addSignatureRules(spec: SpecDocument, list: OperationInfo, specRef: (l: string) => string, add: Add): void {
  const control = signatureProbe(SIGNATURE_CASES.find((c) => c.positive)!);
  const bodies = errorBodies(spec, list);
  for (const c of SIGNATURE_CASES) {
    const common = {
      id: c.id, title: c.title, mandatory: c.mandatory, endpoint: list.endpoint, operationId: list.operationId,
      specRef: `${specRef('/components/parameters/Signature')} (Berlin Group IG §12 application-level signature; reference case ${c.ref})`,
    };
    if (c.positive) {
      add<{ fault: string }>({ ...common, kind: 'signature-accepted', probes: [signatureProbe(c)], params: { fault: c.title.replace(/ is accepted$/, '') } });
    } else {
      add<RejectionParams>({
        ...common, kind: `${c.category}-rejection`, probes: [signatureProbe(c), control],
        params: { fault: c.title.replace(/ is rejected.*$/, ''), expected: c.expected ?? [], tolerated: c.tolerated, bodies, control },
      });
    }
  }
}
