import type { OpenAPIV3 } from 'openapi-types';
import { ConfigError } from '../config/types.js';
import { OPERATION_ROLES, type OperationRole, type Profile } from '../config/profile.js';
import { deref } from '../schemas/refs.js';
import { isObject, type SpecDocument } from '../schemas/spec-document.js';

export interface ParameterInfo {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  enum?: string[];
}

export interface ResponseInfo {
  status: string;
  /** Media type → the OpenAPI schema object (untranslated) and its location in the document. */
  content: Record<string, { schema: unknown; location: string }>;
  /** Response header names the spec marks required (lower-case). */
  requiredHeaders: string[];
}

/** What the run needs to know about one operation of the spec. */
export interface OperationInfo {
  operationId: string;
  role: OperationRole;
  method: string;
  path: string;
  /** "GET /v1/card-accounts/{account-id}" */
  endpoint: string;
  /** JSON pointer of the operation in the spec (without "#"), for spec references. */
  location: string;
  parameters: ParameterInfo[];
  responses: ResponseInfo[];
  successStatuses: number[];
  /** The spec declares no 2xx response, only `default`: its schema stands for the success response. */
  successFromDefault: boolean;
}

/** What a success is when a spec declares only `default`: the Berlin Group status for the method. */
const DEFAULT_SUCCESS: Record<string, number> = { GET: 200, POST: 201, PUT: 200, PATCH: 200, DELETE: 204 };

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;
const pointerToken = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * Where each role lives in the Berlin Group standard: method and path template. Files differ in
 * the version prefix (`/v1` or none, or a longer base path) and in what they call the path
 * parameter (`{account-id}`, `{accountId}`), so templates are compared in a normalised form.
 */
export const ROLE_ENDPOINTS: Record<OperationRole, { method: string; path: string }> = {
  listCardAccounts: { method: 'get', path: '/card-accounts' },
  readCardAccount: { method: 'get', path: '/card-accounts/{}' },
  readBalances: { method: 'get', path: '/card-accounts/{}/balances' },
  readTransactions: { method: 'get', path: '/card-accounts/{}/transactions' },
  createConsent: { method: 'post', path: '/consents' },
  getConsentStatus: { method: 'get', path: '/consents/{}/status' },
  getConsentInformation: { method: 'get', path: '/consents/{}' },
  deleteConsent: { method: 'delete', path: '/consents/{}' },
};

/** A path template with parameter names erased and a leading version segment (`/v1`, `/v1.3`) dropped. */
export function normalisePath(path: string): { path: string; prefix: string } {
  const erased = path.replace(/\{[^}]*\}/g, '{}').replace(/\/+$/, '') || '/';
  const prefix = /^((?:\/[^/{}]+)*?\/v\d+(?:\.\d+)*)(?=\/)/.exec(erased)?.[1];
  return prefix ? { path: erased.slice(prefix.length), prefix } : { path: erased, prefix: '' };
}

interface Candidate {
  method: string;
  path: string;
  op: OpenAPIV3.OperationObject;
  pathItem: OpenAPIV3.PathItemObject;
  order: number;
}

/**
 * Finds the operation playing each role. The profile's `operations` map is an override: an
 * operationId it names that the file has is taken as is. Otherwise the role is found by method
 * and path template (with or without `/v1`, whatever the path parameter is called); where several
 * operations match, the one the profile names, then the one without extra prefix, then the first
 * in the file wins. The listing operation is required; others may be absent.
 */
export function findOperations(spec: SpecDocument, profile: Profile): OperationInfo[] {
  const all: Candidate[] = [];
  for (const [path, item] of Object.entries(spec.document.paths ?? {})) {
    if (!isObject(item)) continue;
    const pathItem = item as OpenAPIV3.PathItemObject;
    for (const method of METHODS) {
      const op = pathItem[method];
      if (isObject(op)) all.push({ method, path, op, pathItem, order: all.length });
    }
  }
  const taken = new Set<Candidate>();
  const found: OperationInfo[] = [];
  for (const role of OPERATION_ROLES) {
    const hit = pick(all, role, profile.operations[role], taken);
    if (!hit) {
      if (role === 'listCardAccounts') {
        const named = profile.operations[role] ? `no operation '${profile.operations[role]}' and ` : '';
        throw new ConfigError(
          spec.file,
          'paths',
          `${named}no GET operation at /card-accounts or /v1/card-accounts (the card-account list the ${profile.name} profile starts from); is this a card-account API description?`,
        );
      }
      continue;
    }
    taken.add(hit);
    found.push(describe(spec, role, hit.method, hit.path, hit.op, hit.pathItem));
  }
  return found;
}

function pick(all: Candidate[], role: OperationRole, named: string, taken: Set<Candidate>): Candidate | undefined {
  if (named) {
    // An operation already playing another role is not taken twice (another profile's ids on this file).
    const byId = all.find((c) => c.op.operationId === named && !taken.has(c));
    if (byId) return byId;
  }
  const want = ROLE_ENDPOINTS[role];
  const matches = all.filter((c) => !taken.has(c) && c.method === want.method && normalisePath(c.path).path === want.path);
  if (matches.length <= 1) return matches[0];
  // A tie (e.g. the same resource under /v1 and /v2, or a second copy under a national prefix).
  return [...matches].sort(
    (a, b) =>
      Number(b.op.operationId === named) - Number(a.op.operationId === named) ||
      normalisePath(a.path).prefix.length - normalisePath(b.path).prefix.length ||
      a.order - b.order,
  )[0];
}

function describe(
  spec: SpecDocument,
  role: OperationRole,
  method: string,
  path: string,
  op: OpenAPIV3.OperationObject,
  item: OpenAPIV3.PathItemObject,
): OperationInfo {
  const doc = spec.document;
  const location = `/paths/${pointerToken(path)}/${method}`;
  const params = new Map<string, ParameterInfo>();
  for (const p of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
    const param = deref<OpenAPIV3.ParameterObject>(doc, p);
    if (!param?.name) continue;
    const schema = deref<OpenAPIV3.SchemaObject>(doc, param.schema ?? {});
    const info: ParameterInfo = { name: param.name, in: param.in as ParameterInfo['in'], required: param.required === true };
    if (Array.isArray(schema?.enum)) info.enum = schema.enum.map(String);
    params.set(`${param.in}:${param.name.toLowerCase()}`, info);
  }
  const responses: ResponseInfo[] = [];
  for (const [status, r] of Object.entries(op.responses ?? {})) {
    const response = deref<OpenAPIV3.ResponseObject>(doc, r);
    if (!response) continue;
    const rloc = `${location}/responses/${status}`;
    const content: ResponseInfo['content'] = {};
    for (const [media, m] of Object.entries(response.content ?? {})) {
      if (m.schema) content[media.toLowerCase()] = { schema: m.schema, location: `${rloc}/content/${pointerToken(media)}/schema` };
    }
    const requiredHeaders = Object.entries(response.headers ?? {})
      .filter(([, h]) => deref<OpenAPIV3.HeaderObject>(doc, h)?.required === true)
      .map(([name]) => name.toLowerCase());
    responses.push({ status, content, requiredHeaders });
  }
  const successStatuses = responses.map((r) => Number(r.status)).filter((s) => s >= 200 && s < 300);
  const successFromDefault = successStatuses.length === 0 && responses.some((r) => r.status === 'default');
  const upper = method.toUpperCase();
  return {
    operationId: op.operationId ?? role,
    role,
    method: upper,
    path,
    endpoint: `${upper} ${path}`,
    location,
    parameters: [...params.values()],
    responses,
    successStatuses: successStatuses.length > 0 ? successStatuses : [DEFAULT_SUCCESS[upper] ?? 200],
    successFromDefault,
  };
}
